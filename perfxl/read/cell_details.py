"""Number formats and formula texts of a few cells of an .xlsx, cheaply.

calamine gives values but not number formats (a 95% cell reads 0.95) and not
formulas (an uncached formula reads as empty). openpyxl knows both but loads
styles and the whole sheet into objects: ~15 ms a form, 50× the calamine
read, for the two or three cells we ask about. This module answers only that
question — the ``s`` style index and ``<f>`` child of named ``<c>`` elements,
resolved through ``styles.xml`` — with defusedxml's parser (no entity
expansion) on members whose sizes files.sniff already bounded. Anything it
cannot resolve is simply left out; callers treat a missing answer as
"General, no formula".
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from typing import Any

from defusedxml.ElementTree import fromstring

from perfxl.model import CellValue, ProjectForm
from perfxl.read.grid import is_blank
from perfxl.read.sniff import Sniffed, sniff

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_M = "{" + NS["m"] + "}"
# built-in number formats that show a percent sign
BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}
_QUOTED = re.compile(r'"[^"]*"|\\.')


def is_percent_format(code: str) -> bool:
    """True when a number format code shows the value as a percentage."""
    return "%" in _QUOTED.sub("", code or "")


@functools.lru_cache(maxsize=64)
def _formats(styles_xml: bytes) -> tuple[str, ...]:
    """Number format code of each cellXfs entry (index = a cell's ``s``).
    Memoised on the part's bytes: units fill the same template, whose
    styles.xml is byte for byte the same in most files of an inbox."""
    if not styles_xml:
        return ()
    styles = fromstring(styles_xml)
    custom = {
        int(n.get("numFmtId", -1)): n.get("formatCode", "") for n in styles.iter(_M + "numFmt")
    }
    xfs = styles.find(_M + "cellXfs")
    codes = []
    for xf in xfs.iter(_M + "xf") if xfs is not None else ():
        fid = int(xf.get("numFmtId", 0) or 0)
        codes.append(custom.get(fid) or BUILTIN_PERCENT.get(fid, "General"))
    return tuple(codes)


# a cell's start tag (any namespace prefix) and the attributes we need
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s([^>]*?)(/?)>")
_ATTR_R = re.compile(rb"""\br\s*=\s*["']([A-Za-z]+[0-9]+)["']""")
_ATTR_S = re.compile(rb"""\bs\s*=\s*["']([0-9]+)["']""")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f\b[^>]*?(?:/>|>([^<]*)<)")
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")


def _cell_tag(xml: bytes, addr: str) -> re.Match[bytes] | None:
    """The first cell start tag whose r attribute is ``addr``. Such a tag holds
    the address in quotes, so only the places where the quoted address occurs
    are looked at (a handful), not every cell of the sheet; an address that
    never occurs quoted is a cell Excel did not write."""
    want = addr.encode()
    hits = sorted(
        pos
        for quoted in (b'"' + want + b'"', b"'" + want + b"'")
        for pos in _occurrences(xml, quoted)
    )
    for pos in hits:
        m = _CELL.match(xml, xml.rfind(b"<", 0, pos))
        if m and m.end() > pos and (r := _ATTR_R.search(m.group(1))) and r.group(1) == want:
            return m
    return None


def _occurrences(xml: bytes, needle: bytes) -> list[int]:
    out, pos = [], xml.find(needle)
    while pos != -1:
        out.append(pos)
        pos = xml.find(needle, pos + 1)
    return out


def _scan_cells(
    xml: bytes, addrs: set[str], codes: tuple[str, ...]
) -> dict[str, tuple[str, str | None]]:
    """Style code and formula of the wanted cells, read from their start tags
    (the sheet is small and has no DTD: files.sniff refused those). A full XML
    parse costs ~1 ms a form for the two or three cells we need."""
    found: dict[str, tuple[str, str | None]] = {}
    for addr in addrs:
        m = _cell_tag(xml, addr)
        if m is None:
            continue
        s = _ATTR_S.search(m.group(1))
        idx = int(s.group(1)) if s else 0
        formula = None
        if not m.group(2):  # not self-closing: look inside up to </c>
            end = _CELL_END.search(xml, m.end())
            f = _FORMULA.search(xml, m.end(), end.start() if end else len(xml))
            if f:
                text = f.group(1).decode("utf-8", "replace") if f.group(1) else ""
                formula = "=" + html.unescape(text) if text else "=(共享公式)"
        found[addr] = (codes[idx] if idx < len(codes) else "General", formula)
    return found


def cell_details(
    data: bytes | Sniffed, wanted: dict[str, set[str]]
) -> dict[str, dict[str, tuple[str, str | None]]]:
    """{sheet: {address: (number format code, formula text or None)}} for the
    wanted cells; cells not found are left out. ``data``: the package's bytes,
    or what files.sniff already inflated of it."""
    package = data if isinstance(data, Sniffed) else sniff(data, "")
    codes = _formats(package.parts.get("xl/styles.xml", b""))
    out: dict[str, dict[str, tuple[str, str | None]]] = {}
    for sheet, addrs in wanted.items():
        xml = package.parts.get(package.sheets.get(sheet, ""))
        if not addrs or xml is None:
            continue
        out[sheet] = _scan_cells(xml, addrs, codes)
    return out


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def has_formulas(package: Sniffed, sheet: str) -> bool:
    """Whether a sheet holds any formula at all (True when it cannot tell):
    without one, no empty cell can be an uncached formula."""
    xml = package.parts.get(package.sheets.get(sheet, ""))
    return xml is None or _FORMULA_TAG.search(xml) is not None


# -- applying the details to a form ------------------------------------------------
def cells_needing_details(form: ProjectForm, formulas: bool = True) -> set[str]:
    """Cells whose number format or formula we must know to read them right
    (``formulas=False``: the sheet has none, so empty cells are just empty)."""
    wanted: set[str] = set()
    for ind in form.indicators:
        for cv in (ind.actual, ind.target):
            v = cv.value
            if (
                isinstance(v, (int, float))
                and not isinstance(v, bool)
                and 0 < abs(v) < 2
                and cv.cell
            ):
                wanted.add(cv.cell)
        for cv in (ind.target, ind.actual, ind.weight):
            if formulas and cv.empty and cv.cell:
                wanted.add(cv.cell)
    total = form.fund("total")
    if total and formulas:
        for cv in (total.budget, total.executed):
            if cv.empty and cv.cell:
                wanted.add(cv.cell)
    return wanted


def with_details(form: ProjectForm, details: dict[str, tuple[str, str | None]]) -> ProjectForm:
    if not details:
        return form

    def fix(cv: CellValue) -> CellValue:
        d = details.get(cv.cell)
        if not d:
            return cv
        fmt, formula = d
        pct = is_percent_format(fmt) and not is_blank(cv.value)
        if pct or (formula and cv.empty):
            return dataclasses.replace(cv, percent=pct, formula=formula if cv.empty else None)
        return cv

    def fixed(obj: Any, names: tuple[str, ...]) -> Any:
        changes = {n: new for n in names if (new := fix(getattr(obj, n))) is not getattr(obj, n)}
        return dataclasses.replace(obj, **changes) if changes else obj

    inds = tuple(fixed(i, ("target", "actual", "weight")) for i in form.indicators)
    funds = tuple(fixed(f, ("budget", "executed")) for f in form.funds)
    return dataclasses.replace(form, indicators=inds, funds=funds)
