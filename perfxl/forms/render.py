"""Render laid-out forms (:class:`~perfxl.layout.FormLayout`) as workbook bytes.

One grid becomes an .xlsx (xlsxwriter), a macro-enabled .xlsm (the same
package with its workbook part declared macro-enabled) or a BIFF8 .xls
(xlwt), print-ready on A4. Every text is written as text, never as a formula;
the only formulas are the layout's own computed cells
(:class:`~perfxl.form_spec.Formula`), written with their cached results (in an
.xls as the result alone). The document date is fixed, so the same forms give
the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from perfxl.forms.layout import FormLayout
from perfxl.forms.spec import Formula

FIXED_CREATED = datetime(2024, 1, 1)  # fixed document date: same seed, same bytes

_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "size": 16, "center": True, "border": False},
    "year": {"size": 12, "center": True, "border": False},
    "label": {"center": True, "border": True},
    "head": {"bold": True, "center": True, "border": True},
    "text": {"center": False, "border": True},
    "value": {"center": True, "border": True},
    "plain": {"center": False, "border": False},
}

Sheet = tuple[str, FormLayout | list[str], int, int]  # name, grid or text lines, row/col offset


def render_xlsx(
    sheets: Sequence[Sheet], *, macro: bool = False, created: datetime = FIXED_CREATED
) -> bytes:
    """An .xlsx (or macro-enabled .xlsm) package with xlsxwriter, print-ready."""
    import xlsxwriter

    buf = io.BytesIO()
    opts = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    wb = xlsxwriter.Workbook(buf, opts)
    wb.set_properties({"created": created, "author": "", "comments": ""})
    cache: dict[tuple[str, str | None], Any] = {}

    def fmt(style: str, numfmt: str | None) -> Any:
        if (style, numfmt) not in cache:
            s = _STYLES[style]
            props = {
                "font_name": "宋体",
                "font_size": s.get("size", 11),
                "bold": s.get("bold", False),
                "align": "center" if s["center"] else "left",
                "valign": "vcenter",
                "text_wrap": True,
                "border": 1 if s["border"] else 0,
            }
            if numfmt:
                props["num_format"] = numfmt
            cache[(style, numfmt)] = wb.add_format(props)
        return cache[(style, numfmt)]

    for name, grid, dr, dc in sheets:
        ws = wb.add_worksheet(name)
        if not isinstance(grid, FormLayout):
            ws.set_column(0, 0, 90)
            for i, line in enumerate(grid):
                ws.write_string(i, 0, line, fmt("title" if i == 0 else "plain", None))
            continue
        for c, width in enumerate(grid.widths):
            ws.set_column(c + dc, c + dc, width)
        for r, h in grid.heights.items():
            ws.set_row(r + dr, h)
        for r0, c0, r1, c1 in grid.merges:
            _, style, numfmt = grid.cells[(r0, c0)]
            ws.merge_range(r0 + dr, c0 + dc, r1 + dr, c1 + dc, "", fmt(style, numfmt))
        for (r, c), (v, style, numfmt) in sorted(grid.cells.items()):
            f = fmt(style, numfmt)
            if v is None:
                ws.write_blank(r + dr, c + dc, None, f)
            elif isinstance(v, str):
                ws.write_string(r + dr, c + dc, v, f)
            elif isinstance(v, Formula):  # our own formula, with the result Excel would cache
                ws.write_formula(r + dr, c + dc, v.text(dr, dc), f, float(v.cached))
            else:
                ws.write_number(r + dr, c + dc, float(v), f)
        ws.set_paper(9)
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        ws.center_horizontally()
        ws.set_footer("&C第 &P 页，共 &N 页")
        if grid.repeat_rows:
            ws.repeat_rows(grid.repeat_rows[0] + dr, grid.repeat_rows[1] + dr)
    wb.close()
    data = buf.getvalue()
    return _macro_enabled(data) if macro else data


def _macro_enabled(data: bytes) -> bytes:
    """Declare the workbook part macro-enabled, which is what makes a package an .xlsm."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                part = part.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            dst.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def render_xls(sheets: Sequence[Sheet]) -> bytes:
    """A BIFF8 .xls with xlwt (merges, borders, percent formats), as old systems export."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    cache: dict[tuple[str, str | None], Any] = {}

    def fmt(style: str, numfmt: str | None) -> Any:
        if (style, numfmt) not in cache:
            s = _STYLES[style]
            spec = f"font: name 宋体, height {s.get('size', 11) * 20}{', bold on' if s.get('bold') else ''}; "
            spec += f"align: wrap on, vert centre, horiz {'center' if s['center'] else 'left'}"
            if s["border"]:
                spec += "; borders: left thin, right thin, top thin, bottom thin"
            cache[(style, numfmt)] = xlwt.easyxf(spec, num_format_str=numfmt or "General")
        return cache[(style, numfmt)]

    for name, grid, dr, dc in sheets:
        ws = wb.add_sheet(name, cell_overwrite_ok=True)
        if not isinstance(grid, FormLayout):
            ws.col(0).width = 256 * 90
            for i, line in enumerate(grid):
                ws.write(i, 0, line, fmt("title" if i == 0 else "plain", None))
            continue
        for c, width in enumerate(grid.widths):
            ws.col(c + dc).width = int(256 * width)
        for r, h in grid.heights.items():
            ws.row(r + dr).height_mismatch = True
            ws.row(r + dr).height = int(h * 20)
        merged = {(a, b): (c, d) for a, b, c, d in grid.merges}
        for (r, c), (v, style, numfmt) in sorted(grid.cells.items()):
            if isinstance(v, Formula):  # xlwt cannot store a cached result: the value only
                v = v.cached
            value = float(v) if isinstance(v, int | float) else v
            if (r, c) in merged:
                r1, c1 = merged[(r, c)]
                ws.write_merge(r + dr, r1 + dr, c + dc, c1 + dc, value, fmt(style, numfmt))
            else:
                ws.write(r + dr, c + dc, value, fmt(style, numfmt))
        ws.paper_size_code = 9
        ws.portrait = True
        ws.fit_num_pages, ws.fit_width_to_pages, ws.fit_height_to_pages = 1, 1, 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
