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

import contextlib
import datetime as dt
import math
import os
import re
import secrets
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .model import (
    SEVERITY_ORDER,
    SEVERITY_ZH,
    CellValue,
    IndicatorScore,
    Problem,
    ProjectForm,
    ProjectScore,
)
from .rules import DEFAULT, Rules

AUTHOR = "perfxl"
FILLED_NOTE = "由 perfxl 复核计算填写"
REVIEW_SHEET = "复核"
TAG = {"error": "【错误】", "warning": "【警告】", "info": "【提示】"}
# mark rank -> fill colour; the most severe mark on a cell decides its colour
RANK = {"error": 0, "warning": 1, "info": 2, "filled": 3}
COLOUR = {0: "FFC7CE", 1: "FFEB9C", 2: "EDEDED", 3: "DDEBF7"}
OP_SHOWN = {">=": "≥", "<=": "≤", "=": "=", "time": "≤"}
PCT, SCORE, MONEY = "0.00%", "0.00", "#,##0.00"
INDICATOR_HEADER = "一级指标 二级指标 三级指标 年度指标值 实际完成值 解读 分值 自评得分 复核得分 差值 是否完成".split()
PROBLEM_HEADER = ["工作表", "单元格", "级别", "代码", "说明"]
_COMMENT_JUNK = re.compile(r"[\x00-\x09\x0b-\x1f]")
_CELL_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses
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
    legacy = src.suffix.lower() == ".xls"
    if legacy:
        wb = _from_values((read_values or calamine_values)(src))
    else:
        wb = _load(src)
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
    _ReviewSheet(ws, rules).write(src, reviews, ordered, legacy)
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

    with warnings.catch_warnings():
        # unsupported extensions are dropped with a warning; the reader reports what matters
        warnings.simplefilter("ignore")
        wb = load_workbook(src, keep_vba=False)
    wb.template = False  # an .xltx/.xlsm content type must not leak into an .xlsx
    return wb


def calamine_values(src: Path) -> list[SheetValues]:
    """Every sheet of a workbook as values and merged ranges, via python-calamine."""
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(str(src))
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
                _put(ws.cell(r, c), value)
                widths[c] = max(widths.get(c, 0.0), _width(value))
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
    _put(cell, value)
    if fmt:
        cell.number_format = fmt
    _mark(marks, ws, address, "filled", FILLED_NOTE)


def _fill_form(ws: Any, form: ProjectForm, score: ProjectScore, marks: dict) -> None:
    total = form.fund("total")
    if total is not None:
        _fill(ws, total.rate.cell, score.rate, PCT, marks)
        _fill(ws, total.score.cell, round(score.budget_score, 2), SCORE, marks)
    for isc in score.indicators:
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
        rows = sum(1 + int(_width(line) // 40) for line in text.split("\n"))
        cell.comment = Comment(text, author, height=min(24 + 16 * rows, 400), width=300)


# --------------------------------------------------------------------------- the 复核 sheet


def _put(cell: Any, value: Any) -> None:
    """Assign a value; any str stays text (no formula, no error code, no link)."""
    if isinstance(value, str):
        cell.value = _CELL_JUNK.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value


def _width(value: Any) -> float:
    """Display width in Excel column units: CJK characters are two wide."""
    if isinstance(value, (int, float)):
        return 10.0
    lines = str(value).split("\n")
    return float(max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in lines))


def _num(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "?"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def reading_text(isc: IndicatorScore) -> str:
    """How an indicator was read, for a human: "≥ 15 家；实际 12 家", "定性：达成"."""
    if isc.rule == "na":
        return "不适用"
    if isc.rule == "qualitative" or (isc.rule == "unscored" and isc.actual_kind == "qualitative"):
        return f"定性：{isc.band or '无法识别'}"
    if isc.target_number is None:
        return "无法解读"
    op = OP_SHOWN.get(isc.target_op) or OP_SHOWN.get(isc.rule, "")
    target = " ".join(
        s for s in (op, _quantity(isc.target_number, isc.target_unit or isc.unit)) if s
    )
    if isc.actual_number is None:
        return f"{target}；实际无法读取"
    return f"{target}；实际 {_quantity(isc.actual_number, isc.actual_unit or isc.unit)}"


def _quantity(x: float | None, unit: str) -> str:
    """ "15 家", "90%": a percent sign sticks to its number, a word does not."""
    if not unit:
        return _num(x)
    return f"{_num(x)}{unit}" if unit == "%" else f"{_num(x)} {unit}"


def _shown(cv: CellValue) -> Any:
    """A form cell as the reviewer should see it in the 复核 sheet."""
    if cv.formula and cv.value is None:
        return cv.formula
    if cv.empty:
        return None
    if cv.percent and isinstance(cv.value, (int, float)) and not isinstance(cv.value, bool):
        return _Fmt(cv.value, PCT)
    return cv.value


def _amount(cv: CellValue, factor: float) -> Any:
    """A raw amount in 万元; text is shown as the unit wrote it."""
    v = cv.value
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _Fmt(round(v * factor, 6), MONEY)
    return _shown(cv)


def _diff(a: float | None, b: float | None) -> Any:
    return _Fmt(round(a - b, 2), SCORE) if a is not None and b is not None else None


@dataclass(frozen=True)
class _Fmt:
    """A value with the number format it is shown in."""

    value: Any
    fmt: str


def _fmt(value: float | None, fmt: str, missing: Any = None) -> Any:
    return missing if value is None else _Fmt(value, fmt)


class _ReviewSheet:
    """Lays out the 复核 sheet row by row and sizes its columns at the end."""

    def __init__(self, ws: Any, rules: Rules) -> None:
        self.ws, self.rules, self.row = ws, rules, 1
        self.widths: dict[int, float] = {}

    def line(self, values: Iterable[Any], style: str = "") -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="999999")
        for col, value in enumerate(values, start=1):
            fmt = None
            if isinstance(value, _Fmt):
                value, fmt = value.value, value.fmt
            cell = self.ws.cell(self.row, col)
            if value is not None:
                _put(cell, value)
            if fmt:
                cell.number_format = fmt
            if style == "title":
                cell.font = Font(bold=True, size=14)
            elif style == "section":
                cell.font = Font(bold=True, size=12)
            elif style in ("header", "table"):
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                if style == "header":
                    cell.font = Font(bold=True)
                    cell.fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
                w = _width(value) if value is not None else 0.0
                if w > 50:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                self.widths[col] = max(self.widths.get(col, 0.0), min(w, 50.0))
        self.row += 1

    def gap(self) -> None:
        self.row += 1

    def write(self, src: Path, reviews: list, problems: list[Problem], legacy: bool) -> None:
        self.line(["项目支出绩效自评复核表"], "title")
        for note in self._notes(src, legacy):
            self.line([note], "note")
        for form, score in reviews:
            self.gap()
            self._form(form, score)
        self.gap()
        self.line(["问题清单"], "section")
        self.line(PROBLEM_HEADER, "header")
        for p in problems:
            level = SEVERITY_ZH.get(p.severity, p.severity)
            self.line([p.sheet, p.cell, level, p.code, p.message], "table")
        if not problems:
            self.line(["未发现问题"])
        self._finish()

    def _notes(self, src: Path, legacy: bool) -> list[str]:
        notes = [
            f"本表由 perfxl {__version__} 复核生成；源文件：{src.name}；评分规则：{self.rules.source}",
            "浅蓝色底纹的单元格原为空，由 perfxl 复核计算填写；红色＝错误，黄色＝警告，灰色＝提示，说明见单元格批注。",
        ]
        suffix = src.suffix.lower()
        if legacy:
            notes.append(
                "源文件为 .xls 格式：本副本只保留了单元格的值和合并单元格，原有格式（字体、边框、列宽、数字格式）和公式未保留。"
            )
        else:
            notes.append("本副本不保存公式的计算结果：公式单元格在 Excel 打开时重新计算。")
            if suffix == ".xlsm":
                notes.append("源文件为启用宏的工作簿（.xlsm）：副本保存为 .xlsx，宏未保留。")
        notes.append("原工作簿中的文本框、图形等绘图对象未保留在本副本中。")
        return notes

    def _form(self, form: ProjectForm, score: ProjectScore | None) -> None:
        self.line(
            ["项目名称", form.project_name.value, "工作表", form.sheet, "年度", form.year],
            "section",
        )
        self.line(INDICATOR_HEADER, "header")
        if score is None:
            self.line(["该表未能评分，复核得分从略；原因见问题清单。"], "note")
            for ind in form.indicators:
                row = [ind.level1, ind.level2, ind.name, _shown(ind.target), _shown(ind.actual), ""]
                self.line([*row, _shown(ind.weight), _shown(ind.score)], "table")
            return
        for isc in score.indicators:
            ind = isc.indicator
            self_score = isc.self_score if isc.self_score is not None else _shown(ind.score)
            done = {True: "是", False: "否"}.get(isc.achieved, "不适用")  # type: ignore[arg-type]
            names = [ind.level1, ind.level2, ind.name, _shown(ind.target), _shown(ind.actual)]
            weight, review = _fmt(isc.effective_weight, SCORE), _fmt(isc.review, SCORE)
            if isinstance(self_score, float | int):
                self_score = _fmt(self_score, SCORE)
            diff = _diff(isc.self_score, isc.review)
            self.line([*names, reading_text(isc), weight, self_score, review, diff, done], "table")
        self.gap()
        unit = "万元" if form.money_factor == 1 else f"万元，由原表的{form.money_unit}折算"
        self.line([f"项目资金（{unit}）", "年初预算数", "全年预算数", "全年执行数"], "header")
        f = form.money_factor
        for fr in form.funds:
            self.line(
                [fr.label, _amount(fr.initial, f), _amount(fr.budget, f), _amount(fr.executed, f)],
                "table",
            )
        total = form.fund("total")
        self.line(["预算执行", "自评", "复核", "差值"], "header")
        rate_self = _shown(total.rate) if total is not None else None
        if isinstance(rate_self, (int, float)) and not isinstance(rate_self, bool):
            rate_self = _Fmt(rate_self, PCT) if abs(rate_self) <= 1.5 else rate_self  # 86 = 86%
        self.line(["执行率", rate_self, _fmt(score.rate, PCT, "无法计算")], "table")
        weight_self = _shown(total.weight) if total is not None else None
        self.line(["预算分值", weight_self, _fmt(score.budget_weight, SCORE)], "table")
        budget = _fmt(score.budget_score, SCORE)
        diff = _diff(score.budget_self, score.budget_score)
        self.line(["预算得分", _fmt(score.budget_self, SCORE), budget, diff], "table")
        self.gap()
        self_grade = form.grade.text or (
            self.rules.grade(score.self_total) if score.self_total is not None else ""
        )
        rate = score.completion_rate
        for label, value in (
            ("自评总分", _fmt(score.self_total, SCORE, "未填写")),
            ("复核总分", _fmt(score.total, SCORE)),
            ("差值（自评－复核）", _diff(score.self_total, score.total)),
            ("自评等级", self_grade),
            ("复核等级", score.grade),
            ("指标完成率", _fmt(rate, PCT, "无适用指标")),
            ("一级指标数", score.level1_count),
            ("二级指标数", score.level2_count),
            ("三级指标数", score.level3_count),
            ("已完成三级指标数", score.achieved_count),
        ):
            self.line([label, value], "table")

    def _finish(self) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.ws
        for col, w in self.widths.items():
            ws.column_dimensions[get_column_letter(col)].width = max(w + 2, 8)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True


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

    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.parent / f".{dst.stem}.{secrets.token_hex(4)}.tmp{dst.suffix}"
    try:
        with _StableZip(tmp, "x", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            if stamp.year >= 1980:
                archive.date_time = stamp.timetuple()[:6]
            ExcelWriter(wb, archive).save()
        os.replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
