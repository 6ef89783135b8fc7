"""openpyxl's load, minus its most expensive habit, with identical results.

When openpyxl loads a sheet it rebuilds the borders of every merged range
(``MergedCellRange._get_borders`` and ``.format``): for each edge cell it adds
a one-sided ``Border`` to the cell's border and registers the sum in the
workbook's style list, which hashes the whole ``Border`` tree; and it copies
the top-left cell's protection onto every cell of the range the same way. A
self-evaluation form has 20–40 merged ranges, so this is ≈ 13 of the ≈ 20 ms an
openpyxl load of one form costs on this machine, although a form uses only a
handful of distinct borders.

:func:`fast_merged_borders` makes those two methods do exactly the same
operations, but each distinct (old style, added side) combination is computed
once per workbook and then reused by index. The cells end up with the same
style indices and the workbook with the same style lists as with openpyxl's
own code (tests/test_write.py compares both on every sample and on generated
forms of every layout variant). When the installed openpyxl does not look like
the one this was written against (3.1), nothing is patched.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.styles.borders import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.merge import MergedCellRange

_SIDES = ("top", "left", "right", "bottom")
_ORIGINAL = (MergedCellRange._get_borders, MergedCellRange.format)


def _cache(ws: Any) -> dict:
    """One memo per workbook: its keys are indices into that workbook's style lists."""
    wb = ws.parent
    memo = wb.__dict__.get("_perfxl_merge_memo")
    if memo is None:
        memo = wb.__dict__["_perfxl_merge_memo"] = {}
    return memo


def _style(cell: Any) -> StyleArray:
    """The cell's style indices, created as openpyxl's style descriptors do."""
    if not cell._style:
        cell._style = StyleArray()
    return cell._style


def _get_borders(self: MergedCellRange) -> None:
    """As openpyxl: the top-left cell takes the right and bottom border of the
    bottom-right cell (``start.border += Border(right=…, bottom=…)``)."""
    ws = self.ws
    self.start_cell = ws._cells.get((self.min_row, self.min_col))
    if self.start_cell is None:
        self.start_cell = ws.cell(row=self.min_row, column=self.min_col)
    end_cell = ws._cells.get((self.max_row, self.max_col))
    if end_cell is None:
        return
    start, end_style = _style(self.start_cell), _style(end_cell)
    key = ("end", start.borderId, end_style.borderId)
    memo = _cache(ws)
    if key not in memo:
        borders = ws.parent._borders
        end = borders[end_style.borderId]
        memo[key] = borders.add(
            borders[start.borderId] + Border(right=end.right, bottom=end.bottom)
        )
    start.borderId = memo[key]


def _format(self: MergedCellRange) -> None:
    """As openpyxl: edge cells get the top-left cell's side, every cell its protection."""
    ws = self.ws
    wb = ws.parent
    memo = _cache(ws)
    cells = ws._cells
    start = _style(self.start_cell)

    def cell_at(coord: tuple[int, int]) -> Any:
        cell = cells.get(coord)
        if cell is None:
            cell = MergedCell(ws, row=coord[0], column=coord[1])
            cells[coord] = cell
        return cell

    for name in _SIDES:
        # the top-left cell is on two edges: its border may change along the way,
        # and openpyxl reads it afresh for every side
        start_id = start.borderId
        side = getattr(wb._borders[start_id], name)
        if side and side.style is None:
            continue  # don't need to do anything if there is no border style
        for coord in getattr(self, name):
            style = _style(cell_at(coord))
            key = ("side", style.borderId, start_id, name)
            if key not in memo:
                added = wb._borders[style.borderId] + Border(**{name: side})
                memo[key] = wb._borders.add(added)
            style.borderId = memo[key]
    key = ("protection", start.protectionId)
    if key not in memo:
        memo[key] = wb._protections.add(copy.copy(wb._protections[start.protectionId]))
    for coord in self.cells:
        _style(cell_at(coord)).protectionId = memo[key]


@functools.cache
def _compatible() -> bool:
    import openpyxl

    major_minor = tuple(int(p) for p in openpyxl.__version__.split(".")[:2])
    return major_minor == (3, 1)


@contextmanager
def fast_merged_borders() -> Iterator[None]:
    """Within this block, openpyxl loads merged ranges with the memoised methods."""
    if not _compatible():
        yield
        return
    MergedCellRange._get_borders, MergedCellRange.format = _get_borders, _format
    try:
        yield
    finally:
        MergedCellRange._get_borders, MergedCellRange.format = _ORIGINAL
