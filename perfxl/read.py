"""Read workbooks into :class:`ProjectForm` objects, by labels, never by fixed cells.

This is the only module that opens input workbooks. Values come from
python-calamine (fast, reads .xls too, gives merged ranges); openpyxl is
opened lazily, and only for .xlsx/.xlsm files, when calamine cannot tell us
something we need: a percent number format on a bare 0.95, or whether an
empty required cell is really a formula whose cached result is missing.

Reading never raises for a bad file: every failure is a located Problem.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import python_calamine as pc

from .files import skip_reason, sniff
from .form import FormLocator, extract_form
from .grid import Grid
from .labels import label_table
from .model import Problem, ProjectForm, ReadResult
from .rules import DEFAULT, Rules

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
        return ReadResult(
            name, "skipped", problems=(Problem("skipped-file", "info", reason, file=name),)
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"无法打开文件：{exc.strerror or exc}"
        return ReadResult(
            name, "failed", problems=(Problem("file-unreadable", "error", msg, file=name),)
        )
    return read_bytes(data, name, rules=rules)


def read_bytes(data: bytes, name: str, *, rules: Rules = DEFAULT) -> ReadResult:
    """Read a workbook held in memory (the bytes of ``name``)."""
    sniffed = sniff(data, name, rules)
    if sniffed.problem:
        return ReadResult(name, "failed", problems=(sniffed.problem,))
    try:
        return _read(data, name, sniffed.kind or "xlsx", rules)
    except pc.PasswordError:
        msg = "工作簿设置了打开密码（已加密），无法读取；请提供未加密的文件"
        return ReadResult(
            name, "failed", problems=(Problem("file-encrypted", "error", msg, file=name),)
        )
    except Exception as exc:  # noqa: BLE001 - any parser failure is this file's problem only
        msg = f"文件已损坏或格式无法识别，无法读取（{type(exc).__name__}：{str(exc)[:120]}）"
        return ReadResult(
            name, "failed", problems=(Problem("file-unreadable", "error", msg, file=name),)
        )


def _read(data: bytes, name: str, kind: str, rules: Rules) -> ReadResult:
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    labels = label_table(rules)
    max_cells = rules.get("limits.max_cells")
    forms: list[ProjectForm] = []
    problems: list[Problem] = []
    best_missing: list[str] | None = None
    for meta in wb.sheets_metadata:
        sheet = wb.get_sheet_by_name(meta.name)
        cells = sheet.total_height * sheet.total_width
        if cells > max_cells:
            msg = f"工作表「{meta.name}」约有 {cells} 个单元格，超过上限 {max_cells}，未读取"
            problems.append(Problem("file-too-large", "error", msg, file=name, sheet=meta.name))
            continue
        rows = sheet.to_python(skip_empty_area=False)
        grid = Grid(meta.name, rows, sheet.merged_cell_ranges, labels)
        found = [k for k in ANCHORS if grid.find(k)]
        if len(found) < 2:
            missing = [ANCHORS[k] for k in ANCHORS if k not in found]
            if found and (best_missing is None or len(missing) < len(best_missing)):
                best_missing = missing
            continue
        locator = FormLocator(grid, name, rules)
        form, form_problems = extract_form(locator)
        forms.append(form)
        problems.extend(form_problems)
    if forms and kind == "xlsx":
        forms = _refine_with_openpyxl(data, forms)
    if not forms and not any(p.code == "file-too-large" for p in problems):
        missing = best_missing or list(ANCHORS.values())
        msg = "未找到绩效自评表：没有任何工作表含有表单标签（缺少：" + "、".join(missing) + "）"
        problems.append(Problem("no-form-found", "error", msg, file=name))
    status = "read" if forms else "failed"
    return ReadResult(name, status, tuple(forms), tuple(problems))


_PERCENT_HINT = re.compile(r"[%％]|百分")


def _refine_with_openpyxl(data: bytes, forms: list[ProjectForm]) -> list[ProjectForm]:
    """Fill in what calamine cannot see: percent formats and uncached formulas.

    Only cells that matter are asked about, and openpyxl is loaded only when
    there is at least one such cell, so a typical well-filled form costs
    nothing extra.
    """
    from .form import cells_needing_details, with_details

    wanted = {f.sheet: cells_needing_details(f) for f in forms}
    if not any(wanted.values()):
        return forms
    details = _cell_details(data, wanted)
    return [with_details(f, details.get(f.sheet, {})) for f in forms]


def _cell_details(
    data: bytes, wanted: dict[str, set[str]]
) -> dict[str, dict[str, tuple[str, str | None]]]:
    """{sheet: {address: (number_format, formula or None)}} for the wanted cells."""
    from openpyxl import load_workbook
    from openpyxl.utils.cell import coordinate_from_string

    out: dict[str, dict[str, tuple[str, str | None]]] = {}
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - refinement is best effort
        return out
    try:
        for sheet, addrs in wanted.items():
            if not addrs or sheet not in wb.sheetnames:
                continue
            ws = wb[sheet]
            ws.reset_dimensions()  # WPS files may declare a wrong <dimension>
            rows = {coordinate_from_string(a)[1] for a in addrs}
            found: dict[str, tuple[str, str | None]] = {}
            for row in ws.iter_rows(min_row=min(rows), max_row=max(rows)):
                for c in row:
                    coord = getattr(c, "coordinate", None)
                    if coord in addrs:
                        v = c.value
                        formula = v if isinstance(v, str) and v.startswith("=") else None
                        found[coord] = (c.number_format or "General", formula)
            out[sheet] = found
    finally:
        wb.close()
    return out


def percent_hint(text: str) -> bool:
    return bool(_PERCENT_HINT.search(text))
