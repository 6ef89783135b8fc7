"""The ``复核`` sheet of the completed workbook: self and review figures side by side.

For every form it lists each indicator with how it was read ("≥ 15 家；实际
12 家"), the self score, the review score and the difference; then the funds,
the budget score and the totals; at the end every problem of the file. It also
holds the cell helpers the completed copy shares (text stays text, display
widths), so the copy's filled cells and this sheet write values the same way.
"""

from __future__ import annotations

import copy
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from perfxl import __version__
from perfxl.model import SEVERITY_ZH, CellValue, IndicatorScore, Problem, ProjectForm, ProjectScore
from perfxl.rules.schema import Rules

OP_SHOWN = {">=": "≥", "<=": "≤", "=": "=", "time": "≤"}
PCT, SCORE, MONEY = "0.00%", "0.00", "#,##0.00"
INDICATOR_HEADER = "一级指标 二级指标 三级指标 年度指标值 实际完成值 解读 分值 自评得分 复核得分 差值 是否完成 计算过程".split()
PROBLEM_HEADER = ["工作表", "单元格", "级别", "代码", "说明"]
_WIDE = re.compile("[\u2e80-\U0010ffff]")  # two columns wide
_CELL_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses


def put_cell(cell: Any, value: Any) -> None:
    """Assign a value; any str stays text (no formula, no error code, no link)."""
    if isinstance(value, str):
        cell.value = _CELL_JUNK.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value


def text_width(value: Any) -> float:
    """Display width in Excel column units: CJK characters are two wide."""
    if isinstance(value, (int, float)):
        return 10.0
    text = str(value)
    if text.isascii():
        return float(max(len(line) for line in text.split("\n")))
    return float(max(len(line) + len(_WIDE.findall(line)) for line in text.split("\n")))


LINE_HEIGHT = 15.0  # points per line of 11 pt text, Excel's default row


def wrapped_height(width: float, column: float) -> float:
    """Row height for a text ``width`` units wide wrapped in a ``column`` units
    wide: a CJK character may take a bit more than its 2 units, so lines are
    counted on 90 % of the column (a row too short hides the end of a message)."""
    return LINE_HEIGHT * max(1, math.ceil(width / (column * 0.9)))


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


@functools.cache
def _styles() -> dict[str, Any]:
    """The 复核 sheet's few style objects, built once: openpyxl hashes every
    style object it is given, and fresh ones per cell cost ~15 ms a copy."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "title": Font(bold=True, size=14),
        "section": Font(bold=True, size=12),
        "bold": Font(bold=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "grey": PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
    }


def _style_cell(cell: Any, style: str, fmt: str | None, wrap: bool) -> None:
    st = _styles()
    if fmt:
        cell.number_format = fmt
    if style == "title":
        cell.font = st["title"]
    elif style == "section":
        cell.font = st["section"]
    elif style in ("header", "table"):
        cell.border = st["border"]
        if style == "header":
            cell.font = st["bold"]
            cell.fill = st["grey"]
        if wrap:
            cell.alignment = st["wrap"]


# how the completed copy was made, for the notes at the top of the sheet
PACKAGE, CONVERTED, OPENPYXL, VALUES = "package", "libreoffice", "openpyxl", "values"

# one line of the sheet: (style, values); a gap is ("", [])
Line = tuple[str, list[Any]]


class ReviewSheet:
    """Lays out the 复核 sheet as lines of values with a style each.

    The layout is data (:attr:`lines`), so the package writer renders it as
    sheet XML and the openpyxl fallback with :func:`render_openpyxl`; the
    lines of the forms are made in the review pass and the head (which
    depends on how the copy is written) and the problems are added later.
    """

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.lines: list[Line] = []

    def line(self, values: Iterable[Any], style: str = "") -> None:
        self.lines.append((style, list(values)))

    def gap(self) -> None:
        self.lines.append(("", []))

    def form_lines(self, reviews: list) -> list[Line]:
        """The lines of every form of one file (made where the forms were read)."""
        start = len(self.lines)
        for form, score in reviews:
            self.gap()
            self._form(form, score)
        out, self.lines = self.lines[start:], self.lines[:start]
        return out

    def compose(
        self, src_name: str, forms: list[Line], problems: list[Problem], path: str
    ) -> list[Line]:
        """The whole sheet: title, notes on how the copy was made, the forms, the problems."""
        self.lines = []
        self.line(["项目支出绩效自评复核表"], "title")
        for note in self._notes(src_name, path):
            self.line([note], "note")
        self.lines.extend(forms)
        self.gap()
        self.line(["问题清单"], "section")
        self.line(PROBLEM_HEADER, "header")
        for p in problems:
            level = SEVERITY_ZH.get(p.severity, p.severity)
            self.line([p.sheet, p.cell, level, p.code, p.message], "table")
        if not problems:
            self.line(["未发现问题"])
        return self.lines

    def _notes(self, src_name: str, path: str) -> list[str]:
        notes = [
            f"本表由 perfxl {__version__} 复核生成；源文件：{src_name}；评分规则：{self.rules.title}",
            "浅蓝色底纹的单元格原为空，由 perfxl 复核计算填写；红色＝错误，黄色＝警告，灰色＝提示，说明见单元格批注。",
        ]
        if path == VALUES:
            notes.append(
                "源文件为 .xls 格式：本副本只保留了单元格的值和合并单元格，原有格式（字体、边框、列宽、数字格式）和公式未保留。"
            )
            notes.append("原工作簿中的文本框、图形等绘图对象未保留在本副本中。")
            return notes
        if path == CONVERTED:
            notes.append(
                "源文件为 .xls 格式：已用 LibreOffice 转换为 .xlsx 后填写，格式、批注、数据验证等随转换保留。"
            )
        if path == OPENPYXL:
            notes.append("本副本不保存公式的计算结果：公式单元格在 Excel 打开时重新计算。")
            notes.append("原工作簿中的文本框、图形等绘图对象未保留在本副本中。")
        else:
            notes.append(
                "本副本保留了原工作簿的全部内容（图片、图形、批注、公式及其计算结果等），"
                "只增加了填写的单元格、底纹、批注和本表；公式单元格在 Excel 打开时重新计算。"
            )
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
            row = [*names, reading_text(isc), weight, self_score, review, diff, done]
            self.line([*row, isc.explanation], "table")
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
        self.line(["预算执行", "自评", "复核", "差值", "计算过程"], "header")
        rate_self = _shown(total.rate) if total is not None else None
        if isinstance(rate_self, (int, float)) and not isinstance(rate_self, bool):
            rate_self = _Fmt(rate_self, PCT) if abs(rate_self) <= 1.5 else rate_self  # 86 = 86%
        self.line(["执行率", rate_self, _fmt(score.rate, PCT, "无法计算")], "table")
        weight_self = _shown(total.weight) if total is not None else None
        self.line(["预算分值", weight_self, _fmt(score.budget_weight, SCORE)], "table")
        budget = _fmt(score.budget_score, SCORE)
        diff = _diff(score.budget_self, score.budget_score)
        line = ["预算得分", _fmt(score.budget_self, SCORE), budget, diff, score.budget_explanation]
        self.line(line, "table")
        self.gap()
        self_grade = form.grade.text or (
            self.rules.grade(score.self_total) if score.self_total is not None else ""
        )
        rate = score.completion_rate
        for label, value in (
            ("自评总分", _fmt(score.self_total, SCORE, "未填写")),
            ("复核总分", _fmt(score.total, SCORE)),
            *((("总分封顶", score.total_explanation),) if score.total_explanation else ()),
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


def column_widths(lines: list[Line]) -> dict[int, float]:
    """Widths that fit the table cells (1-based columns), capped at 50."""
    widths: dict[int, float] = {}
    for style, values in lines:
        if style not in ("header", "table"):
            continue
        for col, value in enumerate(values, start=1):
            if isinstance(value, _Fmt):
                value = value.value
            w = text_width(value) if value is not None else 0.0
            widths[col] = max(widths.get(col, 0.0), min(w, 50.0))
    return {col: max(w + 2, 8) for col, w in widths.items()}


def is_wrapped(style: str, value: Any) -> bool:
    """A table cell wider than its capped column is wrapped."""
    if style not in ("header", "table") or value is None:
        return False
    return text_width(value.value if isinstance(value, _Fmt) else value) > 50


def render_openpyxl(ws: Any, lines: list[Line]) -> None:
    """Write the lines into an openpyxl sheet (the fallback copy)."""
    from openpyxl.utils import get_column_letter

    looks: dict[tuple[str, str | None, bool], Any] = {}
    for row, (style, values) in enumerate(lines, start=1):
        for col, value in enumerate(values, start=1):
            fmt = None
            if isinstance(value, _Fmt):
                value, fmt = value.value, value.fmt
            cell = ws.cell(row, col)
            if value is not None:
                put_cell(cell, value)
            look = (style, fmt, is_wrapped(style, value))
            if look[2]:  # tall enough for every line: no viewer is trusted to auto-fit
                dim = ws.row_dimensions[row]
                dim.height = max(dim.height or 0.0, wrapped_height(text_width(value), 50.0))
            # cells of one look copy the first one's style indices instead of
            # re-hashing style objects (~15 ms a copy)
            if look in looks:
                cell._style = copy.copy(looks[look])
            else:
                _style_cell(cell, style, fmt, look[2])
                looks[look] = copy.copy(cell._style)
    for col, w in column_widths(lines).items():
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


Formatted = _Fmt  # the public name other writers of these lines use


def put_text(text: str) -> str:
    """Text as a cell may hold it: the control characters Excel refuses removed."""
    return _CELL_JUNK.sub("", text)
