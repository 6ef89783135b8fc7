"""Map one sheet's grid onto the form's blocks: identity, funds, goal,
indicators, totals. Every layout variant (the national 2020 form, the
single-budget-column form, the (A)/(B)-suffix form, the split-notation form;
docs/samples.md has one sample of each, tests/real/ has real published forms)
ends up in the same :class:`ProjectForm`.

Blocks are found by their labels; columns by their header labels, in any
order, with two-row headers refined by their sub-headers (``table.py``,
``funds.py``). How the sheet was mapped is recorded as a :class:`Mapping`
(``perfxl inspect`` shows it).
"""

from __future__ import annotations

import dataclasses
import re

from perfxl.checks.codes import problem
from perfxl.model import EMPTY, CellValue, Problem, ProjectForm
from perfxl.read.funds import read_funds
from perfxl.read.grid import Grid
from perfxl.read.mapping import MappedField, Mapping, SkippedRow
from perfxl.read.table import Table, read_table
from perfxl.rules.schema import Rules
from perfxl.text import a1

GRADE_WORDS = {"优", "良", "中", "差", "优秀", "良好", "合格", "不合格"}

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度")
_YEAR_LOOSE = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_ONLY = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年度?)?\s*$")
_DATE_WORDS = ("填报日期", "填表日期", "日期", "填报时间", "报送时间", "打印时间")
_DEPT_CODE = re.compile(r"^[\[【(（]?\s*(\d{2,})\s*[\]】)）]?\s*[-－:：]?\s*(\S.*)$")
# a project code: digits and capitals, long, then a separator (51000021R000000019951-工资性支出)
_PROJECT_CODE = re.compile(r"^[\[【(（]?\s*([0-9A-Z]{8,})\s*[\]】)）]?\s*[-－_:：]?\s*(\S.*)$")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclasses.dataclass
class FormLocator:
    grid: Grid
    file: str
    rules: Rules


def extract_form(loc: FormLocator) -> tuple[ProjectForm, list[Problem], Mapping]:
    g = loc.grid
    trace = Mapping(loc.file, g.name)
    problems: list[Problem] = []
    ind_header = _indicator_header(g, trace)
    ind_row = ind_header[0] if ind_header else g.nrows

    name_at = g.first("项目名称", before_row=ind_row)
    dept_at = g.first("主管部门", before_row=ind_row)
    impl_at = g.first("实施单位", before_row=ind_row)
    project = g.right_of(*name_at) if name_at else EMPTY
    department = g.right_of(*dept_at) if dept_at else EMPTY
    implementer = g.right_of(*impl_at) if impl_at else EMPTY
    department, code = _split_code(department, _DEPT_CODE)
    implementer, impl_code = _split_code(implementer, _DEPT_CODE)
    project, project_code = _split_code(project, _PROJECT_CODE)
    identity_cell = a1(*name_at) if name_at else ""
    for key, at, cv in (
        ("project_name", name_at, project),
        ("department", dept_at, department),
        ("implementer", impl_at, implementer),
    ):
        label = g.text(*at) if at else ""
        trace.fields.append(MappedField(key, cv.text, cv.cell, a1(*at) if at else "", label))

    top = name_at[0] if name_at else min(ind_row, 6)
    year, year_cell, title = _year_and_title(g, top, ind_row, project)
    trace.fields.append(MappedField("year", str(year or ""), year_cell))
    funds = read_funds(g, name_at[0] if name_at else 0, ind_row, loc.file, trace)
    problems.extend(funds.problems)
    goal_expected, goal_actual = _goal(g, name_at[0] if name_at else 0, ind_row)
    trace.fields.append(MappedField("goal_expected", goal_expected.text[:40], goal_expected.cell))
    trace.fields.append(MappedField("goal_actual", goal_actual.text[:40], goal_actual.cell))
    ind: Table | None = None
    if ind_header:
        total = next((r for r in funds.rows if r.kind == "total"), None)
        weight_cv = total.weight if total else EMPTY
        budget_weight = _number(weight_cv.value, loc.rules.budget.default_weight)
        ind = read_table(g, ind_header, loc.rules, loc.file, trace, budget_weight)
        problems.extend(ind.problems)
        if not ind.indicators:
            msg = f"绩效指标表（表头 {ind.header_cell}）之下没有读到任何指标（表格为空或已截断）"
            at = {"file": loc.file, "sheet": g.name, "cell": ind.header_cell}
            problems.append(problem("missing-field", msg, **at, field="三级指标"))
    else:
        msg = "工作表中找不到绩效指标表头（缺少：三级指标）"
        problems.append(problem("no-form-found", msg, file=loc.file, sheet=g.name))
    anchors = {"identity": identity_cell}
    # a field that was not found points at the identity block, where it belongs
    for key, at in (("project_name", name_at), ("department", dept_at), ("implementer", impl_at)):
        if not at:
            anchors[key] = (a1(*dept_at) if dept_at else "") or identity_cell or "A1"
    if ind:
        anchors["indicators"] = ind.header_cell
        anchors.update({f"col:{k}": c for k, c in ind.header.cells.items()})
    anchors["funds"] = funds.cell or anchors.get("indicators", identity_cell)
    grade = _grade(g, ind, ind_row)
    if ind:
        trace.fields.append(MappedField("total_self", ind.total_self.text, ind.total_self.cell))
    trace.fields.append(MappedField("grade", grade.text, grade.cell))

    form = ProjectForm(
        file=loc.file,
        sheet=g.name,
        variant=_variant(g, ind, funds.letters),
        year=year,
        year_cell=year_cell,
        title=title,
        project_name=project,
        department=department,
        department_code=code,
        implementer=implementer,
        implementer_code=impl_code,
        project_code=project_code,
        money_unit=funds.unit,
        money_factor=funds.factor,
        funds=funds.rows,
        goal_expected=goal_expected,
        goal_actual=goal_actual,
        indicators=ind.indicators if ind else (),
        categories=ind.categories if ind else (),
        category_cells=ind.category_cells if ind else (),
        level1_declared=ind.declared if ind else {},
        total_self=ind.total_self if ind else EMPTY,
        total_row=ind.total_row if ind else 0,
        grade=grade,
        indicator_columns=ind.header.letters() if ind else {},
        fund_columns=funds.letters,
        anchors=anchors,
    )
    return form, problems, trace


def _indicator_header(g: Grid, trace: Mapping) -> tuple[int, int] | None:
    """The 三级指标 header of this form: the first one under 项目名称. A table
    above the project name is the end of another form printed before this one
    (a page of a long document): it is left out, and said so."""
    first = g.first("level3")
    name_at = g.first("项目名称")
    if first is None or name_at is None or first[0] > name_at[0]:
        return first
    after = g.first("level3", after_row=name_at[0])
    if after is None:
        return first
    cell = a1(*first)
    reason = "项目名称之上的指标表：另一张表的残片，未读取"
    trace.skipped.append(SkippedRow("indicators", first[0] + 1, cell, g.text(*first), reason))
    return after


def _number(value, default: float) -> float:
    from perfxl.notation.parse import parse_number

    n = parse_number(value)
    return n if n is not None else float(default)


def _split_code(cv: CellValue, pattern: re.Pattern[str]) -> tuple[CellValue, str]:
    """A code written before a name (``[118]歙县文化和旅游局``) kept apart."""
    m = pattern.match(cv.text) if cv.text else None
    if not m:
        return cv, ""
    return dataclasses.replace(cv, value=m.group(2).strip()), m.group(1)


def _year_and_title(
    g: Grid, top: int, ind_row: int, project: CellValue
) -> tuple[int | None, str, str]:
    """The form's year: from the title rows (``（2018年度）``, ``2022年度…自评表``),
    then a cell labelled 年度, then the project name (``2019年…``), then any
    other year in the title rows; never from a 填报日期 cell."""
    title = ""
    loose: tuple[int, str] | None = None
    for r in range(0, min(top + 1, g.nrows)):
        for c in range(g.ncols):
            if g.anchor(r, c) != (r, c):
                continue
            text = g.text(r, c)
            if any(w in text for w in _DATE_WORDS):
                break  # 填报日期 and what follows it on the row: not the project's year
            if not text:
                continue
            if "自评表" in text and "自评表" not in title or not title and "绩效" in text:
                title = text
            norm = text.translate(_FULLWIDTH_DIGITS)
            m = _YEAR.search(norm)
            if m:
                return int(m.group(1)), a1(r, c), title or text
            m = _YEAR_LOOSE.search(norm)
            if m and loose is None and (r, c) != _cell_rc(project.cell):
                loose = (int(m.group(1)), a1(r, c))
    at = g.first("year", before_row=ind_row)
    if at:
        cv = g.right_of(*at)
        m = _YEAR_ONLY.match(cv.text.translate(_FULLWIDTH_DIGITS)) if cv.text else None
        if m:
            return int(m.group(1)), cv.cell, title
    m = _YEAR_LOOSE.search(project.text.translate(_FULLWIDTH_DIGITS)) if project.text else None
    if m:
        return int(m.group(1)), project.cell, title
    if loose:
        return loose[0], loose[1], title
    return None, "", title


def _cell_rc(cell: str) -> tuple[int, int] | None:
    if not cell:
        return None
    letters = "".join(ch for ch in cell if ch.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(cell[len(letters) :]) - 1, col - 1


def _goal(g: Grid, top: int, ind_row: int) -> tuple[CellValue, CellValue]:
    """预期目标 and 实际完成情况: the text right of each label, or under it when
    the labels stand side by side as a header. A label whose value would be
    another label (年度总体目标完成情况 over the table's own label) is passed over
    for the next one."""
    out: list[CellValue] = []
    under = False  # the first label's value stood under it: the labels are a header row
    for key in ("goal_expected", "goal_actual"):
        found = EMPTY
        for r, c in g.find(key):
            if r < top or r >= ind_row:
                continue
            cv = _goal_value(g, r, c, under)
            at = _cell_rc(cv.cell)
            if not cv.empty and at is not None and not g.is_label(*at):
                found = cv
                under = at[0] > g.span(r, c)[2]
                break
        out.append(found)
    return out[0], out[1]


def _goal_value(g: Grid, r: int, c: int, under: bool = False) -> CellValue:
    r0, _, r1, c1 = g.span(r, c)
    right_is_label = c1 + 1 < g.ncols and g.is_label(*g.anchor(r, c1 + 1))
    if right_is_label and r1 > r0:  # a block label merged down its rows: no value of its own
        return EMPTY
    below = g.below(r, c)
    if under and not below.empty:
        return below
    right = g.right_of(r, c)
    if not right.empty and not right_is_label:
        return right
    return below if not below.empty or right_is_label else right


def _grade(g: Grid, ind: Table | None, ind_row: int) -> CellValue:
    at = g.first("grade", after_row=ind_row)
    if at:
        return g.right_of(*at)
    if ind and ind.total_reason.text in GRADE_WORDS:
        return ind.total_reason
    return EMPTY


def _variant(g: Grid, ind: Table | None, fund_cols: dict[str, str]) -> str:
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
