"""Write the completed workbook: a copy of one input, filled, marked and explained.

Reviewers work in Excel, so the review goes back into the unit's own form:
computed cells the unit left empty are filled (and marked, so nobody takes
them for the unit's figures), every located problem is coloured and commented
on its cell, and a ``复核`` sheet sets self and review figures side by side.
The input is never touched; the copy is always ``.xlsx`` and is written
atomically and deterministically (same input, same bytes), so a batch can be
re-run and diffed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfxl.model import SEVERITY_ORDER, Problem, ProjectForm, ProjectScore
from perfxl.read.sniff import OLE_MAGIC
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.write.atomic import atomic_path
from perfxl.write.review_sheet import PCT, SCORE, ReviewSheet, put_cell, reading_text, text_width

__all__ = ["FILLED_NOTE", "REVIEW_SHEET", "SheetValues", "calamine_values", "reading_text",
           "write_completed"]  # fmt: skip

AUTHOR = "perfxl"
FILLED_NOTE = "由 perfxl 复核计算填写"
REVIEW_SHEET = "复核"
TAG = {"error": "【错误】", "warning": "【警告】", "info": "【提示】"}
# mark rank -> fill colour; the most severe mark on a cell decides its colour
RANK = {"error": 0, "warning": 1, "info": 2, "filled": 3}
COLOUR = {0: "FFC7CE", 1: "FFEB9C", 2: "EDEDED", 3: "DDEBF7"}
_COMMENT_JUNK = re.compile(r"[\x00-\x09\x0b-\x1f]")
_ADDRESS = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")

# (sheet name, rows of values, merged ranges ((r0, c0), (r1, c1)) 0-based inclusive)
SheetValues = tuple[str, list[list[Any]], list[tuple[tuple[int, int], tuple[int, int]]]]


def write_completed(
    src: Path,
    dst: Path,
    reviews: list[tuple[ProjectForm, ProjectScore | None]],
    problems: list[Problem],
    *,
    rules: Rules = DEFAULT,
    read_values: Callable[[Path], list[SheetValues]] | None = None,
) -> None:
    """Write the completed copy of ``src`` to ``dst`` (an .xlsx path).

    ``reviews`` are the forms read from ``src`` with their scores (None when a
    form could not be scored); ``problems`` are this file's problems.
    ``read_values`` reads an .xls into sheets of values (default: calamine);
    the reader may pass its own to avoid reading the file twice.
    """
    src, dst = Path(src), Path(dst)
    stamp = _stamp(src)
    # by content, not name: an .xls renamed .xlsx (or the reverse) is common in inboxes
    with open(src, "rb") as fh:
        legacy = fh.read(8) == OLE_MAGIC
    wb = None if legacy else _load(src)
    if wb is None:  # .xls, or a package openpyxl cannot open although calamine read it
        legacy = True
        wb = _from_values((read_values or calamine_values)(src))
    marks: dict[tuple[str, int, int], _Mark] = {}
    for form, score in reviews:
        if score is not None and form.sheet in wb.sheetnames:
            _fill_form(wb[form.sheet], form, score, marks)
    ordered = sorted(problems, key=lambda p: SEVERITY_ORDER.get(p.severity, 9))
    for p in ordered:
        if p.sheet in wb.sheetnames and p.cell:
            _mark(marks, wb[p.sheet], p.cell, p.severity, TAG.get(p.severity, "") + p.message)
    _apply_marks(wb, marks)
    ws = wb.create_sheet(_unique_title(wb.sheetnames, REVIEW_SHEET))
    ReviewSheet(ws, rules).write(src, reviews, ordered, legacy)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    _save_atomic(wb, dst, stamp)


# --------------------------------------------------------------------------- input


def _stamp(src: Path) -> dt.datetime:
    """The source's mtime as naive UTC: a fixed date makes two runs byte-identical."""
    mtime = dt.datetime.fromtimestamp(src.stat().st_mtime, tz=dt.UTC)
    return mtime.replace(tzinfo=None, microsecond=0)


def _load(src: Path) -> Any:
    """Open .xlsx/.xlsm with formatting; macros are dropped (the copy is .xlsx)."""
    from openpyxl import load_workbook

    from perfxl.write.fast_merge import fast_merged_borders

    try:
        with warnings.catch_warnings(), open(src, "rb") as fh, fast_merged_borders():
            # unsupported extensions are dropped with a warning; the reader reports what matters
            warnings.simplefilter("ignore")
            wb = load_workbook(fh, keep_vba=False)
    except Exception:  # noqa: BLE001 - the caller falls back to a values-only copy
        return None
    wb.template = False  # an .xltx/.xlsm content type must not leak into an .xlsx
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
    """Rebuild an .xls as an openpyxl workbook: values and merged cells survive,
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


# --------------------------------------------------------------------------- filling and marks


@dataclass
class _Mark:
    rank: int = 9
    lines: list[str] = field(default_factory=list)


def _anchor(ws: Any, address: str) -> tuple[int, int] | None:
    """Row and column of the cell that holds ``address`` (the top-left of its
    merged range); None for an address that is not one cell."""
    from openpyxl.utils import column_index_from_string

    m = _ADDRESS.match(address.split(":")[0].strip())
    if not m:
        return None
    row, col = int(m.group(2)), column_index_from_string(m.group(1).upper())
    if row < 1 or col > 16384 or row > 1048576:
        return None
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def _mark(marks: dict, ws: Any, address: str, kind: str, line: str) -> None:
    where = _anchor(ws, address)
    if where is None:
        return
    mark = marks.setdefault((ws.title, *where), _Mark())
    mark.rank = min(mark.rank, RANK.get(kind, 2))
    if line not in mark.lines:
        mark.lines.append(line)


def _fill(ws: Any, address: str, value: Any, fmt: str | None, marks: dict) -> None:
    """Write ``value`` only into an empty cell: what the unit wrote stays."""
    if value is None or not address:
        return
    where = _anchor(ws, address)
    if where is None:
        return
    cell = ws.cell(*where)
    if cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip()):
        return
    put_cell(cell, value)
    if fmt:
        cell.number_format = fmt
    _mark(marks, ws, address, "filled", FILLED_NOTE)


def _fill_form(ws: Any, form: ProjectForm, score: ProjectScore, marks: dict) -> None:
    total = form.fund("total")
    if total is not None:
        _fill(ws, total.rate.cell, score.rate, PCT, marks)
        _fill(ws, total.score.cell, round(score.budget_score, 2), SCORE, marks)
    # no 分值 column (no-weights): every review would be a 0 from a weight of 0
    weighted = "weight" in form.indicator_columns or not form.indicator_columns
    for isc in score.indicators if weighted else ():
        if isc.rule != "na":  # a 0 would read as failed; "unscored" counts in the total
            _fill(ws, isc.indicator.score.cell, round(isc.review, 2), SCORE, marks)
    _fill(ws, form.total_self.cell, round(score.total, 2), SCORE, marks)
    _fill(ws, form.grade.cell, score.grade, None, marks)


def _apply_marks(wb: Any, marks: dict) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    for (title, row, col), mark in marks.items():
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


def _unique_title(existing: list[str], base: str) -> str:
    taken = {n.lower() for n in existing}
    if base.lower() not in taken:
        return base
    i = 2
    while f"{base}({i})".lower() in taken:
        i += 1
    return f"{base}({i})"


# --------------------------------------------------------------------------- saving


class _StableZip(zipfile.ZipFile):
    """A ZipFile giving every member one fixed timestamp: zip members otherwise
    carry the wall clock, and two runs would differ in bytes."""

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


def _save_atomic(wb: Any, dst: Path, stamp: dt.datetime) -> None:
    """Save next to ``dst`` and rename, so a crash never leaves half a workbook.

    openpyxl's ``Workbook.save`` stamps ``modified`` with the current time, so
    the writer is driven directly (same steps, without that line).
    """
    from openpyxl.writer.excel import ExcelWriter

    with (
        atomic_path(dst) as tmp,
        _StableZip(tmp, "x", zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
    ):
        if stamp.year >= 1980:
            archive.date_time = stamp.timetuple()[:6]
        ExcelWriter(wb, archive).save()
