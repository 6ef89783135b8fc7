"""The shipped samples and the blank template, built deterministically.

The samples are the acceptance fixtures of the reader and the scorer: the two
Kashgar forms are the worked example that the README and docs/samples.md
quote figure for figure (2018: every indicator met, 4.3 of 5 万元 spent → 86 %;
2019: the same project with shortfalls but full marks self-assessed); the
others exercise one layout variant or quirk each (see docs/samples.md).
``python scripts/make_samples.py`` writes them into the repository; tests
build them into a temporary folder from here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from perfxl.forms.generate import FormSpec, IndicatorSpec, Percent, write_form, write_workbook
from perfxl.forms.template import write_template
from perfxl.testing.sample_variants import (
    ab_suffix,
    air_quality,
    level1_cost,
    monitoring,
    single_column,
    split_yuan,
    student_aid,
    xls_culture,
)

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
    """Worked example 1: the 2018 Kashgar form, every indicator met at full marks
    (the figures the README and docs/samples.md quote)."""
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


def build(root: Path) -> list[Path]:
    """Write every sample under ``root/samples`` and the blank template under
    ``root/templates``; returns the paths (the repository root gives the shipped files)."""
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


def main(default_root: Path) -> None:
    """``python scripts/make_samples.py [ROOT]``: build into ROOT (default: the repository)."""
    import sys

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else default_root
    for p in build(root):
        print(p.relative_to(p.parent.parent))
