"""A plain .xlsx package from sheets of values: the base of an .xls's completed
copy when LibreOffice is not installed.

calamine gives an .xls's values and merged ranges but not its formatting, so
the copy keeps those (text stays text, numbers stay numbers, dates get a
date format) with column widths estimated from the text, as the openpyxl
rebuild did; the package writer then adds perfxl's parts to it like to any
other workbook, in a few milliseconds instead of openpyxl's ≈ 40.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import zipfile
from typing import Any

from perfxl.write.review_sheet import put_text, text_width
from perfxl.write.sheet_edit import column_letter, format_number

__all__ = ["values_package"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_DECL}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
    'formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/>'
    '<family val="2"/><charset val="134"/></font></fonts><fills count="2"><fill><patternFill '
    'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
_EPOCH = dt.datetime(1899, 12, 30)
_SheetValues = tuple[str, list[list[Any]], list[tuple[tuple[int, int], tuple[int, int]]]]


def values_package(sheets: list[_SheetValues]) -> bytes:
    """The .xlsx bytes of ``sheets`` ((name, rows, merged ranges 0-based inclusive))."""
    strings: dict[str, int] = {}
    parts: dict[str, str] = {}
    for n, (_, rows, merged) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = _sheet(rows, merged, strings)
    sst = "".join(
        f'<si><t xml:space="preserve">{html.escape(t, quote=False)}</t></si>' for t in strings
    )
    parts["xl/sharedStrings.xml"] = (
        f'{_DECL}<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'
    )
    parts["xl/styles.xml"] = _STYLES
    entries = "".join(
        f'<sheet name="{html.escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _, _) in enumerate(sheets, start=1)
    )
    parts["xl/workbook.xml"] = (
        f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_R}"><bookViews><workbookView/></bookViews>'
        f"<sheets>{entries}</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_R}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    k = len(sheets)
    rels += f'<Relationship Id="rId{k + 1}" Type="{_R}/styles" Target="styles.xml"/>'
    rels += f'<Relationship Id="rId{k + 2}" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>'
    pkg_rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{_DECL}<Relationships xmlns="{pkg_rels}">{rels}</Relationships>'
    )
    parts["_rels/.rels"] = (
        f'{_DECL}<Relationships xmlns="{pkg_rels}"><Relationship Id="rId1" '
        f'Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT}worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    parts["[Content_Types].xml"] = (
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}sharedStrings+xml"/>'
        f"{overrides}</Types>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                     "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml"):  # fmt: skip
            z.writestr(name, parts.pop(name))
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def _value(value: Any, strings: dict[str, int]) -> str | None:
    """A cell's attributes and body, or None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v>'
    if isinstance(value, int | float):
        if not math.isfinite(value):
            value = str(value)
        else:
            return f"><v>{format_number(value)}</v>"
    if isinstance(value, dt.datetime | dt.date):
        when = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        serial = (when.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f' s="1"><v>{format_number(serial)}</v>'
    text = put_text(str(value))
    index = strings.setdefault(text, len(strings))
    return f' t="s"><v>{index}</v>'


def _sheet(rows: list[list[Any]], merged: list, strings: dict[str, int]) -> str:
    widths: dict[int, float] = {}
    body = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            cell = _value(value, strings)
            if cell is None:
                continue
            cells.append(f'<c r="{column_letter(c)}{r}"{cell}</c>')
            widths[c] = max(widths.get(c, 0.0), text_width(value))
        if cells:
            body.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{min(max(w + 2, 8), 50):.6g}" customWidth="1"/>'
        for c, w in sorted(widths.items())
    )
    ranges = [
        f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1}"
        for (r0, c0), (r1, c1) in merged
        if (r0, c0) != (r1, c1)
    ]
    merges = (
        f'<mergeCells count="{len(ranges)}">'
        + "".join(f'<mergeCell ref="{ref}"/>' for ref in ranges)
        + "</mergeCells>"
        if ranges
        else ""
    )
    return (
        f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_R}"><sheetViews><sheetView '
        'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>" + "".join(body) + "</sheetData>" + merges
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )  # fmt: skip
