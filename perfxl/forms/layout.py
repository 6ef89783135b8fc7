"""Lay a :class:`~perfxl.form_spec.FormSpec` out on a grid, in one of the layout
variants seen in real files and with their quirks (shifted rows, full-width
digits, noisy labels, unmerged 一级 cells ...).

The grid (:class:`FormLayout`) knows cells, merges, widths and heights but no
file format, so one layout is rendered as .xlsx, .xlsm or .xls by
:mod:`perfxl.forms.render` and the reader must give back the same content each time.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field, fields, replace
from typing import Any

from perfxl.forms.spec import (
    FormSpec,
    Formula,
    IndicatorSpec,
    Percent,
    Value,
    num_text,
    split_actual,
    split_target,
)

VARIANTS = ("national-2020", "single-column", "ab-suffix", "split", "level1-cost")


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
    formulas: bool = False  # computed cells as formulas with cached results (corpus: mostly on)


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
        """Place a value (merged over r..r2, c..c2); a Percent (or a formula whose
        cached result is one) gets a percent format."""
        r2, c2 = (r if r2 is None else r2), (c if c2 is None else c2)
        numfmt = None
        shown = value.cached if isinstance(value, Formula) else value
        if isinstance(shown, Percent):
            numfmt = "0%" if abs(shown * 100 - round(shown * 100)) < 1e-9 else "0.00%"
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
    fund_top = r + 1
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
    if o.formulas:
        from perfxl.forms.formulas import add_formulas

        fund_cols = {key: 3 + i for i, (key, _) in enumerate(lay.fund_cols)}
        fund_rows = (fund_top, fund_top + len(lay.fund_rows) - 1)
        inds = (r - max(len(spec.indicators), 1), r - 1)
        add_formulas(g, fund_rows, fund_cols, r, inds, cols)
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
            g.put(row, cols["actual"], w.text(split_actual(ind.actual, unit), pct=True))
        else:
            g.put(row, cols["target"], w.text(ind.target))
            g.put(row, cols["actual"], w.text(ind.actual, pct=True))
        g.put(row, cols["weight"], w.amount(ind.weight))
        g.put(row, cols["score"], w.amount(ind.self_score))
        g.put(row, cols["reason"], ind.reason, "text")
    return r + max(len(inds), 1)
