"""The budget block (项目资金 / 资金情况 / 预算执行情况): its columns, its rows
and the money unit.

Real blocks differ: the total row has other names (总额, 合计) or none; only
年初预算数 is given; the budget weight is written only in the block's label
(预算执行情况（20分）); a code or unit rides in the header. The block is found
from its total row or, failing that, from a header row with two or more money
columns; the label column is where the row names are, so a header over it
(年度预算数（万元）) is not taken for a money column.
"""

from __future__ import annotations

import dataclasses
import re

from perfxl.checks.codes import problem
from perfxl.model import EMPTY, CellValue, FundRow, Problem
from perfxl.notation.parse import parse_number
from perfxl.read.grid import Grid, is_blank
from perfxl.read.headers import Header, column_has_data, read_header, unused_columns
from perfxl.read.labels import normalize_label, plain, split_weight
from perfxl.read.mapping import MappedColumn, MappedRow, Mapping, SkippedRow
from perfxl.read.table import unknown_message
from perfxl.text import a1

FUND_COLS = ("initial", "budget", "executed", "fund_weight", "rate", "fund_score", "fund_reason")
FUND_ROWS = ("total", "fiscal", "carryover", "other")
AMOUNTS = ("initial", "budget", "executed", "rate")
_QIZHONG = re.compile(r"^其中[:]?")
_TOTAL_WORDS = ("总额", "合计", "总计")


@dataclasses.dataclass
class Funds:
    rows: tuple[FundRow, ...] = ()
    letters: dict[str, str] = dataclasses.field(default_factory=dict)
    unit: str = "万元"
    factor: float = 1.0
    cell: str = ""  # the block's header (or label) cell: where a missing block is pointed at
    problems: list[Problem] = dataclasses.field(default_factory=list)


def read_funds(g: Grid, top: int, ind_row: int, file: str, trace: Mapping) -> Funds:
    """The block between the identity rows (from row ``top``) and the indicator table."""
    out = Funds()
    label_at = g.first("funds", after_row=top - 1, before_row=ind_row)
    label_weight = None
    if label_at:
        raw = plain(str(g.value(*label_at)))
        out.cell = a1(*label_at)
        if "元" in raw and "万元" not in raw:
            out.unit, out.factor = "元", 0.0001
        label_weight = split_weight(raw)[1]
    found = _header(g, top, ind_row)
    if found is None:
        out.rows = _inline(g, top, ind_row, label_at, label_weight, trace)
        return out
    header, first_col = found
    hr = header.row
    out.cell = a1(hr, first_col) if not out.cell else out.cell
    # a unit written in the column headers (全年预算数（元）) wins over the block label
    for text in header.texts.values():
        if "(元)" in plain(text):
            out.unit, out.factor = "元", 0.0001
    if "budget" not in header.cols and "initial" in header.cols:
        span = header.cols["initial"]
        cell, text = header.cells["initial"], header.texts["initial"]
        header.cols["budget"] = span
        header.how["budget"], header.cells["budget"], header.texts["budget"] = "initial", cell, text
        out.problems.append(
            problem(
                "initial-as-budget",
                f"预算表只有「{text}」而没有全年预算数（调整后预算数），按年初预算数作为全年预算数计算执行率",
                file=file,
                sheet=g.name,
                cell=cell,
                field="全年预算数",
            )
        )
    rows: list[FundRow] = []
    blank_run = 0
    end = min(ind_row, hr + 12)
    last = hr
    for r in range(hr + 1, end):
        label, kind, cell = _fund_label(g, r, first_col)
        values = {k: g.in_columns(r, span) for k, span in header.cols.items()}
        has_money = any(not values[k].empty for k in AMOUNTS if k in values)
        if kind is None and label and has_money and not rows:
            kind = "total"  # the first row, under a name no table knows: the total
            trace.notes.append(f"{cell}「{label}」按位置作为年度资金总额行")
        if kind is None:
            if g.is_label(r, 0, ("goal", "goal_expected", "level1", "level3")) or blank_run > 2:
                break
            if label and has_money:
                trace.skipped.append(SkippedRow("funds", r + 1, cell, label, "资金来源名称未识别"))
            blank_run += 1
            continue
        blank_run = 0
        last = r
        total = kind == "total"
        weight = values.get("fund_weight", EMPTY) if total else EMPTY
        if total and weight.empty and label_weight is not None and label_at:
            weight = CellValue(label_weight, a1(*label_at))  # 预算执行情况（20分）
            trace.notes.append(f"预算执行分值 {label_weight:g} 取自标签 {a1(*label_at)}")
        rows.append(
            FundRow(
                kind=kind,
                label=label,
                row=r + 1,
                initial=values.get("initial", EMPTY),
                budget=values.get("budget", EMPTY),
                executed=values.get("executed", EMPTY),
                weight=weight,
                rate=values.get("rate", EMPTY) if total else EMPTY,
                score=values.get("fund_score", EMPTY) if total else EMPTY,
                reason=values.get("fund_reason", EMPTY) if total else EMPTY,
            )
        )
        trace.rows.append(MappedRow("funds", r + 1, label, values if total else _source(values)))
    data = range(hr + 1, last + 1)
    for c0, (c1, cell, text) in sorted(header.unknown.items()):
        if c0 < first_col or not column_has_data(g, (c0, c1), data):
            continue
        missing = [k for k in ("budget", "executed", "initial") if k not in header.cols]
        out.problems.append(
            problem(
                "unknown-column",
                unknown_message("预算表", c0, text, missing),
                file=file,
                sheet=g.name,
                cell=cell,
                field=text,
            )
        )
    trace.columns.extend(header.mapped("funds"))
    trace.unused.extend(unused_columns(g, header, "funds", data, first_col))
    out.rows = tuple(rows)
    out.letters = header.letters()
    return out


def _source(values: dict[str, CellValue]) -> dict[str, CellValue]:
    """A source row's cells that are read: its amounts (分值, 执行率, 得分 are
    the total row's only, even when a form repeats them on 其中 rows)."""
    return {k: v for k, v in values.items() if k in ("initial", "budget", "executed")}


def _inline(
    g: Grid, top: int, ind_row: int, label_at, label_weight, trace: Mapping
) -> tuple[FundRow, ...]:
    """A block with no header row, labels and values side by side on one row
    (``预算数： | 2.38 | 执行数： | 2.38``): the total only."""
    values: dict[str, CellValue] = {}
    for key in ("initial", "budget", "executed"):
        at = g.first(key, after_row=top - 1, before_row=ind_row)
        if at is None:
            continue
        cv = g.right_of(*at)
        if parse_number(cv.value) is not None:
            values[key] = cv
            trace.columns.append(MappedColumn("funds", key, "", a1(*at), g.text(*at), "inline"))
    if "budget" not in values and "executed" not in values:
        return ()
    row = int(next(iter(values.values())).cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    weight = (
        CellValue(label_weight, a1(*label_at)) if label_weight is not None and label_at else EMPTY
    )
    label = g.text(*label_at) if label_at else ""
    trace.notes.append("预算表没有表头行：预算数与执行数取自同一行的「标签：数值」")
    trace.rows.append(MappedRow("funds", row, label, dict(values)))
    return (
        FundRow(
            "total",
            label,
            row,
            initial=values.get("initial", EMPTY),
            budget=values.get("budget", EMPTY),
            executed=values.get("executed", EMPTY),
            weight=weight,
        ),
    )


def _header(g: Grid, top: int, ind_row: int) -> tuple[Header, int] | None:
    """The budget header row and the first money column. Searched above the
    total row when there is one, else in every row above the indicator table."""
    total_at = g.first("total", after_row=top - 1, before_row=ind_row)
    if total_at:
        candidates = range(total_at[0] - 1, max(top - 1, total_at[0] - 5), -1)
    else:
        candidates = range(max(top, 0), ind_row)
    for r in candidates:
        first_col = _label_end(g, r, ind_row) + 1
        h = read_header(g, r, FUND_COLS, "funds", first_col=first_col)
        amounts = [k for k in ("initial", "budget", "executed") if k in h.cols]
        if total_at and amounts:
            return h, first_col
        if len(amounts) + ("rate" in h.cols) >= 2 and _money_below(g, h, amounts, ind_row):
            return h, first_col
    return None


def _money_below(g: Grid, h: Header, amounts: list[str], ind_row: int) -> bool:
    """A header row with no total row named under it counts only when numbers
    stand under its money columns (年初预期目标 | 年度实际完成情况 is no budget)."""
    for r in range(h.row + 1, min(ind_row, h.row + 4)):
        for k in amounts:
            if parse_number(g.in_columns(r, h.cols[k]).value) is not None:
                return True
    return False


def _label_end(g: Grid, hr: int, ind_row: int) -> int:
    """The last column of the row names under a header row (-1 when none is known)."""
    end = -1
    for r in range(hr + 1, min(ind_row, hr + 8)):
        for c in range(min(g.ncols, 6)):
            ar, ac = g.anchor(r, c)
            if (ar, ac) != (r, c) or not isinstance(g.raw(r, c), str):
                continue
            if _kind(g, g.raw(r, c)):
                end = max(end, g.span(r, c)[3])
    return end


def _kind(g: Grid, text: str) -> str | None:
    """The budget row a label names (total, fiscal, carryover, other), or None;
    memoised per label table (the same few labels on every form)."""
    memo = g.labels.memo.setdefault("fund_row", {})
    if text not in memo:
        memo[text] = _kind_of(g, text)
    return memo[text]


def _kind_of(g: Grid, text: str) -> str | None:
    norm = _QIZHONG.sub("", normalize_label(text))
    if not norm:
        return None
    for kind in FUND_ROWS:
        if norm in g.labels.spellings(kind):
            return kind
    if any(w in norm for w in _TOTAL_WORDS):
        return "total"
    return None


def _fund_label(g: Grid, r: int, first_data: int) -> tuple[str, str | None, str]:
    """(label text, row kind or None, label cell) of a budget row."""
    first: tuple[str, str] | None = None
    for c in range(first_data):
        v = g.value(r, c)
        if not isinstance(v, str) or is_blank(v):
            continue
        ar, ac = g.anchor(r, c)
        if ar != r:  # the block label merged down the rows
            continue
        kind = _kind(g, v)
        if kind:
            return v.strip(), kind, a1(ar, ac)
        if first is None and ac == c:
            first = (v.strip(), a1(ar, ac))
    return (first[0], None, first[1]) if first else ("", None, "")
