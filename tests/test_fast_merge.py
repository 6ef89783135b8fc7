"""fast_merged_borders must load workbooks exactly as openpyxl does: same cell
types, same style indices, same style lists — only faster."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLES
from openpyxl.styles import Border, Protection, Side
from openpyxl.worksheet.merge import MergedCellRange

from perfxl.forms.generate import generate_corpus
from perfxl.write import fast_merge
from perfxl.write.fast_merge import fast_merged_borders


def _snapshot(path: Path) -> tuple:
    wb = openpyxl.load_workbook(path)
    cells = [
        (ws.title, {k: (type(c).__name__, tuple(c._style)) for k, c in sorted(ws._cells.items())})
        for ws in wb.worksheets
    ]
    merged = [sorted(str(r) for r in ws.merged_cells.ranges) for ws in wb.worksheets]
    return cells, merged, list(wb._borders), list(wb._protections)


def _odd_borders(path: Path) -> Path:
    """Merged ranges whose cells carry different borders and protections, a 1×1
    merge, a range over cells that do not exist yet, a range starting in an
    empty cell, and a range whose corners carry the only border."""
    wb = openpyxl.Workbook()
    ws = wb.active
    sides = [Side(style=s) for s in ("thin", "medium", "dashed", "double", "thick")]
    for r in range(1, 16):
        for c in range(1, 9):
            if (r + c) % 4 == 0:
                continue  # holes: cells created only by the merge
            s = sides[(r * c) % len(sides)]
            cell = ws.cell(r, c, f"{r},{c}" if c % 3 else None)
            cell.border = Border(left=s, top=sides[r % 5] if r % 2 else None, right=s)
            if r % 5 == 0:
                cell.protection = Protection(locked=False, hidden=r % 2 == 0)
    for rng in ("A1:C2", "D1:D4", "E5:H5", "B6:B6", "C8:F11", "A12:H12", "G13:H15", "J2:L4"):
        ws.merge_cells(rng)
    ws["J2"].border = Border(bottom=Side(style="thick"))
    ws.cell(4, 12).border = Border(right=Side(style="double"), bottom=Side(style="hair"))
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    return [p for p in generate_corpus(folder, 24, seed=7) if p.suffix != ".xls"]


def test_installed_openpyxl_is_the_one_the_patch_is_for() -> None:
    """With another openpyxl the patch turns itself off and the comparison below
    would compare openpyxl with itself: fail here instead, so that the patch is
    re-checked against the new version before its gate is widened."""
    assert fast_merge._compatible(), openpyxl.__version__


def test_same_styles_as_openpyxl(tmp_path: Path, generated: list[Path]) -> None:
    files = [*sorted(SAMPLES.glob("*.xls[xm]")), *generated, _odd_borders(tmp_path / "odd.xlsx")]
    assert len(files) > 20
    for path in files:
        expected = _snapshot(path)
        with fast_merged_borders():
            # the memoised methods are the ones loading, not openpyxl's own
            assert MergedCellRange.format is fast_merge._format
            assert _snapshot(path) == expected, path.name


def test_patch_is_scoped_and_restored() -> None:
    before = (MergedCellRange._get_borders, MergedCellRange.format)
    with fast_merged_borders():
        assert MergedCellRange.format is not before[1]
    assert (MergedCellRange._get_borders, MergedCellRange.format) == before
    with pytest.raises(RuntimeError), fast_merged_borders():
        raise RuntimeError("restored on errors too")
    assert (MergedCellRange._get_borders, MergedCellRange.format) == before
