"""The indicator table (绩效指标): its columns, its rows, and the rows that
only look like indicators.

Columns are found by their header labels in any order (``headers.py``); a
column whose header is not recognised may still get its role from what it
holds (the actual beside the target, the weights that add up to the total),
and says so. Rows that are not indicators — blank template rows
(``指标2：``, ``……``, ``-``) and breakdown rows (``其中…`` lines under an
indicator, with no weight of their own) — are skipped with their reason, so
nothing is counted or written into them.
"""

from __future__ import annotations

import dataclasses
import re

from perfxl.checks.codes import problem as registered
from perfxl.model import EMPTY, CellValue, Indicator, Problem
from perfxl.notation.parse import parse_number
from perfxl.read.grid import Grid, is_blank
from perfxl.read.headers import (
    Header,
    column_has_data,
    merge_sub_header,
    read_header,
    unused_columns,
)
from perfxl.read.labels import LEVEL2_PARENT, category_name, normalize_label
from perfxl.read.mapping import ROLE_ZH, MappedRow, Mapping, SkippedRow
from perfxl.rules.schema import Rules
from perfxl.text import a1, column_letter

IND_COLS = (
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "weight",
    "score",
    "reason",
    "nature",
    "unit",
)
SUB_COLS = ("target", "actual", "weight", "score", "nature", "unit", "reason")
VALUE_COLS = ("target", "actual", "weight", "score")

STANDARD_LEVEL1 = frozenset(LEVEL2_PARENT.values())
_PREFIX = re.compile(r"^指标\s*\d+\s*[:：.、]?\s*")
_TEMPLATE = re.compile(r"指标\d*[:：]?")
_QIZHONG = re.compile(r"^其中")
# whitespace with a CJK character on both sides: a line wrapped inside the cell
_WRAP = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


def clean_name(text: str) -> str:
    """An indicator name as one line: ``成 品粮`` → ``成品粮`` (a wrap inside the
    cell), spaces between Latin words kept."""
    return _WRAP.sub("", text).strip()


@dataclasses.dataclass
class Table:
    indicators: tuple[Indicator, ...]
    categories: tuple[tuple[str, str], ...]
    category_cells: tuple[str, ...]
    declared: dict[str, float]
    total_self: CellValue
    total_row: int
    total_reason: CellValue
    header: Header
    split: bool
    header_cell: str
    problems: list[Problem]


def read_table(
    g: Grid, at: tuple[int, int], rules: Rules, file: str, trace: Mapping, budget_weight: float
) -> Table:
    h = at[0]
    l3_end = g.span(*at)[3]
    header = read_header(g, h, IND_COLS, "indicators", words_from=l3_end + 1)
    header_cell = a1(*g.anchor(*at))
    data_start = h + 1
    if h + 1 < g.nrows:
        sub = read_header(
            g, h + 1, SUB_COLS, "indicators", own_cells_only=True, words_from=l3_end + 1
        )
        l3 = header.cols.get("level3", (at[1], at[1]))
        l3_cell = g.cell(h + 1, l3[0])
        if sub.cols and (l3_cell.empty or g.anchor(h + 1, l3[0])[0] == h):
            merge_sub_header(header, sub)
            data_start = h + 2
    for key in ("level1", "level2"):
        if key not in header.cols:  # a missing 一级/二级 header: the columns left of 三级
            c = header.cols.get("level3", (at[1], 0))[0] - (2 if key == "level1" else 1)
            if c >= 0:
                header.claim(key, (c, c), "position", a1(h, c), g.text(h, c))
    end = _table_end(g, data_start, header.cols)
    rows = range(data_start, end)
    problems: list[Problem] = []

    def problem(code: str, cell: str, message: str, field: str = "") -> None:
        """A reader finding, at the registry's severity for its code."""
        problems.append(registered(code, message, file=file, sheet=g.name, cell=cell, field=field))

    l3c = header.cols.get("level3", (at[1], at[1]))[1]
    _guess_columns(g, header, rows, l3c, budget_weight, problem)
    for c0, (c1, cell, text) in sorted(header.unknown.items()):
        if c0 <= l3c or not column_has_data(g, (c0, c1), rows):
            continue
        missing = [
            k for k in ("actual", "target", "weight", "score", "reason") if k not in header.cols
        ]
        problem("unknown-column", cell, unknown_message("指标表", c0, text, missing), text)
    if "weight" not in header.cols:
        problem(
            "no-weights",
            header_cell,
            "指标表中找不到「分值」（权重）栏：指标已列出目标值和实际完成值，但无法按分值评分；"
            "请补上分值栏，或在规则文件 [labels] weight 中加入该栏的表头文字",
            "分值",
        )
    trace.columns.extend(header.mapped("indicators"))
    trace.unused.extend(unused_columns(g, header, "indicators", rows, l3c + 1))
    # a column that was not found points at the header row where it belongs
    missing_at = CellValue(None, header_cell)
    return _rows(g, header, rows, end, rules, trace, missing_at, header_cell, problems)


def unknown_message(block: str, c0: int, text: str, missing: list[str]) -> str:
    """What a clerk reads about a filled column the reader did not use, with
    the rules-file line that would map it."""
    head = f"{block}的「{text}」栏（{column_letter(c0)} 列）有数据，但表头无法识别，该栏未读取"
    norm = normalize_label(text)
    if not norm or norm.replace(".", "").isdigit():
        return head + "（表头是数字，不是栏名）"
    if not missing:
        return (
            head
            + f"；如需读取，可在规则文件 [labels] 相应的键中加入「{norm}」（键见 perfxl rules --labels）"
        )
    line = f'[labels] {missing[0]} = ["{norm}"]'
    return head + f"；如果它是「{ROLE_ZH[missing[0]]}」，可在规则文件中加入一行：{line}"


def _table_end(g: Grid, start: int, cols: dict) -> int:
    blank = 0
    for r in range(start, g.nrows):
        if _is_stop_row(g, r, cols):
            return r
        if not any(v != "" and v is not None for v in g.rows[r]):  # raw: calamine's "" is empty
            blank += 1
            if blank > 30:
                return r
        else:
            blank = 0
    return g.nrows


def _guess_columns(g: Grid, header: Header, rows: range, l3c: int, budget_weight, problem) -> None:
    """Roles from content for columns whose header was not recognised."""
    free = [c0 for c0 in sorted(header.unknown) if c0 > l3c] + [
        c
        for c in range(l3c + 1, g.ncols)
        if _header_blank(g, header.row, c) and not header.claimed(c)
    ]
    if "actual" not in header.cols and "target" in header.cols:
        nxt = header.cols["target"][1] + 1
        if nxt in free and _fills_like(g, header.cols["target"], nxt, rows):
            _guessed(g, header, nxt, "actual", problem)
            free.remove(nxt)
    if "weight" not in header.cols:
        for c in free:
            nums = [parse_number(g.value(r, c)) for r in rows if not is_blank(g.value(r, c))]
            if nums and all(n is not None and 0 < n <= 100 for n in nums):
                total = sum(n for n in nums if n is not None)
                if abs(total + budget_weight - 100) < 0.01 or abs(total - 100) < 0.01:
                    _guessed(g, header, c, "weight", problem)
                    break


def _header_blank(g: Grid, r: int, c: int) -> bool:
    ar, ac = g.anchor(r, c)
    return ac == c and is_blank(g.value(r, c))


def _fills_like(g: Grid, target: tuple[int, int], c: int, rows: range) -> bool:
    """The column is filled on most rows whose target is filled."""
    with_target = [r for r in rows if not g.in_columns(r, target).empty]
    filled = [r for r in with_target if not is_blank(g.value(r, c))]
    return bool(with_target) and len(filled) * 2 >= len(with_target)


def _guessed(g: Grid, header: Header, c: int, role: str, problem) -> None:
    c1 = g.span(header.row, c)[3]
    cell = a1(header.row, c)
    text = g.text(header.row, c)
    header.claim(role, (c, c1), "content", cell, text)
    problem(
        "column-guessed",
        cell,
        f"表头「{text or '（空）'}」（{column_letter(c)} 列）未能识别，按列中内容作为「{ROLE_ZH[role]}」读取",
        ROLE_ZH[role],
    )


def _rows(g, header, rows, end, rules, trace, missing_at, header_cell, problems) -> Table:
    cols = header.cols
    placeholders = frozenset(rules.words.placeholders) | frozenset(rules.words.not_applicable)
    weighted = "weight" in cols
    indicators: list[Indicator] = []
    categories: list[tuple[str, str]] = []
    category_cells: list[str] = []
    declared: dict[str, float] = {}
    l1 = l2 = l1_cell = l2_cell = ""
    parent: str | None = None  # the 三级 text of the last indicator, as written
    counted: set[str] = set()  # weight and score cells already given to an indicator
    for r in rows:
        row = {k: g.in_columns(r, span) for k, span in cols.items()}
        if all(v.empty for v in row.values()):
            continue
        c1 = row.get("level1", EMPTY)
        if not c1.empty and c1.cell != l1_cell:  # a new 一级 cell (not the same merge again)
            name, weight = category_name(c1.text)
            if name != l1 or not name:
                l2, l2_cell = "", ""
            l1, l1_cell = name, c1.cell
            if weight is not None and name:
                declared[name] = weight
            elif weight is not None:
                declared[f"\0{c1.cell}"] = weight  # named once its 二级 is known
        c2 = row.get("level2", EMPTY)
        if not c2.empty and c2.cell != l2_cell:
            l2, l2_cell = category_name(c2.text)[0], c2.cell
            parent_l1 = LEVEL2_PARENT.get(l2)
            if parent_l1 and not l1:  # a 一级 cell holding only its weight
                l1 = parent_l1
                trace.notes.append(
                    f"{l1_cell} 的一级指标只写了分值，按二级指标「{l2}」推定为「{l1}」"
                )
                w = declared.pop(f"\0{l1_cell}", None)
                if w is not None:
                    declared[l1] = w
            elif parent_l1 and c1.empty and l1 != parent_l1 and l1 in STANDARD_LEVEL1:
                # a blank 一级 cell would inherit 产出指标 for 社会效益指标: the 二级 says better
                l1, l1_cell = parent_l1, c2.cell
                trace.notes.append(f"{c2.cell} 左侧的一级指标为空，按二级指标「{l2}」定为「{l1}」")
        if (l1, l2) not in categories:
            categories.append((l1, l2))
            category_cells.append(l2_cell or l1_cell)
        c3 = row.get("level3", EMPTY)
        raw_v = g.value(r, cols["level3"][0]) if "level3" in cols else None
        raw = raw_v if isinstance(raw_v, str) else ""  # unstripped: indentation marks a sub-row
        name = clean_name(_PREFIX.sub("", c3.text)) if c3.text else ""
        for k in ("weight", "score"):  # a cell merged down over a group counts once
            cv = row.get(k)
            if cv is not None and not cv.empty:
                if cv.cell in counted:
                    # a weight left out points at its merged cell; a self score has none of its own
                    row[k] = CellValue(None, cv.cell if k == "weight" else "")
                    trace.notes.append(
                        f"{cv.cell} 合并跨多行，只计入第一行（第 {r + 1} 行不重复计）"
                    )
                else:
                    counted.add(cv.cell)
        values = [row.get(k, EMPTY) for k in VALUE_COLS]
        reason = _not_an_indicator(name, raw, values, row, placeholders, weighted, parent)
        if reason:
            if c3.text or any(not v.empty for v in values):
                trace.skipped.append(SkippedRow("indicators", r + 1, c3.cell, c3.text, reason))
            continue
        ind = Indicator(
            level1=l1,
            level2=l2,
            name=name,
            row=r + 1,
            name_cell=c3.cell,
            level1_cell=l1_cell,
            level2_cell=l2_cell,
            **{k: row[k] if k in row else missing_at for k in VALUE_COLS},
            reason=row.get("reason", EMPTY),
            nature=row.get("nature", EMPTY),
            unit=row.get("unit", EMPTY),
        )
        indicators.append(ind)
        parent = raw
        trace.rows.append(MappedRow("indicators", r + 1, name, row))
    declared = {k: v for k, v in declared.items() if not k.startswith("\0")}
    total_self, total_row, total_reason = EMPTY, 0, EMPTY
    # the 总分 row, right under the table or after a footer row (其他需要说明事项)
    end = next((r for r in range(end, min(end + 4, g.nrows)) if _is_sum_row(g, r, cols)), end)
    if end < g.nrows and _is_sum_row(g, end, cols):
        total_self = g.in_columns(end, cols["score"]) if "score" in cols else EMPTY
        total_row = end + 1
        total_reason = g.in_columns(end, cols["reason"]) if "reason" in cols else EMPTY
    return Table(
        tuple(indicators),
        tuple(categories),
        tuple(category_cells),
        declared,
        total_self,
        total_row,
        total_reason,
        header,
        "nature" in cols,
        header_cell,
        problems,
    )


def _not_an_indicator(name, raw, values, row, placeholders, weighted, parent) -> str:
    """Why a table row is not an indicator ('' when it is one). A breakdown
    row has no weight and no score of its own, follows an indicator, and says
    it is a part: ``其中…``, or indented under an unindented name."""

    def blank(v: CellValue) -> bool:
        return v.empty or v.text in placeholders

    if (not name or name in placeholders or _TEMPLATE.fullmatch(name)) and all(
        blank(v) for v in values
    ):
        return "空白模板行（占位符，未填写）"
    own = [row.get(k, EMPTY) for k in ("weight", "score")]
    if parent is not None and weighted and all(v.empty for v in own):
        if _QIZHONG.match(normalize_label(name)):
            return "「其中」分项行（没有自己的分值，属于上一个指标）"
        if raw[:1].isspace() and not parent[:1].isspace():
            return "缩进的分项行（没有自己的分值，属于上一个指标）"
    return ""


def _label_cols(cols: dict) -> range:
    last = cols.get("level3", cols.get("level2", (0, 0)))[1]
    return range(0, last + 1)


def _is_sum_row(g: Grid, r: int, cols) -> bool:
    return any(g.is_label(r, c, ("sum",)) for c in _label_cols(cols))


def _is_stop_row(g: Grid, r: int, cols) -> bool:
    return any(g.is_label(r, c, ("sum", "footer", "grade")) for c in _label_cols(cols))
