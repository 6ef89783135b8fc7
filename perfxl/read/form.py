"""Map one sheet's grid onto the form's blocks: identity, funds, goal,
indicators, totals. Every layout variant (the national 2020 form, the
single-budget-column form, the (A)/(B)-suffix form, the split-notation form;
docs/samples.md has one sample of each) ends up in the same :class:`ProjectForm`.

Blocks are found by their labels; columns by their header labels, in any
order, with two-row headers refined by their sub-headers.
"""

from __future__ import annotations

import dataclasses
import re

from perfxl.checks.codes import problem
from perfxl.model import EMPTY, CellValue, FundRow, Indicator, Problem, ProjectForm
from perfxl.read.grid import Grid
from perfxl.read.labels import split_weight, strip_numbering
from perfxl.rules.schema import Rules
from perfxl.text import a1

FUND_COLS = ("initial", "budget", "executed", "fund_weight", "rate", "fund_score", "fund_reason")
FUND_ROWS = ("total", "fiscal", "carryover", "other")
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
GRADE_WORDS = {"优", "良", "中", "差", "优秀", "良好", "合格", "不合格"}

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度")
_YEAR_LOOSE = re.compile(r"((?:19|20)\d{2})\s*年")
_DEPT_CODE = re.compile(r"^[\[【(（]?\s*(\d{2,})\s*[\]】)）]?\s*[-－:：]?\s*(\S.*)$")
_PREFIX = re.compile(r"^指标\s*\d+\s*[:：.、]?\s*")
_QIZHONG = re.compile(r"^其中[:：]?")


@dataclasses.dataclass
class FormLocator:
    grid: Grid
    file: str
    rules: Rules


def extract_form(loc: FormLocator) -> tuple[ProjectForm, list[Problem]]:
    g = loc.grid
    problems: list[Problem] = []
    ind_header = g.first("level3")
    ind_row = ind_header[0] if ind_header else g.nrows

    name_at = g.first("项目名称", before_row=ind_row)
    dept_at = g.first("主管部门", before_row=ind_row)
    impl_at = g.first("实施单位", before_row=ind_row)
    project = g.right_of(*name_at) if name_at else EMPTY
    department = g.right_of(*dept_at) if dept_at else EMPTY
    implementer = g.right_of(*impl_at) if impl_at else EMPTY
    code = ""
    m = _DEPT_CODE.match(department.text) if department.text else None
    if m:
        code = m.group(1)
        department = dataclasses.replace(department, value=m.group(2).strip())

    top = name_at[0] if name_at else min(ind_row, 6)
    year, year_cell, title = _year_and_title(g, top)
    funds, fund_cols, unit, factor = _funds(g, ind_row)
    goal_expected, goal_actual = _goal(g, ind_row)
    ind = _indicators(g, ind_header, loc.rules) if ind_header else None
    if ind_header is None:
        msg = "工作表中找不到绩效指标表头（缺少：三级指标）"
        problems.append(problem("no-form-found", msg, file=loc.file, sheet=g.name))

    form = ProjectForm(
        file=loc.file,
        sheet=g.name,
        variant=_variant(g, ind, fund_cols),
        year=year,
        year_cell=year_cell,
        title=title,
        project_name=project,
        department=department,
        department_code=code,
        implementer=implementer,
        money_unit=unit,
        money_factor=factor,
        funds=funds,
        goal_expected=goal_expected,
        goal_actual=goal_actual,
        indicators=ind.indicators if ind else (),
        categories=ind.categories if ind else (),
        category_cells=ind.category_cells if ind else (),
        level1_declared=ind.declared if ind else {},
        total_self=ind.total_self if ind else EMPTY,
        total_row=ind.total_row if ind else 0,
        grade=_grade(g, ind, ind_row),
        indicator_columns=ind.columns if ind else {},
        fund_columns=fund_cols,
    )
    return form, problems


def _year_and_title(g: Grid, top: int) -> tuple[int | None, str, str]:
    title = ""
    loose: tuple[int, str] | None = None
    for r in range(0, min(top + 1, g.nrows)):
        for c in range(g.ncols):
            if g.anchor(r, c) != (r, c):
                continue
            text = g.text(r, c)
            if not text:
                continue
            if not title and ("自评表" in text or "绩效" in text):
                title = text
            norm = text.translate(_FULLWIDTH_DIGITS)
            m = _YEAR.search(norm)
            if m:
                return int(m.group(1)), a1(r, c), title or text
            m = _YEAR_LOOSE.search(norm)
            if m and loose is None:
                loose = (int(m.group(1)), a1(r, c))
    if loose:
        return loose[0], loose[1], title
    return None, "", title


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _header_columns(g: Grid, r: int, keys: tuple[str, ...], remap: dict[str, str] | None = None):
    """{key: (c0, c1)} for header labels in row r (a label's merge gives its span)."""
    cols: dict[str, tuple[int, int]] = {}
    for c in range(g.ncols):
        if g.anchor(r, c)[1] != c:  # a horizontal continuation of a merge
            continue
        v = g.value(r, c)
        if not isinstance(v, str):
            continue
        found = g.labels.keys_of(v)
        for key in keys:
            src = remap.get(key, key) if remap else key
            if src in found and key not in cols:
                _, c0, _, c1 = g.span(r, c)
                cols[key] = (c0, c1)
    return cols


def _funds(g: Grid, ind_row: int):
    """The funds rows, their columns, and the money unit."""
    total_at = g.first("total", before_row=ind_row)
    funds_label = g.first("funds", before_row=ind_row)
    unit, factor = "万元", 1.0
    if funds_label:
        raw = str(g.value(*funds_label))
        if "元" in raw and "万元" not in raw:
            unit, factor = "元", 0.0001
    if not total_at:
        return (), {}, unit, factor
    tr = total_at[0]
    header_row, cols = None, {}
    for r in range(tr - 1, max(-1, tr - 5), -1):
        cols = _header_columns(g, r, FUND_COLS)
        if "executed" in cols or "budget" in cols:
            header_row = r
            break
    if header_row is None:
        return (), {}, unit, factor
    # a unit written in the column headers (全年预算数（元）) wins over the block label
    for c0, _ in cols.values():
        head = str(g.value(header_row, c0) or "")
        if "（元）" in head or "(元)" in head:
            unit, factor = "元", 0.0001
    first_data = min(c0 for c0, _ in cols.values())
    rows: list[FundRow] = []
    blank_run = 0
    for r in range(header_row + 1, min(ind_row, header_row + 12)):
        label, kind = _fund_label(g, r, first_data)
        if kind is None:
            if g.is_label(r, 0, ("goal", "goal_expected", "level1", "level3")) or blank_run > 2:
                break
            blank_run += 1
            continue
        blank_run = 0
        values = {k: g.in_columns(r, span) for k, span in cols.items()}
        rows.append(
            FundRow(
                kind=kind,
                label=label,
                row=r + 1,
                initial=values.get("initial", EMPTY),
                budget=values.get("budget", EMPTY),
                executed=values.get("executed", EMPTY),
                weight=values.get("fund_weight", EMPTY) if kind == "total" else EMPTY,
                rate=values.get("rate", EMPTY) if kind == "total" else EMPTY,
                score=values.get("fund_score", EMPTY) if kind == "total" else EMPTY,
                reason=values.get("fund_reason", EMPTY) if kind == "total" else EMPTY,
            )
        )
    letters = {k: a1(0, span[0]).rstrip("0123456789") for k, span in cols.items()}
    return tuple(rows), letters, unit, factor


def _fund_label(g: Grid, r: int, first_data: int) -> tuple[str, str | None]:
    for c in range(first_data):
        v = g.value(r, c)
        if not isinstance(v, str) or not v.strip():
            continue
        from perfxl.read.labels import normalize_label

        norm = _QIZHONG.sub("", normalize_label(v))
        for kind in FUND_ROWS:
            if norm in g.labels.spellings(kind):
                return v.strip(), kind
    return "", None


def _goal(g: Grid, ind_row: int) -> tuple[CellValue, CellValue]:
    out = []
    for key in ("goal_expected", "goal_actual"):
        at = g.first(key, before_row=ind_row)
        if not at:
            out.append(EMPTY)
            continue
        r, c = at
        right = g.right_of(r, c)
        next_col = g.span(r, c)[3] + 1
        right_is_label = next_col < g.ncols and g.is_label(*g.anchor(r, next_col))
        if not right.empty and not right_is_label:
            out.append(right)
            continue
        below = g.below(r, c)
        out.append(below if not below.empty or right_is_label else right)
    return out[0], out[1]


@dataclasses.dataclass
class _Indicators:
    indicators: tuple[Indicator, ...]
    categories: tuple[tuple[str, str], ...]
    category_cells: tuple[str, ...]
    declared: dict[str, float]
    total_self: CellValue
    total_row: int
    total_reason: CellValue
    columns: dict[str, str]
    split: bool


def _indicators(g: Grid, header: tuple[int, int], rules: Rules) -> _Indicators:
    h = header[0]
    cols = _header_columns(g, h, IND_COLS)
    data_start = h + 1
    # a two-row header: sub-labels under a merged 年度指标值 (指标性质 | 指标值 | 度量单位)
    if h + 1 < g.nrows:
        sub = _header_columns(
            g, h + 1, ("target", "actual", "weight", "score", "nature", "unit", "reason")
        )
        l3 = cols.get("level3", (header[1], header[1]))
        l3_cell = g.cell(h + 1, l3[0])
        if sub and (l3_cell.empty or g.anchor(h + 1, l3[0])[0] == h):
            cols.update(sub)
            data_start = h + 2
    for key in ("level1", "level2"):
        if key not in cols:  # tolerate a missing 一级/二级 header: use the columns left of 三级
            offset = 2 if key == "level1" else 1
            c = cols.get("level3", (header[1], 0))[0] - offset
            if c >= 0:
                cols[key] = (c, c)
    placeholders = rules.words.placeholders
    indicators: list[Indicator] = []
    categories: list[tuple[str, str]] = []
    category_cells: list[str] = []
    declared: dict[str, float] = {}
    l1 = l2 = ""
    l1_cell = l2_cell = ""
    total_self, total_row, total_reason = EMPTY, 0, EMPTY
    blank_run = 0
    for r in range(data_start, g.nrows):
        if _is_stop_row(g, r, cols):
            if _is_sum_row(g, r, cols):
                total_self = g.in_columns(r, cols["score"]) if "score" in cols else EMPTY
                total_row = r + 1
                total_reason = g.in_columns(r, cols["reason"]) if "reason" in cols else EMPTY
            break
        row = {k: g.in_columns(r, span) for k, span in cols.items()}
        if all(v.empty for v in row.values()):
            blank_run += 1
            if blank_run > 30:
                break
            continue
        blank_run = 0
        c1 = row.get("level1", EMPTY)
        if not c1.empty:
            name, weight = split_weight(strip_numbering(c1.text))
            if name != l1:
                l2, l2_cell = "", ""
            l1, l1_cell = name, c1.cell
            if weight is not None:
                declared[name] = weight
        c2 = row.get("level2", EMPTY)
        if not c2.empty:
            l2, l2_cell = split_weight(strip_numbering(c2.text))[0], c2.cell
        if (l1, l2) not in categories:
            categories.append((l1, l2))
            category_cells.append(l2_cell or l1_cell)
        c3 = row.get("level3", EMPTY)
        name = _PREFIX.sub("", c3.text).strip() if c3.text else ""
        values = [row.get(k, EMPTY) for k in ("target", "actual", "weight", "score")]
        if (not name or name in placeholders or re.fullmatch(r"指标\d*", name)) and all(
            v.empty for v in values
        ):
            continue
        indicators.append(
            Indicator(
                level1=l1,
                level2=l2,
                name=name,
                row=r + 1,
                name_cell=c3.cell,
                level1_cell=l1_cell,
                level2_cell=l2_cell,
                target=row.get("target", EMPTY),
                actual=row.get("actual", EMPTY),
                weight=row.get("weight", EMPTY),
                score=row.get("score", EMPTY),
                reason=row.get("reason", EMPTY),
                nature=row.get("nature", EMPTY),
                unit=row.get("unit", EMPTY),
            )
        )
    letters = {k: a1(0, span[0]).rstrip("0123456789") for k, span in cols.items()}
    return _Indicators(
        tuple(indicators),
        tuple(categories),
        tuple(category_cells),
        declared,
        total_self,
        total_row,
        total_reason,
        letters,
        "nature" in cols,
    )


def _label_cols(g: Grid, cols: dict[str, tuple[int, int]]) -> range:
    last = cols.get("level3", cols.get("level2", (0, 0)))[1]
    return range(0, last + 1)


def _is_sum_row(g: Grid, r: int, cols) -> bool:
    return any(g.is_label(r, c, ("sum",)) for c in _label_cols(g, cols))


def _is_stop_row(g: Grid, r: int, cols) -> bool:
    return any(g.is_label(r, c, ("sum", "footer", "grade")) for c in _label_cols(g, cols))


def _grade(g: Grid, ind: _Indicators | None, ind_row: int) -> CellValue:
    at = g.first("grade", after_row=ind_row)
    if at:
        return g.right_of(*at)
    if ind and ind.total_reason.text in GRADE_WORDS:
        return ind.total_reason
    return EMPTY


def _variant(g: Grid, ind: _Indicators | None, fund_cols: dict[str, str]) -> str:
    if ind and ind.split:
        return "split"
    heads = " ".join(str(v) for row in g.rows[: g.nrows] for v in row if isinstance(v, str))
    if re.search(r"[（(]\s*[AB]\s*[)）]", heads):
        return "ab-suffix"
    if fund_cols and "initial" not in fund_cols:
        return "single-column"
    if ind and any(lvl1.startswith("成本") for lvl1, _ in ind.categories):
        return "level1-cost"
    return "national-2020"
