"""Write the completed workbook: the unit's own package, filled, marked and explained.

Reviewers work in Excel, so the review goes back into the unit's own form:
computed cells the unit left empty are filled (and marked, so nobody takes
them for the unit's figures), every located problem is coloured and commented
on its cell, and a ``复核`` sheet sets self and review figures side by side.

The copy is made by editing the package (patch.py): what perfxl does not
change stays byte for byte, pictures, sparklines, VBA and cached formula
values included. An .xls is first converted by LibreOffice where it is
installed; a package the patcher cannot edit, or an .xls without
LibreOffice, gets the openpyxl copy (openpyxl_copy.py), and the 复核 sheet
says which way was taken. The input is never touched; the copy is written
atomically and deterministically (same input, same bytes).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from perfxl.checks.codes import problem
from perfxl.model import Problem, ProjectForm, ProjectScore
from perfxl.read.sniff import OLE_MAGIC
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.write.atomic import OutputLocked, atomic_path
from perfxl.write.fill_plan import FILLED_NOTE, Fill, plan_fills, plan_marks, sorted_problems
from perfxl.write.openpyxl_copy import SheetValues, calamine_values, openpyxl_copy
from perfxl.write.package import Package, PackageError
from perfxl.write.patch import patch_package
from perfxl.write.review_sheet import (
    CONVERTED,
    OPENPYXL,
    PACKAGE,
    VALUES,
    Line,
    ReviewSheet,
    reading_text,
)
from perfxl.write.values_package import values_package

__all__ = ["FILLED_NOTE", "REVIEW_SHEET", "CopyPlan", "SheetValues", "calamine_values",
           "make_plan", "reading_text", "write_completed", "write_copy"]  # fmt: skip

REVIEW_SHEET = "复核"
MACROS_DROPPED = "源文件为启用宏的工作簿（.xlsm）：副本保存为 .xlsx，宏未保留。"
FALLBACK_NOTE = (
    "该工作簿的结构无法安全地直接编辑，完成稿改用 openpyxl 重新保存（图片、图形等可能未保留）"
)


@dataclass
class CopyPlan:
    """What the completed copy of one file needs from the review pass: the
    cells to fill and the 复核 sheet's lines of its forms (plain data, so a
    pool worker can hand it back instead of the forms)."""

    fills: list[Fill] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def make_plan(
    reviews: list[tuple[ProjectForm, ProjectScore | None]], rules: Rules = DEFAULT
) -> CopyPlan:
    fills = [
        f for form, score in reviews if score is not None for f in plan_fills(form, score, rules)
    ]
    return CopyPlan(fills, ReviewSheet(rules).form_lines(list(reviews)))


def write_completed(
    src: Path,
    dst: Path,
    reviews: list[tuple[ProjectForm, ProjectScore | None]],
    problems: list[Problem],
    *,
    rules: Rules = DEFAULT,
    read_values: Callable[[Path], list[SheetValues]] | None = None,
) -> str:
    """Write the completed copy of ``src`` to ``dst`` from its scored forms;
    returns how it was made (review_sheet's PACKAGE, CONVERTED, OPENPYXL, VALUES)."""
    return write_copy(
        src, dst, make_plan(reviews, rules), problems, rules=rules, read_values=read_values
    )


def write_copy(
    src: Path,
    dst: Path,
    plan: CopyPlan,
    problems: list[Problem],
    *,
    rules: Rules = DEFAULT,
    read_values: Callable[[Path], list[SheetValues]] | None = None,
    converted: bytes | None = None,
) -> str:
    """Write the completed copy of ``src`` from its plan; ``converted`` is the
    .xlsx LibreOffice made of an .xls (None: convert here if possible)."""
    src, dst = Path(src), Path(dst)
    stamp = _stamp(src)
    data = src.read_bytes()
    ordered = sorted_problems(problems)
    marks = plan_marks(ordered)
    sheet = ReviewSheet(rules)

    def lines(path: str) -> list[Line]:
        out = sheet.compose(src.name, plan.lines, ordered, path)
        macros = src.suffix.lower() == ".xlsm" or b"vbaProject" in data  # names are stored plain
        if data.startswith(b"PK") and dst.suffix.lower() != ".xlsm" and macros:
            out.insert(1, ("note", [MACROS_DROPPED]))
        return out

    path = PACKAGE
    values = lambda: (read_values or calamine_values)(src)  # noqa: E731
    if data.startswith(OLE_MAGIC) and converted is None:
        from perfxl.write.libreoffice import convert_to_xlsx

        converted = convert_to_xlsx(src)
    if data.startswith(OLE_MAGIC) and converted is not None:
        data, path = converted, CONVERTED
    elif not data.startswith(b"PK"):  # an .xls, or read by its own reader: values only
        data, path = values_package(values()), VALUES
    try:
        pkg = Package(data)
        macros = dst.suffix.lower() == ".xlsm"
        patch_package(pkg, plan.fills, marks, _title, lines(path), macros)
        with atomic_path(dst) as tmp, open(tmp, "wb") as fh:
            pkg.save(fh, _zip_time(stamp), raw=path == PACKAGE)
        return path
    except (PackageError, etree.LxmlError, zipfile.BadZipFile, KeyError, ValueError, IndexError):
        pass  # below: the openpyxl copy, never a broken file
    note = problem("completed-plain-copy", FALLBACK_NOTE, file=src.name)
    keep_vba = dst.suffix.lower() == ".xlsm"
    try:
        with atomic_path(dst) as tmp:
            openpyxl_copy(data, None, plan.fills, marks, _title,
                          lambda: sheet.compose(src.name, plan.lines, [*ordered, note], OPENPYXL),
                          tmp, stamp, keep_vba)  # fmt: skip
        return OPENPYXL
    except OutputLocked:
        raise
    except Exception:  # noqa: BLE001 - openpyxl refuses it too: the values still make a copy
        pass
    with atomic_path(dst) as tmp:
        openpyxl_copy(None, lambda: calamine_values(src), plan.fills, marks, _title,
                      lambda: sheet.compose(src.name, plan.lines, [*ordered, note], VALUES),
                      tmp, stamp)  # fmt: skip
    return VALUES


def _title(existing: list[str]) -> str:
    taken = {n.lower() for n in existing}
    if REVIEW_SHEET.lower() not in taken:
        return REVIEW_SHEET
    i = 2
    while f"{REVIEW_SHEET}({i})".lower() in taken:
        i += 1
    return f"{REVIEW_SHEET}({i})"


def _stamp(src: Path) -> dt.datetime:
    """The source's mtime as naive UTC: a fixed date makes two runs byte-identical."""
    mtime = dt.datetime.fromtimestamp(src.stat().st_mtime, tz=dt.UTC)
    return mtime.replace(tzinfo=None, microsecond=0)


def _zip_time(stamp: dt.datetime) -> tuple[int, int, int, int, int, int]:
    return stamp.timetuple()[:6] if stamp.year >= 1980 else (1980, 1, 1, 0, 0, 0)
