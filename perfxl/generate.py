"""Write filled 项目支出绩效自评表 workbooks in every layout variant seen in real files.

The reader, the checks and the benchmarks need forms whose true content is
known. A :class:`FormSpec` says what a unit filled in; a variant plus options
say how its spreadsheet looks. Keeping the two apart lets one spec be written
in every layout and with every quirk of real files, and the reader must give
back the same content each time. Forms hold no formulas (a generated file has
no cached formula values) and every input text is written as text.
``random_spec``, ``plan_corpus`` and ``generate_corpus`` at the end build
varied, always well-formed random forms for benchmarks and reader tests.
"""

from __future__ import annotations

import io
import os
import random
import re
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

VARIANTS = ("national-2020", "single-column", "ab-suffix", "split", "level1-cost")
FORMATS = ("xlsx", "xlsm", "xls")
FIXED_CREATED = datetime(2024, 1, 1)  # fixed document date: same seed, same bytes

Value = str | float | int | None


class Percent(float):
    """A fraction written as a number with a percent format (0.95 shows as 95%)."""


@dataclass
class IndicatorSpec:
    """One 三级 indicator row as the unit filled it (a blank template row has
    name ``指标1`` and everything else None: the reader must skip it)."""

    level1: str
    level2: str
    name: str
    target: Value = None
    actual: Value = None
    weight: float | None = None
    self_score: float | None = None
    reason: str | None = None

    @property
    def placeholder(self) -> bool:
        empty = self.target is None and self.actual is None and self.weight is None
        return empty and re.fullmatch(r"指标\d*|……", self.name or "") is not None


@dataclass
class FormSpec:
    """What one filled form says, in 万元, independent of its layout.

    ``funds`` maps total/fiscal/carryover/other to (年初预算数, 全年预算数,
    全年执行数); None leaves a cell empty. ``rate_written`` is what the unit
    wrote as 执行率: a float is a fraction shown with a percent format, a str is
    written as text.
    """

    year: int | None
    project_name: str
    department: str = ""
    department_code: str | None = None
    implementer: str = ""
    funds: dict[str, tuple[float | None, float | None, float | None]] = field(default_factory=dict)
    budget_weight: float | None = 10
    rate_written: Value = None
    budget_self_score: float | None = None
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: list[IndicatorSpec] = field(default_factory=list)
    total_self: float | None = None
    grade: str | None = None
    filler: str | None = None  # footer 填报人 (synthetic personal data)
    phone: str | None = None  # footer 联系电话


@dataclass(frozen=True)
class _Options:
    """Layout quirks of real files; all default to the clean official form."""

    shift_rows: int = 0
    extra_cols: int = 0
    numbers_as_text: bool = False
    fullwidth: bool = False
    weights_in_labels: bool = False
    label_noise: bool = False
    unmerged_level1: bool = False
    percent_cells: bool = False
    title: str | None = None
    year_in_title: bool = False
    code_style: str = "bracket"  # [118]歙县… or "space": 118 歙县…
    grade_row: bool | None = None  # None: a row only when spec.grade is set
    footer: bool = True


@dataclass(frozen=True)
class _Layout:
    ind_cols: tuple[tuple[str, str], ...]  # (field, header label)
    fund_cols: tuple[tuple[str, str], ...]
    fund_rows: tuple[tuple[str, str], ...]  # (fund kind, row label)
    fund_label: str = "项目资金（万元）"
    money_factor: float = 1.0  # 万元 -> the unit of the funds block
    dept_label: str = "主管部门"
    sum_label: str = "总分"
    grade_label: str = "自评等级"
    two_row: bool = False


_IND = (("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"))
_NATIONAL = _Layout(
    ind_cols=_IND
    + (("target", "年度指标值"), ("actual", "实际完成值"), ("weight", "分值"))
    + (("score", "得分"), ("reason", "偏差原因分析及改进措施")),
    fund_cols=(("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))
    + (("weight", "分值"), ("rate", "执行率"), ("score", "得分")),
    fund_rows=(("total", "年度资金总额"), ("fiscal", "其中：当年财政拨款"))
    + (("carryover", "上年结转资金"), ("other", "其他资金")),
)
_LAYOUTS: dict[str, _Layout] = {
    "national-2020": _NATIONAL,
    "level1-cost": _NATIONAL,
    "single-column": _Layout(
        ind_cols=_IND
        + (("weight", "分值"), ("target", "预期实现值"), ("actual", "实际完成值"))
        + (("score", "得分"), ("reason", "未完成原因分析")),
        fund_cols=(("budget", "预算数"), ("executed", "全年执行数"), ("weight", "分值"))
        + (("rate", "执行率"), ("score", "得分")),
        fund_rows=(("total", "年度资金总额"), ("fiscal", "财政拨款"), ("other", "其他资金")),
        dept_label="主管部门及代码",
    ),
    "ab-suffix": replace(
        _NATIONAL,
        ind_cols=_IND
        + (("target", "年度指标值（A）"), ("actual", "实际完成值（B）"))
        + _NATIONAL.ind_cols[5:],
        fund_cols=(("initial", "年初预算数"), ("budget", "全年预算数（A）"))
        + (("executed", "全年执行数（B）"), ("weight", "分值"), ("rate", "执行率（B/A）"))
        + (("score", "得分"),),
    ),
    "split": _Layout(
        ind_cols=_IND
        + (("nature", "指标性质"), ("target", "指标值"), ("unit", "度量单位"))
        + (
            ("actual", "完成值"),
            ("weight", "权重"),
            ("score", "得分"),
            ("reason", "未完成原因分析"),
        ),
        fund_cols=(("initial", "年初预算"), ("budget", "调整后预算数"), ("executed", "预算执行数"))
        + (("rate", "预算执行率"), ("weight", "权重"), ("score", "得分"), ("reason", "原因")),
        fund_rows=(("total", "年度资金总额"), ("fiscal", "其中：财政拨款"))
        + (("carryover", "上年结转资金"), ("other", "其他资金")),
        fund_label="资金情况（元）",
        money_factor=10000.0,
        sum_label="合计",
        grade_label="评价结论",
        two_row=True,
    ),
}
_WIDTH = {"level1": 11, "level2": 13, "name": 28, "target": 15, "actual": 13, "weight": 9}
_WIDTH |= {"score": 9, "reason": 24, "nature": 9, "unit": 9}
INSTRUCTIONS = [
    "填表说明",
    "1. 本表由项目实施单位填写，金额单位为万元，保留两位小数。",
    "2. 一级指标、二级指标按财政部规定的框架填列，三级指标由单位根据项目实际设置。",
    "3. 执行率 = 全年执行数 ÷ 全年预算数；预算执行率得分 = 执行率 × 分值，最高不超过分值。",
    "4. 未完成的指标须在“偏差原因分析及改进措施”中说明原因。",
    "5. 自评总分 90 分（含）以上为优，80–90 分为良，60–80 分为中，60 分以下为差。",
]


@dataclass
class FormLayout:
    """One sheet's cells in layout terms (0-based), independent of the file format."""

    ncols: int
    cells: dict[tuple[int, int], tuple[Any, str, str | None]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    repeat_rows: tuple[int, int] | None = None

    def put(
        self,
        r: int,
        c: int,
        value: Any,
        style: str = "value",
        *,
        r2: int | None = None,
        c2: int | None = None,
    ) -> None:
        """Place a value (merged over r..r2, c..c2); a Percent gets a percent format."""
        r2, c2 = (r if r2 is None else r2), (c if c2 is None else c2)
        numfmt = None
        if isinstance(value, Percent):
            numfmt = "0%" if abs(value * 100 - round(value * 100)) < 1e-9 else "0.00%"
        self.cells[(r, c)] = (value, style, numfmt)
        if (r2, c2) != (r, c):
            self.merges.append((r, c, r2, c2))

    def fit_heights(self) -> None:
        """Row heights for wrapped text (a CJK character is about two width units),
        because files written by a program carry no heights Excel would compute."""
        spans = {(a, b): (c, d) for a, b, c, d in self.merges}
        need: dict[int, float] = {}
        for (r, c), (v, _, _) in self.cells.items():
            if not isinstance(v, str) or not v:
                continue
            r1, c1 = spans.get((r, c), (r, c))
            width = sum(self.widths[c : c1 + 1]) - 1
            lines = sum(
                -(-sum(2 if ord(ch) > 0x2E7F else 1 for ch in part) // max(width, 1)) or 1
                for part in v.split("\n")
            )
            need[r] = max(need.get(r, 0.0), (14.5 * lines + 5) / (r1 - r + 1))
        for r, h in need.items():
            self.heights.setdefault(r, max(20.0, h))

    def box(self, r0: int, r1: int) -> None:
        """Give every uncovered cell of rows r0..r1 a bordered blank: the form prints as a grid."""
        covered = set(self.cells)
        for a, b, c, d in self.merges:
            covered.update((r, k) for r in range(a, c + 1) for k in range(b, d + 1))
        for r in range(r0, r1 + 1):
            for c in range(self.ncols):
                if (r, c) not in covered:
                    self.cells[(r, c)] = (None, "value", None)


def _options(options: dict[str, Any]) -> _Options:
    known = {f.name for f in fields(_Options)}
    unknown = set(options) - known
    if unknown:
        raise TypeError(f"unknown form option(s): {sorted(unknown)}")
    return _Options(**options)


_FW = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def _fw(text: str) -> str:
    return text.translate(_FW)


def _noise(label: str) -> str:
    """A stray space, line break, leading blank or colon, chosen by the label (stable)."""
    k = zlib.crc32(label.encode("utf-8")) % 5
    if k == 0 and len(label) <= 6:
        return " ".join(label)
    if k == 1 and not label.endswith("："):
        return label + "："
    if k == 2 and len(label) >= 4:
        return label[: len(label) // 2] + "\n" + label[len(label) // 2 :]
    if k == 3:
        return "  " + label
    return label + " "


def num_text(x: float) -> str:
    """43.2 -> '43.2', 5.0 -> '5': how a unit types an amount into a text cell."""
    return f"{float(x):.6f}".rstrip("0").rstrip(".")


class _Writer:
    """Turns spec values into cell values under the chosen options."""

    def __init__(self, o: _Options) -> None:
        self.o = o

    def label(self, text: str) -> str:
        return _noise(text) if self.o.label_noise else text

    def amount(self, x: Value) -> Value:
        if x is None or isinstance(x, str) or not self.o.numbers_as_text:
            return self.text(x) if isinstance(x, str) else x
        s = num_text(x)
        return _fw(s) if self.o.fullwidth else s

    def text(self, v: Value, *, pct: bool = False) -> Value:
        """Full-width digits if asked; with ``pct`` (actuals and 执行率 only: a target
        stays text) "95%" becomes 0.95 in a percent-formatted cell."""
        if isinstance(v, str):
            m = re.fullmatch(r"(\d+(?:\.\d+)?)%", v)
            if m and pct and self.o.percent_cells:
                return Percent(round(float(m.group(1)) / 100, 6))
            return _fw(v) if self.o.fullwidth else v
        return v

    def rate(self, v: Value) -> Value:
        if isinstance(v, float) and not isinstance(v, Percent):
            return Percent(v)
        return self.text(v, pct=True)


def split_target(target: Value, level2: str = "") -> tuple[str | None, Value, str | None]:
    """(指标性质, 指标值, 度量单位) of a target, as Sichuan/Yunnan forms split it."""
    if target is None:
        return None, None, None
    if not isinstance(target, str):
        return "=", target, None
    m = re.fullmatch(
        r"(?:\d{4}年)?(≥|≤|=|>=|<=)?(\d+(?:\.\d+)?)([^\d≥≤=<>]*?)(以上|以内|底前|前)?",
        target.strip(),
    )
    if not m:
        return "定性", target, None
    op, number, unit, tail = m.groups()
    value: float | int = float(number) if "." in number else int(number)
    if not op:
        if tail == "以上":
            op = "≥"
        elif tail or "成本" in level2 or ("时效" in level2 and unit == "月"):
            op = "≤"
        else:
            op = "="
    return {">=": "≥", "<=": "≤"}.get(op, op), value, unit or None


def _split_actual(actual: Value, unit: str | None) -> Value:
    """A 完成值 written as a bare number when its unit is the target's."""
    if not isinstance(actual, str):
        return actual
    m = re.fullmatch(r"(?:≥|≤|=)?(\d+(?:\.\d+)?)(\D*)", actual.strip())
    if m and (m.group(2) in ("", unit) or (unit == "月" and m.group(2) in ("月底", "月底前"))):
        n = m.group(1)
        if unit == "%" and not m.group(2):
            return actual
        return f"{n}%" if unit == "%" else (float(n) if "." in n else int(n))
    return actual


def _level_runs(items: list[IndicatorSpec], key: Any) -> list[int]:
    """Length of the run of equal keys starting at each row (0 inside a run)."""
    runs = [0] * len(items)
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and key(items[j]) == key(items[i]):
            j += 1
        runs[i] = j - i
        i = j
    return runs


def layout_form(spec: FormSpec, variant: str = "national-2020", **options: Any) -> FormLayout:
    """Lay one form out on a grid (no file format yet; shift_rows/extra_cols apply later)."""
    if variant not in _LAYOUTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
    o, lay = _options(options), _LAYOUTS[variant]
    w = _Writer(o)
    n = 1 + len(lay.ind_cols)
    mid = n // 2
    g = FormLayout(n, widths=[10.0] + [float(_WIDTH[f]) for f, _ in lay.ind_cols])
    title = o.title or "项目支出绩效自评表"
    if o.year_in_title and spec.year:
        title = f"{spec.year}年度{title}"
    g.put(0, 0, title, "title", c2=n - 1)
    g.heights[0] = 32
    r = 1
    if not o.year_in_title:
        g.put(1, 0, f"（{spec.year}年度）" if spec.year else "（    年度）", "year", c2=n - 1)
        r = 2
    top = r
    g.put(r, 0, w.label("项目名称"), "label")
    g.put(r, 1, spec.project_name, "text", c2=n - 1)
    dept = spec.department
    if spec.department_code:
        code = spec.department_code
        dept = f"{code} {dept}" if o.code_style == "space" else f"[{code}]{dept}"
    g.put(r + 1, 0, w.label(lay.dept_label), "label")
    g.put(r + 1, 1, dept, "text", c2=mid - 1)
    g.put(r + 1, mid, w.label("实施单位"), "label")
    g.put(r + 1, mid + 1, spec.implementer, "text", c2=n - 1)
    r += 2
    # funds block
    g.put(r, 0, w.label(lay.fund_label), "label", r2=r + len(lay.fund_rows))
    g.put(r, 1, None, "label", c2=2)
    last = len(lay.fund_cols) - 1
    for i, (_, text) in enumerate(lay.fund_cols):
        g.put(r, 3 + i, w.label(text), "head", c2=n - 1 if i == last else 3 + i)
    for kind, text in lay.fund_rows:
        r += 1
        g.put(r, 1, w.label(text), "label", c2=2)
        initial, budget, executed = spec.funds.get(kind) or (None, None, None)
        vals: dict[str, Value] = {"initial": initial, "budget": budget, "executed": executed}
        for key in ("initial", "budget", "executed"):
            if vals[key] is not None and lay.money_factor != 1:
                vals[key] = round(float(vals[key]) * lay.money_factor, 2)
        if kind == "total":
            vals |= {"weight": spec.budget_weight, "score": spec.budget_self_score}
            vals["rate"] = spec.rate_written
        for i, (key, _) in enumerate(lay.fund_cols):
            v = w.rate(vals.get(key)) if key == "rate" else w.amount(vals.get(key))
            g.put(r, 3 + i, v, c2=n - 1 if i == last else 3 + i)
    r += 1
    # overall goal
    g.put(r, 0, w.label("年度总体目标"), "label", r2=r + 1)
    g.put(r, 1, w.label("预期目标"), "head", c2=mid - 1)
    g.put(r, mid, w.label("实际完成情况"), "head", c2=n - 1)
    g.put(r + 1, 1, spec.goal_expected, "text", c2=mid - 1)
    g.put(r + 1, mid, spec.goal_actual, "text", c2=n - 1)
    goal_row = r + 1
    r += 2
    # indicators
    r = _indicator_block(g, spec, lay, w, r)
    cols = {f: 1 + i for i, (f, _) in enumerate(lay.ind_cols)}
    first = min(cols["weight"], cols["score"])
    g.put(r, 0, w.label(lay.sum_label), "label", c2=first - 1)
    g.put(r, cols["weight"], w.amount(100))
    g.put(r, cols["score"], w.amount(spec.total_self))
    r += 1
    if o.grade_row or (o.grade_row is None and spec.grade is not None):
        g.put(r, 0, w.label(lay.grade_label), "label", c2=first - 1)
        g.put(r, first, spec.grade, c2=n - 1)
        r += 1
    g.box(top, r - 1)
    if o.footer:
        g.put(r, 0, w.label("填报人"), "plain")
        g.put(r, 1, spec.filler, "plain", c2=2)
        g.put(r, mid, w.label("联系电话"), "plain")
        g.put(r, mid + 1, spec.phone, "plain", c2=min(mid + 2, n - 1))
    g.fit_heights()
    g.heights[goal_row] = max(45.0, g.heights.get(goal_row, 0.0))
    return g


def _indicator_block(g: FormLayout, spec: FormSpec, lay: _Layout, w: _Writer, r: int) -> int:
    """Header row(s) and one row per indicator; returns the next free row."""
    o, inds = w.o, spec.indicators
    hdr = 2 if lay.two_row else 1
    g.put(r, 0, w.label("绩效指标"), "label", r2=r + hdr + max(len(inds), 1) - 1)
    cols = {f: 1 + i for i, (f, _) in enumerate(lay.ind_cols)}
    for f, text in lay.ind_cols:
        if lay.two_row and f in ("nature", "target", "unit"):
            g.put(r + 1, cols[f], w.label(text), "head")
        else:
            g.put(r, cols[f], w.label(text), "head", r2=r + hdr - 1)
    if lay.two_row:
        g.put(r, cols["nature"], w.label("年度指标值"), "head", c2=cols["unit"])
    g.heights[r] = 30
    g.repeat_rows = (r, r + hdr - 1)
    r += hdr
    declared: dict[str, float] = {}
    for ind in inds:
        declared[ind.level1] = declared.get(ind.level1, 0) + float(ind.weight or 0)
    runs1 = _level_runs(inds, lambda i: i.level1)
    runs2 = _level_runs(inds, lambda i: (i.level1, i.level2))
    for k, ind in enumerate(inds):
        row = r + k
        level1 = ind.level1
        if o.weights_in_labels and declared.get(level1):
            level1 = f"{level1}({num_text(declared[level1])}分)"
        for f, text, run in (("level1", level1, runs1[k]), ("level2", ind.level2, runs2[k])):
            if o.unmerged_level1:
                g.put(row, cols[f], w.label(text), "label")
            elif run:
                g.put(row, cols[f], w.label(text), "label", r2=row + run - 1)
        g.put(row, cols["name"], ind.name, "text")
        if lay.two_row:
            nature, value, unit = split_target(ind.target, ind.level2)
            g.put(row, cols["nature"], nature)
            g.put(row, cols["target"], w.amount(value) if value is not None else None)
            g.put(row, cols["unit"], unit)
            g.put(row, cols["actual"], w.text(_split_actual(ind.actual, unit), pct=True))
        else:
            g.put(row, cols["target"], w.text(ind.target))
            g.put(row, cols["actual"], w.text(ind.actual, pct=True))
        g.put(row, cols["weight"], w.amount(ind.weight))
        g.put(row, cols["score"], w.amount(ind.self_score))
        g.put(row, cols["reason"], ind.reason, "text")
    return r + max(len(inds), 1)


# --- rendering -------------------------------------------------------------------------------

_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "size": 16, "center": True, "border": False},
    "year": {"size": 12, "center": True, "border": False},
    "label": {"center": True, "border": True},
    "head": {"bold": True, "center": True, "border": True},
    "text": {"center": False, "border": True},
    "value": {"center": True, "border": True},
    "plain": {"center": False, "border": False},
}

Sheet = tuple[str, FormLayout | list[str], int, int]  # name, grid or text lines, row/col offset


def render_xlsx(
    sheets: Sequence[Sheet], *, macro: bool = False, created: datetime = FIXED_CREATED
) -> bytes:
    """An .xlsx (or macro-enabled .xlsm) package with xlsxwriter, print-ready."""
    import xlsxwriter

    buf = io.BytesIO()
    opts = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    wb = xlsxwriter.Workbook(buf, opts)
    wb.set_properties({"created": created, "author": "", "comments": ""})
    cache: dict[tuple[str, str | None], Any] = {}

    def fmt(style: str, numfmt: str | None) -> Any:
        if (style, numfmt) not in cache:
            s = _STYLES[style]
            props = {
                "font_name": "宋体",
                "font_size": s.get("size", 11),
                "bold": s.get("bold", False),
                "align": "center" if s["center"] else "left",
                "valign": "vcenter",
                "text_wrap": True,
                "border": 1 if s["border"] else 0,
            }
            if numfmt:
                props["num_format"] = numfmt
            cache[(style, numfmt)] = wb.add_format(props)
        return cache[(style, numfmt)]

    for name, grid, dr, dc in sheets:
        ws = wb.add_worksheet(name)
        if not isinstance(grid, FormLayout):
            ws.set_column(0, 0, 90)
            for i, line in enumerate(grid):
                ws.write_string(i, 0, line, fmt("title" if i == 0 else "plain", None))
            continue
        for c, width in enumerate(grid.widths):
            ws.set_column(c + dc, c + dc, width)
        for r, h in grid.heights.items():
            ws.set_row(r + dr, h)
        for r0, c0, r1, c1 in grid.merges:
            _, style, numfmt = grid.cells[(r0, c0)]
            ws.merge_range(r0 + dr, c0 + dc, r1 + dr, c1 + dc, "", fmt(style, numfmt))
        for (r, c), (v, style, numfmt) in sorted(grid.cells.items()):
            f = fmt(style, numfmt)
            if v is None:
                ws.write_blank(r + dr, c + dc, None, f)
            elif isinstance(v, str):
                ws.write_string(r + dr, c + dc, v, f)
            else:
                ws.write_number(r + dr, c + dc, float(v), f)
        ws.set_paper(9)
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        ws.center_horizontally()
        ws.set_footer("&C第 &P 页，共 &N 页")
        if grid.repeat_rows:
            ws.repeat_rows(grid.repeat_rows[0] + dr, grid.repeat_rows[1] + dr)
    wb.close()
    data = buf.getvalue()
    return _macro_enabled(data) if macro else data


def _macro_enabled(data: bytes) -> bytes:
    """Declare the workbook part macro-enabled, which is what makes a package an .xlsm."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                part = part.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            dst.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def render_xls(sheets: Sequence[Sheet]) -> bytes:
    """A BIFF8 .xls with xlwt (merges, borders, percent formats), as old systems export."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    cache: dict[tuple[str, str | None], Any] = {}

    def fmt(style: str, numfmt: str | None) -> Any:
        if (style, numfmt) not in cache:
            s = _STYLES[style]
            spec = f"font: name 宋体, height {s.get('size', 11) * 20}{', bold on' if s.get('bold') else ''}; "
            spec += f"align: wrap on, vert centre, horiz {'center' if s['center'] else 'left'}"
            if s["border"]:
                spec += "; borders: left thin, right thin, top thin, bottom thin"
            cache[(style, numfmt)] = xlwt.easyxf(spec, num_format_str=numfmt or "General")
        return cache[(style, numfmt)]

    for name, grid, dr, dc in sheets:
        ws = wb.add_sheet(name, cell_overwrite_ok=True)
        if not isinstance(grid, FormLayout):
            ws.col(0).width = 256 * 90
            for i, line in enumerate(grid):
                ws.write(i, 0, line, fmt("title" if i == 0 else "plain", None))
            continue
        for c, width in enumerate(grid.widths):
            ws.col(c + dc).width = int(256 * width)
        for r, h in grid.heights.items():
            ws.row(r + dr).height_mismatch = True
            ws.row(r + dr).height = int(h * 20)
        merged = {(a, b): (c, d) for a, b, c, d in grid.merges}
        for (r, c), (v, style, numfmt) in sorted(grid.cells.items()):
            value = float(v) if isinstance(v, int | float) else v
            if (r, c) in merged:
                r1, c1 = merged[(r, c)]
                ws.write_merge(r + dr, r1 + dr, c + dc, c1 + dc, value, fmt(style, numfmt))
            else:
                ws.write(r + dr, c + dc, value, fmt(style, numfmt))
        ws.paper_size_code = 9
        ws.portrait = True
        ws.fit_num_pages, ws.fit_width_to_pages, ws.fit_height_to_pages = 1, 1, 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file in the destination folder, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a shared file needs the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name).strip("'")[:31] or "Sheet"
    candidate, k = base, 2
    while candidate.lower() in used:
        candidate, k = f"{base[:28]}({k})", k + 1
    used.add(candidate.lower())
    return candidate


def write_workbook(
    path: str | Path,
    forms: Sequence[tuple[str, FormSpec, str, dict[str, Any]]],
    *,
    fmt: str | None = None,
    extra_sheets: Sequence[str | tuple[str, list[str]]] = (),
    extra_sheets_first: bool = False,
) -> Path:
    """Several forms (sheet name, spec, variant, options) in one workbook, plus
    sheets that hold no form (``填表说明``), written atomically.

    ``fmt`` defaults to the path's suffix; giving another one writes e.g. an
    .xls under an .xlsx name, as misnamed inbox files are."""
    path = Path(path)
    fmt = fmt or (
        path.suffix.lower().lstrip(".") if path.suffix.lower() in (".xls", ".xlsm") else "xlsx"
    )
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    used: set[str] = set()
    extras: list[Sheet] = []
    for extra in extra_sheets:
        name, lines = (extra, INSTRUCTIONS) if isinstance(extra, str) else extra
        extras.append((_sheet_name(name, used), list(lines), 0, 0))
    sheets: list[Sheet] = []
    for name, spec, variant, options in forms:
        opts = dict(options)
        grid = layout_form(spec, variant, **opts)
        dr, dc = int(opts.get("shift_rows", 0)), int(opts.get("extra_cols", 0))
        sheets.append((_sheet_name(name, used), grid, dr, dc))
    sheets = extras + sheets if extra_sheets_first else sheets + extras
    data = render_xls(sheets) if fmt == "xls" else render_xlsx(sheets, macro=fmt == "xlsm")
    atomic_write(path, data)
    return path


def write_form(
    path: str | Path, spec: FormSpec, variant: str = "national-2020", **options: Any
) -> Path:
    """One filled form in one workbook. Options: fmt, sheet_name, extra_sheets,
    extra_sheets_first, and the layout quirks of :class:`_Options`."""
    fmt = options.pop("fmt", None)
    sheet = options.pop("sheet_name", None) or "项目支出绩效自评表"
    extra = options.pop("extra_sheets", ())
    first = options.pop("extra_sheets_first", False)
    return write_workbook(
        path,
        [(sheet, spec, variant, options)],
        fmt=fmt,
        extra_sheets=extra,
        extra_sheets_first=first,
    )


def adapt_spec(spec: FormSpec, variant: str) -> FormSpec:
    """The spec as a form of this variant can hold it: the single-column form has no
    年初预算数 column and no 上年结转 row (a carry-over is counted with 其他资金)."""
    if variant != "single-column":
        return spec
    funds = dict(spec.funds)
    carry = funds.pop("carryover", None)
    if carry and any(carry):
        other = funds.get("other") or (None, None, None)
        funds["other"] = tuple(  # type: ignore[assignment]
            None if a is None and b is None else round((a or 0) + (b or 0), 2)
            for a, b in zip(other, carry, strict=True)
        )
    funds = {k: (None, v[1], v[2]) for k, v in funds.items()}
    return replace(spec, funds=funds)


# --- random forms for benchmarks and reader tests ---------------------------------------------

# 主管部门 | 实施单位 | project names | 数量指标 pool (name:unit:low:high)
_UNITS_TABLE = """
歙县文化和旅游局|歙县文化馆|公共文化服务体系建设专项资金,非物质文化遗产保护经费|举办群众文化活动场次:场次:20:120,送戏下乡演出场次:场:10:60
喀什地区质量技术监督局|喀什地区计量检定所|计量器具强制检定经费,认证认可监管专项经费|监督检查企业数量:家:10:60,检定计量器具数量:台:200:3000
石家庄市农业农村局|石家庄市农业技术推广站|农业技术推广补助资金,高标准农田建设项目|推广农业新技术:项:3:15,培训农民:人次:500:5000,建设高标准农田面积:亩:1000:20000
成都市教育局|成都市青羊区实验小学|义务教育薄弱环节改善资金,学生资助补助经费|资助家庭经济困难学生:人:100:3000,改造校舍面积:平方米:500:8000
昆明市卫生健康委员会|昆明市疾病预防控制中心|基本公共卫生服务项目,重大传染病防控经费|建立居民健康档案:份:5000:80000,开展健康教育讲座:次:12:80
福州市林业局|福州市国有林场|森林防火专项经费,重点生态区位商品林赎买资金|植树造林面积:亩:500:10000,开展防火巡查:次:50:400
合肥市交通运输局|合肥市公路事业发展中心|农村公路养护专项资金,危桥改造工程补助|养护农村公路里程:公里:50:900,改造危桥数量:座:2:30
保定市生态环境局|保定市环境监测站|大气污染防治专项资金,环境监测能力建设项目|建设空气自动监测站:个:2:20,开展执法检查:次:30:300
绵阳市民政局|绵阳市社会福利院|困难群众救助补助资金,养老服务体系建设资金|救助困难群众:人:300:9000,新增养老床位:张:20:500
大理州水利局|大理州水文水资源局|水资源监测能力建设,农村饮水安全巩固提升工程|新建水文监测站点:个:3:25,受益农村人口:人:1000:40000
泉州市人力资源和社会保障局|泉州市就业服务中心|就业补助资金,职业技能提升行动专项资金|开展职业技能培训:人次:300:6000,举办招聘会:场:5:40
宜宾市住房和城乡建设局|宜宾市住房保障中心|城镇老旧小区改造补助资金,保障性安居工程专项资金|改造老旧小区:个:3:40,发放租赁补贴:户:100:3000
"""
# 二级 | indicators (name:kind:param); kinds: pct (threshold), month, cost, le/count (unit:lo:hi),
# zero (unit), qual (target text)
_POOLS_TABLE = """
质量指标|项目验收合格率:pct:95,资金发放准确率:pct:100,设备完好率:pct:98,培训合格率:pct:90,工作任务完成率:pct:100
时效指标|项目完成时间:month:,资金拨付及时率:pct:100,任务完成时限:month:
成本指标|项目总成本:cost:,人均补助标准:le:元:500:3000,单位运行成本:le:万元:2:30
经济效益指标|带动相关产业增收:count:万元:20:500,促进区域经济发展:qual:有效促进,节约运行成本:count:万元:5:80
社会效益指标|群众知晓率:pct:85,受益群众人数:count:人:500:20000,重大安全事故发生次数:zero:次,提升公共服务水平:qual:明显提升,有效投诉次数:le:起:3:10
生态效益指标|污染物排放达标率:pct:100,改善人居环境:qual:有效改善,环境污染事件发生次数:zero:起
可持续影响指标|长效管理机制:qual:建立健全,项目持续发挥效益年限:count:年:3:10
服务对象满意度指标|服务对象满意度:pct:90,群众满意度:pct:85,受益对象满意度:pct:95
经济成本指标|项目总成本:cost:,设备购置成本:le:万元:5:60
社会成本指标|对社会发展的负面影响:qual:不产生负面社会影响
生态环境成本指标|对生态环境的负面影响:qual:不造成生态环境破坏
"""
Item = tuple[str, str, tuple[str, ...]]  # name, kind, params


def _items(text: str) -> tuple[Item, ...]:
    out = []
    for entry in text.split(","):
        name, kind, *params = entry.split(":")
        out.append((name, kind, tuple(params)))
    return tuple(out)


_UNITS = [
    (
        d,
        i,
        tuple(p.split(",")),
        tuple((n, "count", tuple(a)) for n, *a in (q.split(":") for q in qs.split(","))),
    )
    for d, i, p, qs in (line.split("|") for line in _UNITS_TABLE.strip().splitlines())
]
_POOLS = {k: _items(v) for k, v in (line.split("|") for line in _POOLS_TABLE.strip().splitlines())}
# 一级 -> (二级, (min, max) indicators drawn), with the 一级 weights of the form
_STANDARD = {
    "产出指标": (("数量指标", 1, 4), ("质量指标", 1, 3), ("时效指标", 0, 2), ("成本指标", 0, 2)),
    "效益指标": (
        ("经济效益指标", 0, 2),
        ("社会效益指标", 1, 3),
        ("生态效益指标", 0, 2),
        ("可持续影响指标", 0, 2),
    ),
    "满意度指标": (("服务对象满意度指标", 1, 2),),
}
_COST_L1 = {
    "产出指标": _STANDARD["产出指标"][:3],
    "成本指标": (("经济成本指标", 1, 2), ("社会成本指标", 0, 1), ("生态环境成本指标", 0, 1)),
    "效益指标": _STANDARD["效益指标"],
    "满意度指标": _STANDARD["满意度指标"],
}
_REASONS = (
    "受疫情影响，部分活动延期举办，下一步将加快实施进度。",
    "资金下达较晚，项目进度滞后，已督促加快推进。",
    "实际需求较计划减少，今后将科学测算目标值。",
    "部分工程尚在审计结算中，尾款未支付。",
    "无",
    "0",
)
_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇")
_TITLES = ("项目支出绩效自评表", "项目支出绩效目标自评表", "部门预算项目支出绩效自评表")


def _partition(rng: Any, total: int, n: int) -> list[float]:
    """Integer weights summing to total, nearly even, shuffled a little."""
    parts = [total // n + (1 if i < total % n else 0) for i in range(n)]
    for _ in range(n // 2):
        i, j = rng.randrange(n), rng.randrange(n)
        if i != j and parts[i] > 2:
            parts[i], parts[j] = parts[i] - 1, parts[j] + 1
    return [float(p) for p in parts]


def _draw(
    rng: Any, item: Item, budget: float, year: int, outcome: str
) -> tuple[Value, Value, str, float]:
    """(target, actual, outcome, share of the weight the actual earns) of one indicator."""
    name, kind, p = item
    if outcome == "na":  # the target stays, the actual says it did not apply
        return {"pct": f"≥{p[0]}%", "qual": p[0], "zero": f"0{p[0]}"}.get(kind, "—"), "—", "na", 0.0
    if kind == "pct":
        t = int(p[0])
        target = rng.choice(("100%", "=100%")) if t == 100 else f"≥{t}%"
        v = t - rng.randint(1, 8) if outcome == "short" else rng.randint(t, 100)
        actual: Value = Percent(v / 100) if rng.random() < 0.15 else f"{v}%"
        return target, actual, ("short" if v < t else "met"), min(1.0, v / t)
    if kind == "month":
        m = rng.randint(6, 12)
        target = rng.choice((f"{m}月", f"{m}月底前", f"{year}年{m}月底前"))
        a = m + 1 if outcome == "short" and m < 12 else m - rng.randint(0, 2)
        return target, f"{a}月", ("short" if a > m else "met"), min(1.0, 1 - (a - m) / m)
    if kind in ("cost", "le"):
        unit, t = (p[0], rng.randint(int(p[1]), int(p[2]))) if kind == "le" else ("万元", budget)
        a = t * (rng.uniform(1.05, 1.3) if outcome == "short" else rng.uniform(0.7, 1.0))
        a = round(a, 2) if kind == "cost" else round(a)
        target = rng.choice(
            (f"≤{num_text(t)}{unit}", f"{num_text(t)}{unit}" if kind == "cost" else f"≤{t}{unit}")
        )
        return (
            target,
            f"{num_text(a)}{unit}",
            ("short" if a > t else "met"),
            max(0.0, min(1.0, 2 - a / t)),
        )
    if kind == "zero":
        if outcome == "short":
            return f"0{p[0]}", f"1{p[0]}", "short", 0.0
        return rng.choice((f"0{p[0]}", "=0")), rng.choice((f"0{p[0]}", 0)), "met", 1.0
    if kind == "qual":
        if outcome == "short":
            return p[0], rng.choice(("部分达成", "基本达成")), "short", 0.8
        return p[0], rng.choice(("达成", "达成年度指标", "已完成", p[0])), "met", 1.0
    unit, t = p[0], rng.randint(int(p[1]), int(p[2]))  # count
    a = {
        "met": t,
        "short": int(t * rng.uniform(0.5, 0.95)),
        "over": int(t * rng.uniform(1.25, 1.6)) + 1,
    }[outcome]
    target = rng.choice((f"≥{t}{unit}", f"≥{t}{unit}", f"{t}{unit}以上", f"{t}{unit}"))
    return target, rng.choice((f"{a}{unit}", f"{a}{unit}", str(a), a)), outcome, min(1.0, a / t)


def _random_funds(rng: Any) -> dict[str, tuple[float | None, float | None, float | None]]:
    """Total and source rows that add up to the cent; absent sources empty or zero."""
    low, high = rng.choice(((1, 20), (20, 300), (300, 3000)))
    budget = rng.randint(low * 100, high * 100)  # in cents of 万元
    rate = rng.choice(
        (1.0, 1.0, rng.uniform(0.9, 1.0), rng.uniform(0.9, 1.0), rng.uniform(0.6, 0.9))
    )
    initial = budget if rng.random() < 0.7 else round(budget * rng.uniform(0.7, 1.0))
    totals = (initial, budget, round(budget * rate))
    kinds = rng.choice(
        (
            ("fiscal",),
            ("fiscal",),
            ("fiscal", "carryover"),
            ("fiscal", "other"),
            ("fiscal", "carryover", "other"),
        )
    )
    shares = [rng.uniform(0.1, 1.0) for _ in kinds]
    shares[0] += sum(shares)  # fiscal money dominates
    funds: dict[str, tuple[float | None, float | None, float | None]] = {
        "total": tuple(c / 100 for c in totals)
    }
    columns = []
    for cents in totals:
        parts = [int(cents * s / sum(shares)) for s in shares]
        parts[0] += cents - sum(parts)
        columns.append(parts)
    for i, kind in enumerate(kinds):
        funds[kind] = (columns[0][i] / 100, columns[1][i] / 100, columns[2][i] / 100)
    for kind in ("fiscal", "carryover", "other"):
        if kind not in funds and rng.random() < 0.5:
            funds[kind] = (0.0, 0.0, 0.0)
    return funds


def _random_indicators(
    rng: Any,
    quantities: tuple[Item, ...],
    level1_cost: bool,
    budget_weight: float,
    budget: float,
    year: int,
) -> list[tuple[IndicatorSpec, str, float]]:
    """8-20 filled indicators (plus placeholder rows) with weights adding up to 100 - budget."""
    layout = _COST_L1 if level1_cost else _STANDARD
    weights = (
        {"产出指标": 40, "成本指标": 20, "效益指标": 20, "满意度指标": 10}
        if level1_cost
        else {"产出指标": 50 if budget_weight == 10 else 40, "效益指标": 30, "满意度指标": 10}
    )
    good = rng.random() < 0.4
    while True:
        rows: list[tuple[IndicatorSpec, str, float]] = []
        for level1, level2s in layout.items():
            group = []
            for level2, low, high in level2s:
                pool = quantities if level2 == "数量指标" else _POOLS[level2]
                drawn = rng.sample(pool, min(rng.randint(low, high), len(pool)))
                for item in drawn:
                    roll = rng.random()
                    outcome = (
                        "met"
                        if good or roll < 0.7
                        else "short"
                        if roll < 0.88
                        else "over"
                        if roll < 0.96
                        else "na"
                    )
                    target, actual, outcome, share = _draw(rng, item, budget, year, outcome)
                    group.append(
                        (IndicatorSpec(level1, level2, item[0], target, actual), outcome, share)
                    )
                if not drawn and rng.random() < 0.4:
                    group.append((IndicatorSpec(level1, level2, "指标1"), "", 0.0))
            filled = [g[0] for g in group if not g[0].placeholder]
            for ind, w in zip(
                filled, _partition(rng, weights[level1], max(len(filled), 1)), strict=False
            ):
                ind.weight = w
            rows.extend(group)
        if 8 <= sum(not r[0].placeholder for r in rows) <= 20:
            return rows


def _self_assess(rng: Any, rows: list[tuple[IndicatorSpec, str, float]], no_self: bool) -> None:
    """Self scores and reasons as units write them: full marks when met, sometimes
    also when not, sometimes a fair partial score, sometimes nothing."""
    for ind, outcome, share in rows:
        if ind.placeholder:
            continue
        ind.self_score = ind.weight
        if outcome == "na":
            ind.self_score, ind.reason = None, "本年度未发生相关业务，不适用"
        elif outcome == "short":
            roll = rng.random()
            if roll >= 0.3:
                ind.self_score = round(float(ind.weight or 0) * share, 2) if roll < 0.85 else None
            ind.reason = rng.choice(_REASONS) if rng.random() < 0.7 else None
        elif outcome == "over" and rng.random() < 0.5:
            ind.reason = "实际需求增加，超额完成年度目标。"
        if no_self:
            ind.self_score = None


def random_spec(rng: Any, *, level1_cost: bool | None = None) -> FormSpec:
    """A realistic filled form: varied project, amounts and 8-20 indicators with
    shortfalls, not-applicable rows and missing self scores; well-formed always."""
    dept, impl, projects, quantities = rng.choice(_UNITS)
    year = rng.randint(2018, 2024)
    if level1_cost is None:
        level1_cost = year >= 2021 and rng.random() < 0.3
    year = max(year, rng.randint(2021, 2024)) if level1_cost else year
    funds = _random_funds(rng)
    _, budget, executed = funds["total"]
    budget_weight = 20.0 if not level1_cost and rng.random() < 0.1 else 10.0
    rows = _random_indicators(rng, quantities, level1_cost, budget_weight, budget, year)
    no_self = rng.random() < 0.08
    _self_assess(rng, rows, no_self)
    rate = executed / budget
    rate_written = rng.choice(
        (None, round(rate, 4), round(rate, 4), f"{rate * 100:.2f}%", f"{rate * 100:.1f}%")
    )
    budget_self = (
        None
        if no_self
        else rng.choice((round(min(rate, 1) * budget_weight, 2),) * 3 + (budget_weight, None))
    )
    filled = [r[0] for r in rows if not r[0].placeholder]
    scores = [budget_self] + [i.self_score for i in filled]
    total = round(sum(s for s in scores if s is not None), 2) if None not in scores else None
    grade = None
    if total is not None and rng.random() < 0.7:
        grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    project = rng.choice(projects)
    goals = "；".join(f"{i.name}{i.target}" for i in filled[:4] if isinstance(i.target, str))
    done = "，".join(
        f"{i.name}{i.actual}" for i in filled[:4] if isinstance(i.actual, str) and i.actual != "—"
    )
    return FormSpec(
        year=year,
        project_name=f"{year}年{project}" if rng.random() < 0.3 else project,
        department=dept,
        department_code=str(rng.randint(100, 999)) if rng.random() < 0.4 else None,
        implementer=impl,
        funds=funds,
        budget_weight=budget_weight,
        rate_written=rate_written,
        budget_self_score=budget_self,
        goal_expected=f"计划投入资金{num_text(budget)}万元，实施{project}。年度目标：{goals}。",
        goal_actual=f"年度目标完成情况：{done}。",
        indicators=[r[0] for r in rows],
        total_self=total,
        grade=grade,
        filler=rng.choice(_NAMES) if rng.random() < 0.6 else None,
        phone=f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}"
        if rng.random() < 0.5
        else None,
    )


@dataclass(frozen=True)
class CorpusItem:
    """One planned corpus file: its name, its forms and its workbook options."""

    filename: str
    forms: tuple[tuple[str, FormSpec, str, dict[str, Any]], ...]
    fmt: str
    extra_sheets: tuple[str, ...] = ()
    extra_sheets_first: bool = False


def _random_options(rng: Any, spec: FormSpec) -> dict[str, Any]:
    o: dict[str, Any] = {}
    if rng.random() < 0.25:
        o["shift_rows"] = rng.randint(1, 3)
    if rng.random() < 0.15:
        o["extra_cols"] = rng.randint(1, 2)
    for key, p in (
        ("numbers_as_text", 0.15),
        ("fullwidth", 0.1),
        ("weights_in_labels", 0.2),
        ("label_noise", 0.25),
        ("unmerged_level1", 0.15),
        ("percent_cells", 0.3),
        ("year_in_title", 0.1),
        ("grade_row", 0.3),
    ):
        if rng.random() < p:
            o[key] = True
    if rng.random() < 0.2:
        o["title"] = rng.choice(_TITLES)
    if spec.department_code:
        o["code_style"] = rng.choice(("bracket", "space"))
    return o


def plan_corpus(n: int, seed: int = 0) -> list[CorpusItem]:
    """What generate_corpus writes, without writing: tests compare the reader with it."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        forms = []
        for k in range(1 if rng.random() < 0.92 else rng.randint(2, 3)):
            spec = random_spec(rng)
            variant = (
                "level1-cost"
                if any(r.level1 == "成本指标" for r in spec.indicators)
                else rng.choices(
                    ("national-2020", "single-column", "ab-suffix", "split"), (45, 15, 15, 25)
                )[0]
            )
            sheet = rng.choice(
                ("Sheet1", "自评表", "项目支出绩效自评表", "附件1", spec.project_name)
            )
            forms.append(
                (
                    sheet if k == 0 else f"项目{k + 1}",
                    adapt_spec(spec, variant),
                    variant,
                    _random_options(rng, spec),
                )
            )
        fmt = rng.choices(FORMATS, (70, 15, 15))[0]
        extra = ("填表说明",) if rng.random() < 0.15 else ()
        head = forms[0][1]
        name = re.sub(
            r"[\\/:*?\"<>|\s]", "", f"{i + 1:04d}-{head.year}-{head.department}-{head.project_name}"
        )
        items.append(CorpusItem(f"{name}.{fmt}", tuple(forms), fmt, extra, rng.random() < 0.5))
    return items


def generate_corpus(outdir: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write n varied forms (deterministic for a seed) and return their paths."""
    out = Path(outdir)
    return [
        write_workbook(
            out / item.filename,
            item.forms,
            fmt=item.fmt,
            extra_sheets=item.extra_sheets,
            extra_sheets_first=item.extra_sheets_first,
        )
        for item in plan_corpus(n, seed)
    ]
