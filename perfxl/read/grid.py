"""A sheet as a grid of values with merged cells resolved and labels indexed.

The reader asks questions like "where is the cell labelled 三级指标" and "what
is the value right of it"; this module answers them without caring which
library loaded the sheet. Rows and columns are 0-based internally; addresses
leave as Excel A1 strings.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from perfxl.model import CellValue
from perfxl.read.labels import LabelTable, normalize_label
from perfxl.text import a1


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Grid:
    """Values of one sheet, merges resolved to their top-left cell."""

    def __init__(
        self,
        name: str,
        rows: list[list[Any]],
        merged: Iterable[tuple[tuple[int, int], tuple[int, int]]] | None,
        labels: LabelTable,
    ) -> None:
        self.name = name
        self.rows = rows
        self.nrows = len(rows)
        self.ncols = max((len(r) for r in rows), default=0)
        self.labels = labels
        # (r, c) -> (r0, c0, r1, c1) for cells inside a merged range
        self.merge: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for (r0, c0), (r1, c1) in merged or ():
            if r0 >= self.nrows or c0 >= self.ncols:
                continue
            r1, c1 = min(r1, self.nrows - 1), min(c1, self.ncols - 1)
            if (r1 - r0 + 1) * (c1 - c0 + 1) > 10000:  # hostile merges: keep the anchor only
                self.merge[(r0, c0)] = (r0, c0, r1, c1)
                continue
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self.merge[(r, c)] = (r0, c0, r1, c1)
        self._cells: dict[tuple[int, int], CellValue] = {}  # CellValue is frozen: shared
        self.index: dict[str, list[tuple[int, int]]] = {}
        # label keys of every labelled cell (anchors only): is_label is asked for
        # most cells of the indicator block, and keys_of normalises the text each time
        self.keys_at: dict[tuple[int, int], frozenset[str]] = {}
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if not isinstance(v, str) or not v or self.anchor(r, c) != (r, c):
                    continue
                keys = labels.keys_of(v) if v.strip() else ()
                if keys:
                    self.keys_at[(r, c)] = frozenset(keys)
                    for key in keys:
                        self.index.setdefault(key, []).append((r, c))

    # -- cells ---------------------------------------------------------------
    def anchor(self, r: int, c: int) -> tuple[int, int]:
        m = self.merge.get((r, c))
        return (m[0], m[1]) if m else (r, c)

    def span(self, r: int, c: int) -> tuple[int, int, int, int]:
        """(r0, c0, r1, c1) of the merged range holding the cell (itself if none)."""
        return self.merge.get((r, c), (r, c, r, c))

    def raw(self, r: int, c: int) -> Any:
        if 0 <= r < self.nrows:
            row = self.rows[r]
            if 0 <= c < len(row):
                v = row[c]
                if isinstance(v, float) and not math.isfinite(v):
                    return str(v)  # NaN/inf: no Excel cell holds one; a crafted file is text
                return None if v == "" else v
        return None

    def value(self, r: int, c: int) -> Any:
        r0, c0 = self.anchor(r, c)
        return self.raw(r0, c0)

    def text(self, r: int, c: int) -> str:
        v = self.value(r, c)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    def norm(self, r: int, c: int) -> str:
        v = self.value(r, c)
        return normalize_label(v) if isinstance(v, str) else ""

    def cell(self, r: int, c: int) -> CellValue:
        r0, c0 = self.anchor(r, c)
        known = self._cells.get((r0, c0))
        if known is not None:  # the reader asks for the same cells many times
            return known
        v = self.raw(r0, c0)
        if isinstance(v, str):
            v = v.strip() or None
        elif isinstance(v, dt.time):
            v = v.isoformat()
        made = self._cells[(r0, c0)] = CellValue(v, a1(r0, c0))
        return made

    def is_label(self, r: int, c: int, keys: Iterable[str] | None = None) -> bool:
        found = self.keys_at.get(self.anchor(r, c))
        if not found:
            return False
        return keys is None or not found.isdisjoint(keys)

    # -- searching -----------------------------------------------------------
    def find(self, key: str) -> list[tuple[int, int]]:
        return self.index.get(key, [])

    def first(self, key: str, after_row: int = -1, before_row: int | None = None):
        for r, c in self.find(key):
            if r > after_row and (before_row is None or r < before_row):
                return r, c
        return None

    def right_of(self, r: int, c: int, max_steps: int = 4) -> CellValue:
        """The value cell right of a label: the cell after the label's merge;
        if that is empty, the next non-empty non-label cell (a few steps)."""
        _, _, _, c1 = self.span(r, c)
        first = c1 + 1
        if first >= self.ncols:
            return CellValue(None, a1(r, first))
        col = first
        for _ in range(max_steps):
            if col >= self.ncols:
                break
            ar, ac = self.anchor(r, col)
            if self.is_label(ar, ac):
                break
            if not is_blank(self.raw(ar, ac)):
                return self.cell(ar, ac)
            col = self.span(r, col)[3] + 1
        ar, ac = self.anchor(r, first)
        return CellValue(None, a1(ar, ac))

    def below(self, r: int, c: int) -> CellValue:
        """The cell under a label (after its merge), same first column."""
        r0, c0, r1, _ = self.span(r, c)
        return self.cell(r1 + 1, c0) if r1 + 1 < self.nrows else CellValue(None, a1(r1 + 1, c0))

    def in_columns(self, r: int, cols: tuple[int, int]) -> CellValue:
        """The first non-empty cell of row r within a header's column span
        (merges resolved); the span's first cell when all are empty."""
        c0, c1 = cols
        if c0 == c1:
            return self.cell(r, c0)
        seen: set[tuple[int, int]] = set()
        for c in range(c0, c1 + 1):
            anchor = self.anchor(r, c)
            if anchor in seen:
                continue
            seen.add(anchor)
            if not is_blank(self.raw(*anchor)):
                return self.cell(*anchor)
        return self.cell(r, c0)
