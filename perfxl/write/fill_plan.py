"""What perfxl writes into a unit's form: the filled cells and the marks.

The plan is plain data, made where the form was read and scored, so the
completed copy needs neither a second read nor a second scoring. The filled
form must agree with itself: a filled 总分 is the sum of the 得分 cells as
they stand after filling (the unit's own scores where it wrote them, perfxl's
where the cell was empty), and a filled 自评等级 is the grade of that 总分,
never the review's grade under the unit's total. Where a not-applicable
indicator's weight was given to the others, the filled cell's comment says
what the indicator was scored out of.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from perfxl.model import SEVERITY_ORDER, CellValue, Problem, ProjectForm, ProjectScore
from perfxl.rules.schema import Rules
from perfxl.write.review_sheet import PCT, SCORE

FILLED_NOTE = "由 perfxl 复核计算填写"
TAG = {"error": "【错误】", "warning": "【警告】", "info": "【提示】"}
# mark rank -> fill colour; the most severe mark on a cell decides its colour
RANK = {"error": 0, "warning": 1, "info": 2, "filled": 3}
COLOUR = {0: "FFC7CE", 1: "FFEB9C", 2: "EDEDED", 3: "DDEBF7"}
_ADDRESS = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


@dataclass(frozen=True)
class Fill:
    """A value for a cell the unit left empty, with its comment line(s)."""

    sheet: str
    cell: str
    value: Any
    fmt: str | None
    note: str = FILLED_NOTE


@dataclass
class Mark:
    """Colour rank and comment lines of one cell."""

    rank: int = 9
    lines: list[str] = field(default_factory=list)

    def add(self, kind: str, line: str) -> None:
        self.rank = min(self.rank, RANK.get(kind, 2))
        if line not in self.lines:
            self.lines.append(line)


@functools.lru_cache(maxsize=8192)  # forms share their layouts: addresses recur across files
def cell_index(address: str) -> tuple[int, int] | None:
    """1-based (row, column) of ``A1`` (the first cell of ``A1:B2``); None when not a cell."""
    m = _ADDRESS.match(address.split(":")[0].strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if row < 1 or row > 1048576 or col > 16384:
        return None
    return row, col


def _open(cv: CellValue) -> bool:
    """A cell perfxl may fill: it has an address and holds nothing (no formula)."""
    return bool(cv.cell) and cv.empty


def _number(x: Any) -> float:
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else 0.0


def plan_fills(form: ProjectForm, score: ProjectScore, rules: Rules) -> list[Fill]:
    """The cells of one form perfxl fills, in a self-consistent way."""
    sheet, out = form.sheet, []
    standing = 0.0  # the 得分 cells as they stand after filling
    total = form.fund("total")
    if total is not None:
        if _open(total.rate) and score.rate is not None:
            out.append(Fill(sheet, total.rate.cell, score.rate, PCT))
        if _open(total.score):
            out.append(Fill(sheet, total.score.cell, round(score.budget_score, 2), SCORE))
            standing += round(score.budget_score, 2)
        else:
            standing += _number(score.budget_self)
    # indicator scores are filled only where the form has both columns: a missing 得分
    # column's cells point at its header row (for problems, never to write), and with
    # no 分值 column (no-weights) every review would be a 0 from a weight of 0
    cols = form.indicator_columns
    fill_scores = not cols or ("score" in cols and "weight" in cols)
    for isc in score.indicators:
        cv = isc.indicator.score
        if fill_scores and isc.rule != "na" and _open(cv):  # a 0 would read as failed
            note = FILLED_NOTE
            if abs(isc.effective_weight - isc.weight) > 1e-9:
                note += (
                    f"\n分值 {_num(isc.weight)}，按不适用指标调整为 {_num(isc.effective_weight)}"
                )
            out.append(Fill(sheet, cv.cell, round(isc.review, 2), SCORE, note))
            standing += round(isc.review, 2)
        elif isc.self_score is not None:
            standing += isc.self_score
        elif isc.rule != "na":
            standing += isc.review  # a formula left uncomputed: Excel computes it on open
    filled_total = None
    if _open(form.total_self):
        filled_total = round(standing, 2)
        out.append(Fill(sheet, form.total_self.cell, filled_total, SCORE))
    if _open(form.grade):
        basis = filled_total if filled_total is not None else score.self_total
        basis = round(standing, 2) if basis is None else basis
        out.append(Fill(sheet, form.grade.cell, rules.grade(basis), None))
    return out


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


def plan_marks(problems: list[Problem]) -> list[tuple[str, str, str, str]]:
    """(sheet, cell, kind, comment line) per located problem, most severe first."""
    ordered = sorted(problems, key=lambda p: SEVERITY_ORDER.get(p.severity, 9))
    return [
        (p.sheet, p.cell, p.severity, TAG.get(p.severity, "") + p.message)
        for p in ordered
        if p.sheet and p.cell
    ]


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: SEVERITY_ORDER.get(p.severity, 9))
