"""What a generated form says, independent of how its spreadsheet looks.

A :class:`FormSpec` is the true content of one filled 项目支出绩效自评表, and the
functions at the end say how a unit spells its values in cells. The layout
(:mod:`perfxl.forms.layout`) and the random corpus (:mod:`perfxl.testing.corpus`) both start
from it, so it sits below them; the public API :mod:`perfxl.forms.generate`
re-exports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from perfxl.text import a1

Value = str | float | int | None


class Percent(float):
    """A fraction written as a number with a percent format (0.95 shows as 95%)."""


class Formula(NamedTuple):
    """A computed cell as Excel/WPS saves it: formula text plus its cached result.

    ``refs`` are grid cells (0-based) filling the ``{0}``, ``{1}``… of
    ``template`` as A1 addresses; the renderer asks for :meth:`text` with the
    sheet's row/column offset, which the grid does not know. ``cached`` is
    exactly the number the cell holds without the formula, so every reader
    sees the same value either way.
    """

    template: str
    refs: tuple[tuple[int, int], ...]
    cached: float

    def text(self, dr: int = 0, dc: int = 0) -> str:
        """The formula (with its leading ``=``) at this offset, in A1 notation."""
        return "=" + self.template.format(*(a1(r + dr, c + dc) for r, c in self.refs))


@dataclass
class IndicatorSpec:
    """One 三级 indicator row as the unit filled it (a blank template row has
    name ``指标1`` and everything else None: the reader must skip it)."""

    level1: str
    level2: str
    name: str
    target: Value = None
    actual: Value = None
    weight: float | None = None
    self_score: float | None = None
    reason: str | None = None

    @property
    def placeholder(self) -> bool:
        empty = self.target is None and self.actual is None and self.weight is None
        return empty and re.fullmatch(r"指标\d*|……", self.name or "") is not None


@dataclass
class FormSpec:
    """What one filled form says, in 万元, independent of its layout.

    ``funds`` maps total/fiscal/carryover/other to (年初预算数, 全年预算数,
    全年执行数); None leaves a cell empty. ``rate_written`` is what the unit
    wrote as 执行率: a float is a fraction shown with a percent format, a str is
    written as text.
    """

    year: int | None
    project_name: str
    department: str = ""
    department_code: str | None = None
    implementer: str = ""
    funds: dict[str, tuple[float | None, float | None, float | None]] = field(default_factory=dict)
    budget_weight: float | None = 10
    rate_written: Value = None
    budget_self_score: float | None = None
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: list[IndicatorSpec] = field(default_factory=list)
    total_self: float | None = None
    grade: str | None = None
    filler: str | None = None  # footer 填报人 (synthetic personal data)
    phone: str | None = None  # footer 联系电话


# --- how values are spelled in cells ------------------------------------------------------


def num_text(x: float) -> str:
    """43.2 -> '43.2', 5.0 -> '5': how a unit types an amount into a text cell."""
    return f"{float(x):.6f}".rstrip("0").rstrip(".")


def split_target(target: Value, level2: str = "") -> tuple[str | None, Value, str | None]:
    """(指标性质, 指标值, 度量单位) of a target, as Sichuan/Yunnan forms split it."""
    if target is None:
        return None, None, None
    if not isinstance(target, str):
        return "=", target, None
    m = re.fullmatch(
        r"(?:\d{4}年)?(≥|≤|=|>=|<=)?(\d+(?:\.\d+)?)([^\d≥≤=<>]*?)(以上|以内|底前|前)?",
        target.strip(),
    )
    if not m:
        return "定性", target, None
    op, number, unit, tail = m.groups()
    value: float | int = float(number) if "." in number else int(number)
    if not op:
        if tail == "以上":
            op = "≥"
        elif tail or "成本" in level2 or ("时效" in level2 and unit == "月"):
            op = "≤"
        else:
            op = "="
    return {">=": "≥", "<=": "≤"}.get(op, op), value, unit or None


def split_actual(actual: Value, unit: str | None) -> Value:
    """A 完成值 written as a bare number when its unit is the target's."""
    if not isinstance(actual, str):
        return actual
    m = re.fullmatch(r"(?:≥|≤|=)?(\d+(?:\.\d+)?)(\D*)", actual.strip())
    if m and (m.group(2) in ("", unit) or (unit == "月" and m.group(2) in ("月底", "月底前"))):
        n = m.group(1)
        if unit == "%" and not m.group(2):
            return actual
        return f"{n}%" if unit == "%" else (float(n) if "." in n else int(n))
    return actual
