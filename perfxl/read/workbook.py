"""Read workbooks into :class:`ProjectForm` objects, by labels, never by fixed cells.

This is where an input workbook's values are read (the sniff in
:mod:`perfxl.read.sniff` checks the file's bytes first, and the completed-copy
writer opens the input again to copy it). Values come from python-calamine
(fast, reads .xls too, gives merged ranges); :mod:`perfxl.read.cell_details` is
asked, only for .xlsx/.xlsm files and only about a few cells, when calamine
cannot tell us something we need: a percent number format on a bare 0.95, or whether an
empty required cell is really a formula whose cached result is missing.

Reading never raises for a bad file: every failure is a located Problem.
"""

from __future__ import annotations

import dataclasses
import io
import stat
from pathlib import Path

import python_calamine as pc

from perfxl.checks.codes import problem
from perfxl.model import Problem, ProjectForm, ReadResult
from perfxl.read.contact import find_contact
from perfxl.read.form import FormLocator, extract_form
from perfxl.read.grid import Grid
from perfxl.read.labels import label_table
from perfxl.read.own_marks import own_marks
from perfxl.read.sniff import Sniffed, skip_reason, sniff
from perfxl.rules.schema import DEFAULT, Rules

# anchors that make a sheet a form, and how to name them in a message
ANCHORS = {"项目名称": "项目名称", "total": "年度资金总额", "level3": "三级指标"}


def read_workbook(
    path: str | Path, *, display: str | None = None, rules: Rules = DEFAULT
) -> ReadResult:
    """Read every form in one file. ``display`` is the name used in problems
    (the path relative to the inbox in a batch)."""
    path = Path(path)
    name = display if display is not None else str(path)
    reason = skip_reason(path)
    if reason:
        return ReadResult(name, "skipped", problems=(problem("skipped-file", reason, file=name),))
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
            msg = "不是普通文件（可能是文件夹、管道或设备），无法读取"
            return ReadResult(
                name, "failed", problems=(problem("file-unreadable", msg, file=name),)
            )
        size = st.st_size
        max_bytes = rules.limits.max_uncompressed_mb * 1048576
        if size > max_bytes:  # not even read into memory
            msg = (
                f"文件大小约 {size / 1048576:.0f} MB，超过上限 {max_bytes / 1048576:.0f} MB，未读取"
            )
            return ReadResult(name, "failed", problems=(problem("file-too-large", msg, file=name),))
        data = path.read_bytes()
    except OSError as exc:
        msg = f"无法打开文件：{exc.strerror or exc}"
        return ReadResult(name, "failed", problems=(problem("file-unreadable", msg, file=name),))
    return read_bytes(data, name, rules=rules)


def read_bytes(data: bytes, name: str, *, rules: Rules = DEFAULT) -> ReadResult:
    """Read a workbook held in memory (the bytes of ``name``)."""
    sniffed = sniff(data, name, rules)
    if sniffed.problem:
        return ReadResult(name, "failed", problems=(sniffed.problem,))
    try:
        return _read(data, name, sniffed, rules)
    except pc.PasswordError:
        msg = "工作簿设置了打开密码（已加密），无法读取；请提供未加密的文件"
        return ReadResult(name, "failed", problems=(problem("file-encrypted", msg, file=name),))
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a parser failure is this file's problem only
        # BaseException: a Rust panic inside calamine surfaces as pyo3's PanicException,
        # which does not derive from Exception
        msg = f"文件已损坏或格式无法识别，无法读取（{type(exc).__name__}：{str(exc)[:120]}）"
        return ReadResult(name, "failed", problems=(problem("file-unreadable", msg, file=name),))


def _read(data: bytes, name: str, sniffed: Sniffed, rules: Rules) -> ReadResult:
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    labels = label_table(rules)
    max_cells = rules.limits.max_cells
    max_merged = int(rules.limits.max_merged_cells)
    forms: list[ProjectForm] = []
    problems: list[Problem] = []
    best_missing: list[str] | None = None
    own = own_marks(sniffed.parts.get("xl/workbook.xml"))  # a completed copy read again
    for meta in wb.sheets_metadata:
        if meta.name in own.review_sheets:
            continue
        sheet = wb.get_sheet_by_name(meta.name)
        merged = sheet.merged_cell_ranges or []
        too_large = _too_large(sheet, merged, max_cells, max_merged)
        if too_large:
            msg = f"工作表「{meta.name}」{too_large}，未读取"
            problems.append(problem("file-too-large", msg, file=name, sheet=meta.name))
            continue
        rows = sheet.to_python(skip_empty_area=False)
        if own:
            rows = own.blank(meta.name, rows)
        grid = Grid(meta.name, rows, merged, labels)
        found = [k for k in ANCHORS if grid.find(k)]
        if len(found) < 2:
            missing = [ANCHORS[k] for k in ANCHORS if k not in found]
            if found and (best_missing is None or len(missing) < len(best_missing)):
                best_missing = missing
            continue
        locator = FormLocator(grid, name, rules)
        form, form_problems = extract_form(locator)
        filler, phone = find_contact(grid)
        forms.append(
            dataclasses.replace(form, filler=filler, phone=phone) if filler or phone else form
        )
        problems.extend(form_problems)
    if forms and sniffed.kind == "xlsx":
        forms = _refine_with_details(sniffed, forms)
    if not forms and not any(p.code == "file-too-large" for p in problems):
        missing = best_missing or list(ANCHORS.values())
        msg = "未找到绩效自评表：没有任何工作表含有表单标签（缺少：" + "、".join(missing) + "）"
        problems.append(problem("no-form-found", msg, file=name))
    status = "read" if forms else "failed"
    return ReadResult(name, status, tuple(forms), tuple(problems))


def _too_large(sheet: pc.CalamineSheet, merged: list, max_cells: int, max_merged: int) -> str:
    """Why a sheet is too large to expand, or ''. ``to_python`` materialises the
    rectangle from A1 to the last cell, and a merged range is expanded cell by
    cell downstream (openpyxl makes an object per merged cell: 1.9 M of them
    took 21 s and 650 MB), so both are bounded before anything is built."""
    end = sheet.end
    cells = (end[0] + 1) * (end[1] + 1) if end else 0
    if cells > max_cells:
        return f"约有 {cells} 个单元格，超过上限 {max_cells}"
    area = sum((r1 - r0 + 1) * (c1 - c0 + 1) for (r0, c0), (r1, c1) in merged)
    if area > max_merged:
        return f"的合并单元格共覆盖约 {area} 个单元格，超过上限 {max_merged}"
    return ""


def _refine_with_details(package: Sniffed, forms: list[ProjectForm]) -> list[ProjectForm]:
    """Fill in what calamine cannot see: percent formats and uncached formulas.

    Only the cells that matter are asked about (xlsx_details reads their
    style and formula from the parts the sniff already inflated), and only
    when there is at least one such cell, so a typical well-filled form
    costs nothing extra.
    """
    from perfxl.read.cell_details import (
        cell_details,
        cells_needing_details,
        has_formulas,
        with_details,
    )

    wanted = {f.sheet: cells_needing_details(f, has_formulas(package, f.sheet)) for f in forms}
    if not any(wanted.values()):
        return forms
    try:
        details = cell_details(package, wanted)
    except Exception:  # noqa: BLE001 - refinement is best effort: calamine already read the values
        return forms
    return [with_details(f, details.get(f.sheet, {})) for f in forms]
