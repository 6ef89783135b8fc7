"""Real published forms, transcribed as plain data, rebuilt as .xlsx files.

Each module in ``forms/`` holds one form typed cell by cell from a government
web page: ``SOURCE`` (the page), ``NOTES`` (what was inferred and why),
``SHEET``, ``ROWS`` (values row by row, ``None`` for an empty cell), ``MERGES``
(A1 ranges), ``PERCENT_CELLS`` (cells that hold a fraction shown as a
percentage) and ``EXPECTED`` (every value the reader and the scorer must give,
scored by hand with the spec). Keeping the forms as data, not as binary
workbooks, keeps every cell reviewable in a diff.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from openpyxl import Workbook

FORMS = Path(__file__).resolve().parent / "forms"


def form_names() -> list[str]:
    """The transcribed forms, by module name (province_year_project)."""
    return sorted(p.stem for p in FORMS.glob("*.py") if not p.stem.startswith("_"))


def load(name: str) -> ModuleType:
    """One form's module, loaded from its file (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"real_form_{name}", FORMS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(form: ModuleType, folder: Path) -> Path:
    """Write the form as ``folder/<name>.xlsx``: values, merges, percent formats."""
    wb = Workbook()
    ws = wb.active
    ws.title = getattr(form, "SHEET", "Sheet1")
    for r, row in enumerate(form.ROWS, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text typed on the page (=8个), not a formula
    for rng in form.MERGES:
        ws.merge_cells(rng)
    for addr in getattr(form, "PERCENT_CELLS", ()):
        ws[addr].number_format = "0%"
    path = folder / f"{Path(form.__file__).stem}.xlsx"
    wb.save(path)
    return path
