"""The samples of the other layout variants: each a filled form whose self
scores are the unit's own (not necessarily right), built by :mod:`perfxl.testing.samples`."""

from __future__ import annotations

from perfxl.forms.generate import FormSpec, IndicatorSpec, Percent


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
