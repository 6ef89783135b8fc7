"""Regenerate samples/ and templates/self_eval_template.xlsx deterministically.

The samples are the acceptance fixtures of the reader and the scorer: the two
Kashgar forms are the worked example of spec/worked-example.md figure for
figure; the others exercise one layout variant or quirk each (see
docs/samples.md). Run: ``python scripts/make_samples.py``.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from perfxl.forms.generate import FormSpec, IndicatorSpec, Percent, write_form, write_workbook
from perfxl.forms.template import write_template

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
KASHGAR_NAME = "2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx"
KASHGAR_DEVIATION_NAME = "2019-喀什地区质量技术监督局-认证认可监管专项经费-偏差.xlsx"

KASHGAR_GOAL = (
    "计划认证认可监管专项经费共需资金5万元，主要用于监督检查企业数量15家以上；监督检查次数15次以上；"
    "实验室和检验机构资质认定数量1个以上；监督检查覆盖率100%；不合格企业曝光率100%；违法企业处理率100%；"
    "完成监督检查任务时限10月；计划认证认可监管专项经费5万元；加大对违法行为的查处力度，切实保护广大消费者的"
    "合法权益；重大事故发生次数为0；不断强化强制性认证产品监管；服务对象满意度达到90%以上。提高国家强制性认证"
    "产品的监管力度；加强本辖区内管理体系获证组织的证后监管工作；依法对向社会出具具有证明作用的数据和结果的检验"
    "检测机构进行监督管理；依法监督和规范认证市场。加大对重点行业、重点区域、重点产品的监管，切实维护社会的公平公正。"
)
PROTECT = "加大对违法行为的查处力度，切实保护广大消费者的合法权益"


def _ind(l1: str, l2: str, name: str, target: str, actual: object, weight: float) -> IndicatorSpec:
    """A row the unit scored at full marks with no deviation reason."""
    return IndicatorSpec(l1, l2, name, target, actual, weight, weight, None)  # type: ignore[arg-type]


def kashgar_2018() -> FormSpec:
    """Worked example 1, exactly as spec/worked-example.md gives it."""
    out, ben, sat = "产出指标", "效益指标", "满意度指标"
    indicators = [
        _ind(out, "数量指标", "监督检查企业数量", "≥15家", "15家", 6),
        _ind(out, "数量指标", "监督检查次数", "≥15次", "15次", 6),
        _ind(out, "数量指标", "实验室和检验机构资质认定数量", "≥1个", "1个", 6),
        _ind(out, "质量指标", "监督检查覆盖率", "100%", "100%", 6),
        _ind(out, "质量指标", "不合格企业曝光率", "100%", "100%", 6),
        _ind(out, "质量指标", "违法企业处理率", "100%", "100%", 6),
        _ind(out, "时效指标", "完成监督检查任务时限", "10月", "10月", 7),
        _ind(out, "成本指标", "计划认证认可监管专项经费", "5万元", "5万元", 7),
        IndicatorSpec(ben, "经济效益指标", "指标1"),
        _ind(ben, "社会效益指标", PROTECT, "有效保护消费者合法权益", "达成", 10),
        _ind(ben, "社会效益指标", "重大事故发生次数", "0次", "0次", 10),
        IndicatorSpec(ben, "生态效益指标", "指标1"),
        _ind(ben, "可持续影响指标", "不断强化强制性认证产品监管", "持续强化", "达成", 10),
        _ind(sat, "服务对象满意度指标", "服务对象满意度", "≥90%", Percent(0.95), 10),
    ]
    return FormSpec(
        year=2018,
        project_name="认证认可监管专项经费",
        department="喀什地区质量技术监督局",
        implementer="喀什地区质量技术监督局",
        funds={
            "total": (5, 5, 5),
            "fiscal": (5, 5, 5),
            "carryover": (0, 0, 0),
            "other": (0, 0, 0),
        },
        budget_weight=10,
        rate_written="100%",
        budget_self_score=10,
        goal_expected=KASHGAR_GOAL,
        goal_actual=(
            "完成监督检查企业15家、监督检查15次、资质认定1个，监督检查覆盖率、不合格企业曝光率、"
            "违法企业处理率均为100%，重大事故0起，服务对象满意度95%。"
        ),
        indicators=indicators,
        total_self=100,
    )


def kashgar_2019_deviation() -> FormSpec:
    """The same project a year later with shortfalls, but full marks self-assessed."""
    base = kashgar_2018()
    actuals = {
        "监督检查企业数量": "12家",
        "监督检查次数": "9次",
        "完成监督检查任务时限": "11月",
        "计划认证认可监管专项经费": "4.3万元",
        PROTECT: "部分达成",
        "重大事故发生次数": "1次",
        "服务对象满意度": "88%",
    }
    rows = [replace(i, actual=actuals.get(i.name, i.actual)) for i in base.indicators]
    return replace(
        base,
        year=2019,
        funds={
            "total": (5, 5, 4.3),
            "fiscal": (5, 5, 4.3),
            "carryover": (0, 0, 0),
            "other": (0, 0, 0),
        },
        rate_written=0.86,
        indicators=rows,
        goal_actual=(
            "完成监督检查企业12家、监督检查9次、资质认定1个，监督检查覆盖率、不合格企业曝光率、"
            "违法企业处理率均为100%，发生重大事故1起，服务对象满意度88%。"
        ),
    )


def _spec(
    year: int, name: str, dept: str, impl: str, funds: dict, rows: list, **kw: object
) -> FormSpec:
    """A filled form whose self scores are the unit's own (not necessarily right)."""
    indicators = [IndicatorSpec(*r) for r in rows]
    filled = [i for i in indicators if i.weight]
    kw.setdefault(
        "goal_expected",
        f"计划投入资金{funds['total'][1]:g}万元，实施{name}，年度目标："
        + "；".join(f"{i.name}{i.target}" for i in filled)
        + "。",
    )
    kw.setdefault(
        "goal_actual",
        "年度目标完成情况：" + "；".join(f"{i.name}{i.actual}" for i in filled) + "。",
    )
    scores = [kw.get("budget_self_score")] + [i.self_score for i in indicators if i.weight]
    total = round(sum(s for s in scores if s is not None), 2)  # type: ignore[misc]
    return FormSpec(
        year=year,
        project_name=name,
        department=dept,
        implementer=impl,
        funds=funds,
        indicators=indicators,
        total_self=total,
        **kw,
    )  # type: ignore[arg-type]


P, B, S, C = "产出指标", "效益指标", "满意度指标", "成本指标"


def single_column() -> FormSpec:
    """2018 provincial single-budget-column form, 分值 before the target, code with the department."""
    return _spec(
        2018,
        "农业技术推广补助资金",
        "石家庄市农业农村局",
        "石家庄市农业技术推广站",
        {"total": (None, 120, 112.5), "fiscal": (None, 100, 95), "other": (None, 20, 17.5)},
        [
            (P, "数量指标", "推广农业新技术", "≥8项", "8项", 15, 15, None),
            (
                P,
                "数量指标",
                "培训农民",
                "≥2000人次",
                "1850人次",
                15,
                13.88,
                "部分乡镇农忙，培训延后至次年。",
            ),
            (P, "质量指标", "培训合格率", "≥90%", "96%", 10, 10, None),
            (P, "时效指标", "项目完成时间", "12月底前", "12月", 5, 5, None),
            (P, "成本指标", "项目总成本", "≤120万元", "112.5万元", 5, 5, None),
            (B, "经济效益指标", "带动农户增收", "≥300万元", "320万元", 10, 10, None),
            (B, "社会效益指标", "受益农户数", "≥1500户", "1600户", 10, 10, None),
            (B, "可持续影响指标", "农技推广长效机制", "建立健全", "基本达成", 10, 7, None),
            (S, "服务对象满意度指标", "农户满意度", "≥90%", "93%", 10, 10, None),
        ],
        department_code="118",
        rate_written="93.75%",
        budget_self_score=9.38,
        grade="优",
        filler="刘洋",
        phone="0311-8765432",
    )


def ab_suffix() -> FormSpec:
    """City template with (A)/(B) suffixes; a carry-over and an empty 其他资金 row."""
    return _spec(
        2020,
        "农村公路养护专项资金",
        "合肥市交通运输局",
        "合肥市公路事业发展中心",
        {"total": (800, 850, 782), "fiscal": (800, 800, 740), "carryover": (0, 50, 42)},
        [
            (P, "数量指标", "养护农村公路里程", "≥600公里", "612公里", 12, 12, None),
            (P, "数量指标", "改造危桥数量", "≥12座", "10座", 12, 10, "2座危桥因汛期推迟开工。"),
            (P, "质量指标", "养护工程验收合格率", "100%", "100%", 10, 10, None),
            (P, "时效指标", "养护任务完成时限", "2020年11月底前", "11月", 8, 8, None),
            (P, "成本指标", "每公里养护成本", "≤1.2万元", "1.15万元", 8, 8, None),
            (B, "社会效益指标", "农村公路优良中等路率", "≥85%", "88%", 10, 10, None),
            (B, "社会效益指标", "重大交通安全事故", "0起", "0起", 10, 10, None),
            (B, "生态效益指标", "指标1", None, None, None, None, None),
            (B, "可持续影响指标", "公路管养长效机制", "建立健全", "达成", 10, 10, None),
            (S, "服务对象满意度指标", "沿线群众满意度", "≥85%", "91%", 10, 10, None),
        ],
        rate_written=Percent(0.92),
        budget_self_score=9.2,
    )


def split_yuan() -> FormSpec:
    """Sichuan 2023 split-notation form; the spec is in 万元, the form shows 元."""
    return _spec(
        2023,
        "困难群众救助补助资金",
        "绵阳市民政局",
        "绵阳市社会福利院",
        {
            "total": (320, 335, 316.24),
            "fiscal": (320, 320, 302),
            "carryover": (0, 15, 14.24),
            "other": (0, 0, 0),
        },
        [
            (P, "数量指标", "救助困难群众", "≥6000人", "6215人", 15, 15, None),
            (
                P,
                "数量指标",
                "临时救助人次",
                "≥800人次",
                "760人次",
                10,
                9.5,
                "实际申请人次少于预期。",
            ),
            (P, "质量指标", "救助资金发放准确率", "100%", "100%", 10, 10, None),
            (P, "时效指标", "资金发放时限", "12月底前", "12月", 10, 10, None),
            (P, "成本指标", "人均月救助标准", "≥600元", "620元", 5, 5, None),
            (B, "社会效益指标", "困难群众基本生活保障", "有效保障", "达成", 15, 15, None),
            (B, "可持续影响指标", "社会救助长效机制", "持续完善", "达成", 15, 15, None),
            (S, "服务对象满意度指标", "救助对象满意度", "≥90%", "95%", 10, 10, None),
        ],
        rate_written=Percent(0.944),
        budget_self_score=9.44,
        grade="优",
    )


def level1_cost() -> FormSpec:
    """A 2024 form with 成本指标 as a 一级 of its own (4 一级, no 50/30/10 split)."""
    return _spec(
        2024,
        "森林防火专项经费",
        "福州市林业局",
        "福州市国有林场",
        {"total": (260, 260, 251.3), "fiscal": (260, 260, 251.3)},
        [
            (P, "数量指标", "开展防火巡查", "≥240次", "252次", 10, 10, None),
            (P, "数量指标", "建设防火隔离带", "≥30公里", "30公里", 10, 10, None),
            (P, "质量指标", "防火设施验收合格率", "100%", "100%", 10, 10, None),
            (P, "时效指标", "防火设施建设完成时间", "10月底前", "9月", 10, 10, None),
            (C, "经济成本指标", "防火设施建设成本", "≤180万元", "176.8万元", 10, 10, None),
            (C, "社会成本指标", "对社会发展的负面影响", "不产生负面社会影响", "达成", 5, 5, None),
            (
                C,
                "生态环境成本指标",
                "对生态环境的负面影响",
                "不造成生态环境破坏",
                "达成",
                5,
                5,
                None,
            ),
            (B, "社会效益指标", "重大森林火灾发生次数", "0次", "0次", 10, 10, None),
            (B, "生态效益指标", "森林覆盖率", "≥66%", "66.8%", 10, 10, None),
            (S, "服务对象满意度指标", "林区群众满意度", "≥90%", "94%", 10, 10, None),
        ],
        rate_written="96.65%",
        budget_self_score=9.67,
    )


def xls_culture() -> FormSpec:
    """National layout saved as .xls, department code written '118 歙县…'."""
    return _spec(
        2019,
        "公共文化服务体系建设专项资金",
        "歙县文化和旅游局",
        "歙县文化馆",
        {
            "total": (150, 150, 138.6),
            "fiscal": (120, 120, 110.6),
            "carryover": None,
            "other": (30, 30, 28),
        },
        [
            (P, "数量指标", "举办群众文化活动场次", "≥80场次", "86场次", 10, 10, None),
            (P, "数量指标", "送戏下乡演出场次", "≥40场", "36场", 10, 9, "部分演出因天气原因取消。"),
            (P, "质量指标", "演出活动验收合格率", "100%", "100%", 10, 10, None),
            (P, "时效指标", "项目完成时间", "12月底前", "12月", 10, 10, None),
            (P, "成本指标", "每场演出补助标准", "≤1.5万元", "1.4万元", 10, 10, None),
            (B, "社会效益指标", "群众参与人次", "≥30000人次", "32500人次", 15, 15, None),
            (B, "可持续影响指标", "公共文化服务长效机制", "建立健全", "达成", 15, 15, None),
            (S, "服务对象满意度指标", "群众满意度", "≥90%", "92%", 10, 10, None),
        ],
        department_code="118",
        rate_written="92.4%",
        budget_self_score=9.24,
        filler="王芳",
        phone="0559-6512345",
    )


def air_quality() -> FormSpec:
    """Low execution (86%) and a late time indicator."""
    return _spec(
        2022,
        "大气污染防治专项资金",
        "保定市生态环境局",
        "保定市环境监测站",
        {"total": (500, 500, 430), "fiscal": (500, 500, 430)},
        [
            (P, "数量指标", "建设空气自动监测站", "≥10个", "10个", 15, 15, None),
            (P, "数量指标", "开展执法检查", "≥120次", "135次", 10, 10, None),
            (P, "质量指标", "监测数据有效率", "≥90%", "95%", 10, 10, None),
            (
                P,
                "时效指标",
                "监测站建成时间",
                "9月底前",
                "10月",
                10,
                8.89,
                "设备到货延迟，建成时间推迟一个月。",
            ),
            (P, "成本指标", "单站建设成本", "≤40万元", "38万元", 5, 5, None),
            (B, "生态效益指标", "细颗粒物年均浓度下降幅度", "≥3%", "4.2%", 15, 15, None),
            (B, "社会效益指标", "重污染天数", "≤20天", "18天", 15, 15, None),
            (S, "服务对象满意度指标", "群众满意度", "≥85%", "88%", 10, 10, None),
        ],
        rate_written=0.86,
        budget_self_score=8.6,
        grade="优",
    )


def monitoring() -> FormSpec:
    return _spec(
        2022,
        "环境监测能力建设项目",
        "保定市生态环境局",
        "保定市环境监测站",
        {"total": (180, 200, 196), "fiscal": (180, 180, 176), "carryover": (0, 20, 20)},
        [
            (P, "数量指标", "购置监测设备", "≥25台", "25台", 15, 15, None),
            (P, "质量指标", "设备验收合格率", "100%", "100%", 15, 15, None),
            (P, "时效指标", "设备采购完成时间", "2022年8月底前", "7月", 10, 10, None),
            (P, "成本指标", "设备采购成本", "≤200万元", "196万元", 10, 10, None),
            (B, "社会效益指标", "监测能力提升", "明显提升", "显著", 15, 15, None),
            (B, "可持续影响指标", "设备使用年限", "≥8年", "8年", 15, 15, None),
            (S, "服务对象满意度指标", "使用单位满意度", "≥90%", "96%", 10, 10, None),
        ],
        rate_written="98%",
        budget_self_score=9.8,
    )


def student_aid() -> FormSpec:
    return _spec(
        2021,
        "学生资助补助经费",
        "成都市教育局",
        "成都市青羊区实验小学",
        {
            "total": (600, 620, 620),
            "fiscal": (600, 600, 600),
            "carryover": (0, 20, 20),
            "other": (0, 0, 0),
        },
        [
            (P, "数量指标", "资助家庭经济困难学生", "≥2500人", "2680人", 20, 20, None),
            (P, "质量指标", "资助对象认定准确率", "100%", "100%", 10, 10, None),
            (P, "时效指标", "资金发放及时率", "100%", "100%", 10, 10, None),
            (P, "成本指标", "生均资助标准", "≤2500元", "2300元", 10, 10, None),
            (B, "社会效益指标", "家庭经济困难学生辍学人数", "0人", "0人", 15, 15, None),
            (B, "可持续影响指标", "学生资助政策知晓率", "≥95%", "97%", 15, 15, None),
            (S, "服务对象满意度指标", "受助学生满意度", "≥90%", "98%", 10, 10, None),
        ],
        rate_written=1.0,
        budget_self_score=10,
        grade="优",
    )


def build(root: Path = ROOT) -> list[Path]:
    """Write every sample and the blank template under root; returns the paths."""
    out = root / "samples"
    paths = [
        write_form(out / KASHGAR_NAME, kashgar_2018(), grade_row=True),
        write_form(out / KASHGAR_DEVIATION_NAME, kashgar_2019_deviation(), grade_row=True),
        write_form(
            out / "2018-石家庄市农业农村局-农业技术推广补助资金-单列预算.xlsx",
            single_column(),
            "single-column",
            sheet_name="Sheet1",
        ),
        write_form(
            out / "2020-合肥市交通运输局-农村公路养护专项资金-AB列.xlsx",
            ab_suffix(),
            "ab-suffix",
            shift_rows=2,
            extra_cols=1,
            label_noise=True,
            sheet_name="自评表",
        ),
        write_form(
            out / "2023-绵阳市民政局-困难群众救助补助资金-分列元.xlsx",
            split_yuan(),
            "split",
            percent_cells=True,
            sheet_name="绩效自评表",
        ),
        write_form(
            out / "2024-福州市林业局-森林防火专项经费-成本一级.xlsx",
            level1_cost(),
            "level1-cost",
            year_in_title=True,
            weights_in_labels=True,
        ),
        write_form(
            out / "2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls",
            xls_culture(),
            code_style="space",
            numbers_as_text=True,
            fullwidth=True,
            sheet_name="Sheet1",
        ),
        write_workbook(
            out / "2022-保定市生态环境局-两个项目.xlsx",
            [
                (
                    "大气污染防治",
                    air_quality(),
                    "national-2020",
                    {"unmerged_level1": True, "weights_in_labels": True, "grade_row": True},
                ),
                (
                    "环境监测能力建设",
                    monitoring(),
                    "national-2020",
                    {"label_noise": True, "shift_rows": 1, "title": "项目支出绩效目标自评表"},
                ),
            ],
            extra_sheets=["填表说明"],
            extra_sheets_first=True,
        ),
        write_form(
            out / "2021-成都市教育局-学生资助补助经费.xlsm",
            student_aid(),
            "national-2020",
            percent_cells=True,
            grade_row=True,
        ),
    ]
    paths.append(write_template(root / "templates" / "self_eval_template.xlsx"))
    return paths


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT):
        print(p.relative_to(p.parent.parent))
