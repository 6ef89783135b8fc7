"""The 附表 of the report (the form as one Word table) and the pieces the whole
report shares: Chinese-font runs and figures written the way reports write them.

The table lives apart from the narrative (:mod:`perfxl.write.report`) because it is
a layout problem of its own: merged 一级/二级 cells, fixed column widths that
Word and LibreOffice both honour, landscape A4.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from perfxl.model import CellValue, ProjectForm, ProjectScore
from perfxl.score.compute import amount
from perfxl.text import plain_number

BODY_FONT = "宋体"
NO_NAME = "未命名项目"
CHECK = "【待核实】"
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


# ---------------------------------------------------------------- figures


# how reports write figures (5, 4.3, 82.08): the one number-text helper of perfxl.text
fmt_number = plain_number


def fmt_percent(fraction: float | None) -> str:
    """0.86 -> '86%', 1.025 -> '102.5%'; unknown -> the check-me marker."""
    return CHECK if fraction is None else fmt_number(fraction * 100) + "%"


def cell_text(cell: CellValue) -> str:
    """A cell as a reader of the form sees it (95% stays 95%, not 0.95)."""
    value = cell.value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return fmt_number(value * 100, 4) + "%" if cell.percent else fmt_number(value, 4)
    if isinstance(value, date):  # datetime too: forms hold dates, not times
        return value.isoformat()[:10]
    return cell.text


def project_name(form: ProjectForm) -> str:
    """The name for titles and the table: an unnamed project gets its source
    file's name (what the clerk knows it by), and only without one a placeholder."""
    return form.project_name.text.strip() or PurePath(form.file).stem.strip() or NO_NAME


# ---------------------------------------------------------------- fonts


def set_fonts(rpr_owner: Any, name: str) -> None:
    """Set ascii, hAnsi and eastAsia font names of a style or run."""
    name_fonts(rpr_owner.get_or_add_rPr().get_or_add_rFonts(), name)


def name_fonts(rfonts: Any, name: str) -> None:
    """Name the fonts of a ``w:rFonts`` and drop theme fonts, which would win."""
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), name)


def add_run(paragraph: Any, text: str, font: str = BODY_FONT, **style: Any) -> Any:
    """A run whose font holds for Chinese text too (Word takes it from w:eastAsia only)."""
    run = paragraph.add_run(text)
    run.font.name = font
    set_fonts(run._element, font)
    for key, value in style.items():
        setattr(run.font, key, value)
    return run


# ---------------------------------------------------------------- the table

HEADERS = tuple("一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因".split())
# column widths in mm on landscape A4 (246 mm between the margins); 分值 and 得分
# hold "100.00%" and "1,234.56" on one line at 10.5 pt
WIDTHS_MM = (22, 26, 46, 34, 34, 20, 20, 44)
_NUMBER = re.compile(r"[-+]?[\d,]+(\.\d+)?%?")


def appendix_table(doc: DocxDocument, form: ProjectForm, score: ProjectScore) -> None:
    """The form as one 8-column bordered table: header, funds, goals, indicators, total."""
    table = doc.add_table(rows=0, cols=len(HEADERS))
    table.style = doc.styles["Table Grid"]

    def row(*cells: tuple[str, int] | str, bold: bool = False) -> Any:
        """Append a row; a (text, span) tuple merges ``span`` columns."""
        new = table.add_row().cells
        col = 0
        for item in cells:
            text, span = (item, 1) if isinstance(item, str) else item
            cell = new[col] if span == 1 else new[col].merge(new[col + span - 1])
            add_run(cell.paragraphs[0], text, bold=bold or None)
            col += span
        return new

    row("项目名称", (project_name(form), 7))
    row("主管部门", (form.department.text, 3), "实施单位", (form.implementer.text, 3))
    row(
        ("项目资金（万元）", 2),
        *"年初预算数 全年预算数 全年执行数 分值 执行率 得分".split(),
        bold=True,
    )
    factor = form.money_factor
    for fund in form.funds:
        amounts = [amount(c, factor) for c in (fund.initial, fund.budget, fund.executed)]
        cells = [fmt_number(a, 4) if a is not None else "" for a in amounts]
        budget = (score.budget_weight, score.rate, score.budget_score)
        rated = [fmt_number(budget[0]), fmt_percent(budget[1]), fmt_number(budget[2])]
        cells += rated if fund.kind == "total" else ["", "", ""]
        row((fund.label or fund.kind, 2), *cells)
    row(("年度总体目标：预期目标", 4), ("实际完成情况", 4), bold=True)
    row((cell_text(form.goal_expected), 4), (cell_text(form.goal_actual), 4))
    row(*HEADERS, bold=True)

    by_category: dict[tuple[str, str], list[Any]] = {}
    for s in score.indicators:
        by_category.setdefault((s.indicator.level1, s.indicator.level2), []).append(s)
    categories = list(form.categories) + [c for c in by_category if c not in form.categories]
    first_row = len(table.rows)
    keys: list[tuple[str, str]] = []
    for category in categories:
        for s in by_category.get(category, []) or [None]:
            keys.append(category)
            if s is None:  # an empty category of the form (e.g. 生态效益指标)
                row(*category, "", "", "", "", "", "")
                continue
            ind = s.indicator
            texts = [cell_text(c) for c in (ind.target, ind.actual)]
            numbers = [fmt_number(s.weight), fmt_number(s.review)]
            row(*category, ind.name, *texts, *numbers, cell_text(ind.reason))
    _merge_runs(table, first_row, [k[:1] for k in keys], col=0)
    _merge_runs(table, first_row, keys, col=1)
    total_weight = score.budget_weight + sum(s.weight for s in score.indicators)
    row(
        ("总分", 5),
        fmt_number(total_weight),
        fmt_number(score.total),
        f"评价等级：{score.grade}",
        bold=True,
    )
    _set_widths(table)
    _keep_rows_whole(table)
    note = doc.add_paragraph()
    add_run(note, "注：表中“得分”“总分”为复核得分，自评得分见汇总表及完成后的自评表。", size=Pt(9))


def _keep_rows_whole(table: Any) -> None:
    """No row split across pages (``w:cantSplit``) and no number broken over
    two lines (``w:noWrap`` on every cell that holds only a number or a
    percentage; the widths above leave room for them)."""
    for tr in table._tbl.tr_lst:
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for tc in tr.tc_lst:
            text = "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()
            if text and _NUMBER.fullmatch(text):
                _insert_in_order(tc.get_or_add_tcPr(), OxmlElement("w:noWrap"), _AFTER_NOWRAP)


# the w:tcPr children that must come after w:noWrap (the schema fixes their order)
_AFTER_NOWRAP = ("w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _insert_in_order(parent: Any, child: Any, later: tuple[str, ...]) -> None:
    """Insert ``child`` before the first of ``later`` present, else at the end."""
    for tag in later:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def _set_widths(table: Any) -> None:
    """Fixed column widths: Word reads each cell's width, LibreOffice the grid."""
    table.autofit = False
    for column, mm in zip(table.columns, WIDTHS_MM, strict=True):
        column.width = Mm(mm)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            tc.width = Mm(sum(WIDTHS_MM[col : col + tc.grid_span]))
            col += tc.grid_span


def _merge_runs(table: Any, start: int, keys: list[tuple[str, ...]], *, col: int) -> None:
    """Merge vertically adjacent cells of ``col`` whose keys are equal, as the form does.

    The key of the 二级 column includes the 一级 name, so a 二级 name repeated
    under another 一级 stays separate.
    """
    begin = 0
    for i in range(1, len(keys) + 1):
        if i < len(keys) and keys[i] == keys[begin]:
            continue
        if i - 1 > begin:
            for below in range(start + begin + 1, start + i):  # keep the name once
                table.cell(below, col).paragraphs[0].clear()
            table.cell(start + begin, col).merge(table.cell(start + i - 1, col))
        begin = i
