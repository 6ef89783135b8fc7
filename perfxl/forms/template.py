"""The blank standard (2020 national) 项目支出绩效自评表, as units receive it.

The blank form is laid out by the same code as the generated filled forms
(:func:`perfxl.generate.layout_form`), so the template, the samples and the
reader's test corpus never drift apart: whatever a unit types into this
template, the reader already knows where to find it.
"""

from __future__ import annotations

from pathlib import Path

from perfxl.forms.generate import (
    FormSpec,
    IndicatorSpec,
    atomic_write,
    layout_form,
    render_xlsx,
)

SHEET_NAME = "项目支出绩效自评表"

# the 一级/二级 framework of the 2020 national form (财预〔2020〕10号 附件)
FRAMEWORK: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)
PLACEHOLDERS_PER_LEVEL2 = 3


def blank_spec() -> FormSpec:
    """The empty form's content: no year, no money, placeholder indicator rows
    ``指标1``…``指标3`` under every 二级, and only the preset 分值 10 on the
    年度资金总额 row."""
    rows = [
        IndicatorSpec(level1, level2, f"指标{k}")
        for level1, level2s in FRAMEWORK
        for level2 in level2s
        for k in range(1, PLACEHOLDERS_PER_LEVEL2 + 1)
    ]
    return FormSpec(year=None, project_name="", budget_weight=10, indicators=rows)


def write_template(path: str | Path) -> Path:
    """Write the blank standard form (A4 portrait, one page wide, print titles), atomically."""
    path = Path(path)
    grid = layout_form(blank_spec(), "national-2020", grade_row=True)
    atomic_write(path, render_xlsx([(SHEET_NAME, grid, 0, 0)]))
    return path
