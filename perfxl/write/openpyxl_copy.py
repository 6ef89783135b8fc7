"""The completed copy rebuilt through openpyxl: the fallback for a package the
patcher cannot edit safely (strict OOXML, something unexpected) and for an
.xls when LibreOffice is not installed (values and merged cells only).

It loses what openpyxl does not model (drawings, sparklines, extensions,
cached formula values), and the 复核 sheet says so; but it never leaves a
broken file.
"""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from perfxl.write.fill_plan import COLOUR, Fill, Mark, cell_index
from perfxl.write.review_sheet import Line, put_cell, render_openpyxl, text_width

__all__ = ["SheetValues", "calamine_values", "openpyxl_copy"]

AUTHOR = "perfxl"
_COMMENT_JUNK = re.compile(r"[\x00-\x09\x0b-\x1f]")
# (sheet name, rows of values, merged ranges ((r0, c0), (r1, c1)) 0-based inclusive)
SheetValues = tuple[str, list[list[Any]], list[tuple[tuple[int, int], tuple[int, int]]]]


def openpyxl_copy(
    data: bytes | None,
    values: Callable[[], list[SheetValues]] | None,
    fills: list[Fill],
    marks: list[tuple[str, str, str, str]],
    title: Callable[[list[str]], str],
    lines: Callable[[], list[Line]],
    out: Any,
    stamp: Any,
    keep_vba: bool = False,
) -> None:
    """Load ``data`` (or rebuild ``values()``), fill, mark, add the 复核 sheet, save to ``out``."""
    wb = _load(data, keep_vba) if data is not None else _from_values(values())
    looks: dict[tuple[str, int, int], Mark] = {}
    for f in fills:
        if f.sheet in wb.sheetnames:
            _fill(wb[f.sheet], f, looks)
    for sheet, cell, kind, line in marks:
        if sheet in wb.sheetnames:
            where = _anchor(wb[sheet], cell)
            if where is not None:
                looks.setdefault((sheet, *where), Mark()).add(kind, line)
    _apply(wb, looks)
    ws = wb.create_sheet(title(wb.sheetnames))
    render_openpyxl(ws, lines())
    wb.properties.created = stamp
    wb.properties.modified = stamp
    _save(wb, out, stamp)


def _load(data: bytes, keep_vba: bool) -> Any:
    from openpyxl import load_workbook

    from perfxl.write.fast_merge import fast_merged_borders

    with warnings.catch_warnings(), fast_merged_borders():
        warnings.simplefilter("ignore")  # unsupported extensions are dropped with a warning
        wb = load_workbook(io.BytesIO(data), keep_vba=keep_vba)
    wb.template = False  # an .xltx content type must not leak into the copy
    return wb


def calamine_values(src: Path) -> list[SheetValues]:
    """Every sheet of a workbook as values and merged ranges, via python-calamine."""
    import python_calamine as pc

    with open(src, "rb") as fh:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    out: list[SheetValues] = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        out.append((name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []))
    return out


def _from_values(sheets: list[SheetValues]) -> Any:
    """An .xls as an openpyxl workbook: values and merged cells survive,
    formatting cannot (calamine does not expose it), so widths are estimated."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows, merged in sheets:
        ws = wb.create_sheet(name)
        widths: dict[int, float] = {}
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                    value = int(value)
                put_cell(ws.cell(r, c), value)
                widths[c] = max(widths.get(c, 0.0), text_width(value))
        for (r0, c0), (r1, c1) in merged:
            if (r0, c0) != (r1, c1):
                ws.merge_cells(
                    start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1
                )
        for c, w in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, 8), 50)
    return wb


def _anchor(ws: Any, address: str) -> tuple[int, int] | None:
    where = cell_index(address)
    if where is None:
        return None
    row, col = where
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def _fill(ws: Any, f: Fill, looks: dict) -> None:
    """Write the value only into an empty cell: what the unit wrote stays."""
    where = _anchor(ws, f.cell)
    if where is None or f.value is None:
        return
    cell = ws.cell(*where)
    if cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip()):
        return
    put_cell(cell, f.value)
    if f.fmt:
        cell.number_format = f.fmt
    looks.setdefault((ws.title, *where), Mark()).add("filled", f.note)


def _apply(wb: Any, looks: dict) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    for (title, row, col), mark in looks.items():
        cell = wb[title].cell(row, col)
        colour = COLOUR[mark.rank]
        cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
        text = _COMMENT_JUNK.sub("", "\n".join(mark.lines).replace("\r\n", "\n"))
        author = AUTHOR
        old = cell.comment
        if old is not None and old.text:
            text = _COMMENT_JUNK.sub("", old.text).rstrip("\n") + "\n" + text
            author = old.author or AUTHOR
        rows = sum(1 + int(text_width(line) // 40) for line in text.split("\n"))
        cell.comment = Comment(text, author, height=min(24 + 16 * rows, 400), width=300)


class _StableZip(zipfile.ZipFile):
    """A ZipFile giving every member one fixed timestamp: two runs, same bytes."""

    date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.date_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, *args)

    def write(self, filename: Any, arcname: Any = None, *args: Any) -> None:
        with open(filename, "rb") as fh:
            self.writestr(arcname or os.path.basename(filename), fh.read(), *args)


def _save(wb: Any, out: Any, stamp: Any) -> None:
    """openpyxl's ``Workbook.save`` stamps ``modified`` with the current time,
    so the writer is driven directly (same steps, without that line)."""
    from openpyxl.writer.excel import ExcelWriter

    with _StableZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        if stamp.year >= 1980:
            archive.date_time = stamp.timetuple()[:6]
        ExcelWriter(wb, archive).save()
