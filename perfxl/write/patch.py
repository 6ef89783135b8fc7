"""Write a completed copy by editing the unit's package (see package.py).

The parts that change: the form sheets (filled cells, fills on marked
cells), the shared strings and styles (appended), the sheets' comments and
VML drawings, the new 复核 sheet, and workbook.xml (its sheet entry, hidden
names that mark what perfxl added, and a request to recalculate on open:
filled cells can make cached totals stale). Everything else is copied raw.
A package this code does not understand raises :class:`PackageError`, and
the caller writes the openpyxl copy instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from perfxl.write.book_parts import SharedStrings, Styles
from perfxl.write.comments import VmlIds, add_comments
from perfxl.write.fill_plan import COLOUR, Fill, Mark
from perfxl.write.package import CT, NS, REL, Package, PackageError, tag
from perfxl.write.review_sheet import Line
from perfxl.write.review_xml import review_sheet_xml
from perfxl.write.sheet_edit import SheetEdit, column_letter

__all__ = ["FILLED_NAME", "REVIEW_NAME", "patch_package"]

# hidden defined names that tell perfxl's reader what perfxl added
REVIEW_NAME, FILLED_NAME = "perfxl_review", "perfxl_filled"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_COMMENT_JUNK = re.compile(r"[\x00-\x09\x0b-\x1f]")
# CT_Workbook children after definedNames / after calcPr
_AFTER_NAMES = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr",
                "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")  # fmt: skip


def _m(name: str) -> str:
    return tag("main", name)


def workbook_part(pkg: Package) -> str:
    for _, rel_type, target in pkg.rels(""):
        if rel_type == _OFFICE_DOC:
            return target
    raise PackageError("no officeDocument relationship")


def patch_package(
    pkg: Package,
    fills: list[Fill],
    marks: list[tuple[str, str, str, str]],
    review_title: Callable[[list[str]], str],
    review_lines: list[Line],
    macros: bool = True,
) -> None:
    """Apply perfxl's additions to ``pkg`` (saved by the caller).

    ``marks`` are (sheet, cell, kind, comment line) of located problems;
    ``review_title`` picks the 复核 sheet's name given the existing ones.
    """
    wb_part = workbook_part(pkg)
    _plain_type(pkg, wb_part, macros)
    wb = pkg.xml(wb_part)
    if wb.tag != _m("workbook"):
        raise PackageError("not a transitional SpreadsheetML workbook (strict OOXML?)")
    sheets_el = wb.find(_m("sheets"))
    if sheets_el is None:
        raise PackageError("no sheets")
    targets = {rid: t for rid, ty, t in pkg.rels(wb_part) if ty == REL["sheet"]}
    entries = [(s.get("name", ""), targets.get(s.get(f"{{{NS['r']}}}id", ""))) for s in sheets_el]
    parts = {name: part for name, part in entries if part}
    styles, strings = Styles(pkg, wb_part), SharedStrings(pkg, wb_part)
    edits: dict[str, SheetEdit] = {}

    def edit(sheet: str) -> SheetEdit | None:
        if sheet not in parts:
            return None
        if sheet not in edits:
            edits[sheet] = SheetEdit(pkg, parts[sheet], styles, strings)
        return edits[sheet]

    wanted: dict[str, set[int]] = {}  # the rows each sheet will have touched
    for sheet, cell in [(f.sheet, f.cell) for f in fills] + [(m[0], m[1]) for m in marks]:
        ed = edit(sheet)
        where = ed.anchor(cell) if ed else None
        if where is not None:
            wanted.setdefault(sheet, set()).add(where[0])
    for sheet, rows in wanted.items():
        edits[sheet].prepare(rows)
    looks: dict[tuple[str, int, int], Mark] = {}
    formats: dict[tuple[str, int, int], str | None] = {}
    filled: dict[str, list[str]] = {}
    for f in fills:
        ed = edit(f.sheet)
        where = ed.anchor(f.cell) if ed else None
        if ed is None or where is None or not ed.is_empty(ed.cell(*where)):
            continue  # what the unit wrote stays
        ed.set_value(ed.cell(*where, create=True), f.value)
        key = (f.sheet, *where)
        formats[key] = f.fmt
        looks.setdefault(key, Mark()).add("filled", f.note)
        filled.setdefault(f.sheet, []).append(f"${column_letter(where[1])}${where[0]}")
    for sheet, cell, kind, line in marks:
        ed = edit(sheet)
        where = ed.anchor(cell) if ed else None
        if where is not None:
            looks.setdefault((sheet, *where), Mark()).add(kind, line)
    notes: dict[str, dict[tuple[int, int], str]] = {}
    for (sheet, row, col), mark in looks.items():
        ed = edits[sheet]
        ed.restyle(
            ed.cell(row, col, create=True), COLOUR[mark.rank], formats.get((sheet, row, col))
        )
        text = _COMMENT_JUNK.sub("", "\n".join(mark.lines).replace("\r\n", "\n"))
        notes.setdefault(sheet, {})[(row, col)] = text
    ids = VmlIds(pkg) if notes else None
    for sheet, by_cell in notes.items():
        add_comments(pkg, edits[sheet], by_cell, ids)
    title = review_title([name for name, _ in entries])
    part = pkg.free_name("xl/worksheets/sheet%d.xml")
    pkg.put(part, review_sheet_xml(review_lines, styles, strings), CT["sheet"])
    rid = pkg.add_rel(wb_part, REL["sheet"], part)
    ids_taken = [int(s.get("sheetId")) for s in sheets_el if (s.get("sheetId") or "").isdigit()]
    new = etree.SubElement(
        sheets_el, _m("sheet"), name=title, sheetId=str(max([0, *ids_taken]) + 1)
    )
    new.set(f"{{{NS['r']}}}id", rid)
    positions = {name: i for i, (name, _) in enumerate(entries)}
    _mark_names(wb, len(entries), title, {positions[s]: (s, refs) for s, refs in filled.items()})
    _recalc_on_open(wb)
    pkg.touch(wb_part)
    for ed in edits.values():
        ed.finish()
    styles.finish()
    strings.finish()


_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def _plain_type(pkg: Package, wb_part: str, macros: bool) -> None:
    """A template's content type becomes a workbook's; without ``macros``
    (a copy named .xlsx, which Excel refuses to open with macros in it) a
    macro-enabled workbook also loses its VBA project."""
    text = pkg.read("[Content_Types].xml")
    if b"template" not in text and (macros or b"macroEnabled" not in text):
        types = None  # nothing to change: the part is not even parsed
    else:
        types = pkg.xml("[Content_Types].xml")
    for el in types.iter(tag("ct", "Override")) if types is not None else ():
        if el.get("PartName", "").lstrip("/") != wb_part:
            continue
        kind = el.get("ContentType", "")
        if "template" in kind or ("macroEnabled" in kind and not macros):
            if "macroEnabled" in kind and macros:
                el.set("ContentType", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            else:
                el.set("ContentType", _MAIN_TYPE)
            pkg.touch("[Content_Types].xml")
    if macros:
        return
    rels = pkg.rels_name(wb_part)
    for rid, rel_type, target in pkg.rels(wb_part):
        if rel_type == _VBA:
            root = pkg.xml(rels)
            for el in list(root):
                if el.get("Id") == rid:
                    root.remove(el)
            pkg.touch(rels)
            pkg.remove(target)
            types = pkg.xml("[Content_Types].xml")
            for el in list(types.iter(tag("ct", "Override"))):
                if el.get("PartName", "").lstrip("/") == target:
                    types.remove(el)
            pkg.touch("[Content_Types].xml")


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _mark_names(
    wb: Any, review_index: int, title: str, filled: dict[int, tuple[str, list[str]]]
) -> None:
    """Hidden sheet-scoped names: the 复核 sheet, and the cells perfxl filled
    on each form sheet (references, so they follow inserted rows)."""
    names = wb.find(_m("definedNames"))
    if names is None:
        names = etree.Element(_m("definedNames"))
        for child in wb:
            if isinstance(child.tag, str) and etree.QName(child).localname in _AFTER_NAMES:
                child.addprevious(names)
                break
        else:
            wb.append(names)
    wanted = [(REVIEW_NAME, review_index, f"{_quoted(title)}!$A$1")]
    for index, (sheet, refs) in sorted(filled.items()):
        wanted.append((FILLED_NAME, index, ",".join(f"{_quoted(sheet)}!{r}" for r in refs)))
    existing = {(el.get("name", "").lower(), el.get("localSheetId")): el for el in names}
    for name, index, text in wanted:
        old = existing.get((name, str(index)))
        if old is not None:  # a copy completed again: keep the earlier marks too
            old.text = f"{old.text},{text}" if old.text else text
            continue
        el = etree.SubElement(names, _m("definedName"), name=name, localSheetId=str(index))
        el.set("hidden", "1")
        el.text = text


def _recalc_on_open(wb: Any) -> None:
    calc = wb.find(_m("calcPr"))
    if calc is None:
        calc = etree.Element(_m("calcPr"))
        later = _AFTER_NAMES[1:]
        for child in wb:
            if isinstance(child.tag, str) and etree.QName(child).localname in later:
                child.addprevious(calc)
                break
        else:
            wb.append(calc)
    calc.set("fullCalcOnLoad", "1")
