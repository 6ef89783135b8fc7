"""What perfxl itself added to a workbook it completed, so that a returned
completed copy reads exactly like the original form.

The completed copy carries hidden sheet-scoped defined names (written by
perfxl/write/patch.py): ``perfxl_review`` on the 复核 sheet, and
``perfxl_filled`` on each form sheet, referring to the cells perfxl filled.
The reader skips the 复核 sheet and treats the filled cells as empty.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["OwnMarks", "own_marks"]

_NAME = re.compile(rb"<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>")
_NAME_ATTR = re.compile(rb'\bname="(perfxl_review|perfxl_filled)"')
_REF = re.compile(r"(?:'((?:[^']|'')+)'|([^'!,]+))!\$?([A-Za-z]{1,3})\$?(\d{1,7})")


@dataclass
class OwnMarks:
    review_sheets: set[str] = field(default_factory=set)
    filled: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # 0-based (row, col)

    def __bool__(self) -> bool:
        return bool(self.review_sheets or self.filled)

    def blank(self, sheet: str, rows: list[list]) -> list[list]:
        """``rows`` with the cells perfxl filled on ``sheet`` emptied."""
        for r, c in self.filled.get(sheet, ()):
            if r < len(rows) and c < len(rows[r]):
                rows[r][c] = ""
        return rows


def own_marks(workbook_xml: bytes | None) -> OwnMarks:
    """perfxl's marks in a workbook.xml (none when it holds no perfxl name)."""
    marks = OwnMarks()
    if not workbook_xml or b"perfxl_" not in workbook_xml:
        return marks
    for attrs, text in _NAME.findall(workbook_xml):
        which = _NAME_ATTR.search(attrs)
        if not which:
            continue
        for quoted, plain, col, row in _REF.findall(html.unescape(text.decode("utf-8", "replace"))):
            sheet = quoted.replace("''", "'") if quoted else plain.strip()
            if which.group(1) == b"perfxl_review":
                marks.review_sheets.add(sheet)
            else:
                c = 0
                for ch in col.upper():
                    c = c * 26 + ord(ch) - 64
                marks.filled.setdefault(sheet, set()).add((int(row) - 1, c - 1))
    return marks
