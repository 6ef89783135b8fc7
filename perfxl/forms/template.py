"""The blank standard (2020 national) 项目支出绩效自评表, as units receive it.

The blank form is laid out by the same code as the generated filled forms
(:func:`perfxl.generate.layout_form`), so the template, the samples and the
reader's test corpus never drift apart: whatever a unit types into this
template, the reader already knows where to find it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from perfxl.forms.generate import (
    FormSpec,
    IndicatorSpec,
    atomic_write,
    layout_form,
    render_xlsx,
)

if TYPE_CHECKING:
    from perfxl.loop.roster import RosterRow

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


def roster_form_name(row: RosterRow) -> str:
    """``<实施单位>-<项目名称>.xlsx``: the name a unit sends back, so a returned
    form (or its 修改稿) is recognisable, and the unit findable from the name
    even when the form inside cannot be read."""
    from perfxl.loop.names import safe_filename

    unit = safe_filename(row.implementer, "实施单位")
    return f"{unit}-{safe_filename(row.project, '项目')}.xlsx"


def write_roster_templates(
    roster: list[RosterRow], folder: str | Path, year: int | None = None
) -> list[Path]:
    """One blank form per roster project, with 项目名称, 主管部门, 实施单位,
    年度 and 全年预算数 already filled (``year`` overrides the roster's 年度)."""
    folder = Path(folder)
    out: list[Path] = []
    used: set[str] = set()
    for row in roster:
        name = roster_form_name(row)
        stem, k = name[:-5], 2
        while name.lower() in used:
            name, k = f"{stem}({k}).xlsx", k + 1
        used.add(name.lower())
        budget = row.budget
        spec = replace(
            blank_spec(),
            year=year or row.year,
            project_name=row.project,
            department=row.department,
            implementer=row.implementer,
            funds={"total": (None, budget, None)} if budget is not None else {},
        )
        grid = layout_form(spec, "national-2020", grade_row=True)
        path = folder / name
        atomic_write(path, render_xlsx([(SHEET_NAME, grid, 0, 0)]))
        out.append(path)
    return out
