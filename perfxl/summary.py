"""The summary workbook 汇总表.xlsx: every project, department, indicator and problem.

It is e-mailed to leadership and printed, so it must stay small (column formats,
shared strings, no pictures, native charts), print on A4 landscape, and never
turn a text from an untrusted input into a formula. It is written with
xlsxwriter from plain DataFrames built by the batch code, and the output is
byte-for-byte reproducible: the only time in it is ``SummaryMeta.generated_at``.
"""

from __future__ import annotations

import math
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from .model import SEVERITY_ORDER, SEVERITY_ZH

TITLE = "项目支出绩效自评汇总表"
GRADES = ("优", "良", "中", "差")
GRADE_FILL = {"优": "#C6EFCE", "良": "#DDEBF7", "中": "#FFEB9C", "差": "#FFC7CE"}
SCORE_BINS = (("<60", -math.inf, 60.0), ("60–70", 60.0, 70.0), ("70–80", 70.0, 80.0),
              ("80–90", 80.0, 90.0), ("90–100", 90.0, math.inf))  # fmt: skip
OP_ZH = {">=": "≥", "<=": "≤", "=": "=", "time": "时限", "qualitative": "定性", "na": "不适用"}
NUM_FORMATS = {"money": "#,##0.00", "pct": "0.00%", "score": "0.00", "int": "0"}
NUM_WIDTH = {"money": 14, "pct": 10, "score": 10, "int": 8}
MAX_WIDTH = 60
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")

# (header, kind): kind is "text" or a NUM_FORMATS key
SUMMARY_COLUMNS = [
    ("序号", "int"), ("年度", "int"), ("主管部门", "text"), ("实施单位", "text"),
    ("项目名称", "text"), ("年初预算数", "money"), ("全年预算数", "money"),
    ("全年执行数", "money"), ("执行率", "pct"), ("预算得分", "score"), ("一级指标数", "int"),
    ("二级指标数", "int"), ("三级指标数", "int"), ("已完成三级指标数", "int"),
    ("指标完成率", "pct"), ("自评总分", "score"), ("复核总分", "score"), ("差值", "score"),
    ("自评等级", "text"), ("错误数", "int"), ("警告数", "int"), ("源文件", "text"),
]  # fmt: skip
DEPT_COLUMNS = [
    ("主管部门", "text"), ("项目数", "int"), ("年初预算数", "money"), ("全年预算数", "money"),
    ("全年执行数", "money"), ("执行率", "pct"), ("平均复核得分", "score"),
    ("加权平均复核得分", "score"), *((g, "int") for g in GRADES),
]  # fmt: skip
INDICATOR_COLUMNS = [
    ("源文件", "text"), ("工作表", "text"), ("项目名称", "text"), ("一级指标", "text"),
    ("二级指标", "text"), ("三级指标", "text"), ("年度指标值", "text"), ("实际完成值", "text"),
    ("指标方向", "text"), ("单位", "text"), ("分值", "score"), ("自评得分", "score"),
    ("复核得分", "score"), ("是否完成", "text"), ("偏差原因", "text"),
]  # fmt: skip
PROBLEM_COLUMNS = [("源文件", "text"), ("工作表", "text"), ("单元格", "text"), ("级别", "text"),
                   ("代码", "text"), ("说明", "text")]  # fmt: skip


@dataclass(frozen=True)
class SummaryMeta:
    """How the summary was produced, shown on the 说明 sheet.

    ``generated_at`` comes from the caller (derived from the inputs' mtimes), not
    the clock, so that two runs over the same inbox give identical files.
    """

    version: str
    rules_source: str
    rules_text: str
    inbox: str
    files_total: int
    files_read: int
    files_failed: int
    files_skipped: int
    forms: int
    generated_at: datetime


Column = tuple[str, str, list[Any]]  # header, kind, values


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and not math.isfinite(v)


def _texts(df: pd.DataFrame, name: str) -> list[str]:
    """A column as clean strings: a missing column or value becomes ''."""
    if name not in df.columns:
        return [""] * len(df)
    return ["" if _missing(v) else str(v) for v in df[name].tolist()]


def _nums(df: pd.DataFrame, name: str) -> list[float | None]:
    """A column as finite floats or None, so NaN never reaches a cell."""
    if name not in df.columns:
        return [None] * len(df)
    values = pd.to_numeric(df[name], errors="coerce").astype("float64").tolist()
    return [v if math.isfinite(v) else None for v in values]


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _fsum(values: Sequence[float | None]) -> float:
    return math.fsum(v for v in values if v is not None)


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None


class _Formats:
    """The few formats of the workbook, created once (formats are per workbook)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.header = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                     "align": "center", "valign": "vcenter", "text_wrap": True})  # fmt: skip
        self.column = {k: wb.add_format({"num_format": f}) for k, f in NUM_FORMATS.items()}
        self.column["text"] = None
        self.total = {k: wb.add_format({"bold": True, "top": 1, "num_format": f})
                      for k, f in NUM_FORMATS.items()}  # fmt: skip
        self.total["text"] = wb.add_format({"bold": True, "top": 1})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.label = wb.add_format({"bold": True, "valign": "top"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.grade = {g: wb.add_format({"bg_color": c}) for g, c in GRADE_FILL.items()}
        self.red = wb.add_format({"font_color": "#C00000", "bold": True})
        self.gap = wb.add_format({"bg_color": "#FCE4D6", "font_color": "#9C0006"})


def _write_table(ws: Any, fmt: _Formats, columns: list[Column], first_row: int = 0) -> int:
    """Header row plus one column at a time; numbers as numbers, text as text.

    Formats and widths are set per column (not per cell) to keep the file small.
    Returns the number of data rows written.
    """
    nrows = max((len(values) for _, _, values in columns), default=0)
    for c, (header, kind, values) in enumerate(columns):
        ws.write_string(first_row, c, header, fmt.header)
        if kind == "text":
            longest = max((_width(v) for v in set(values)), default=0)
            width = min(MAX_WIDTH, max(_width(header), longest) + 2)
            ws.set_column(c, c, width)
            for r, v in enumerate(values, first_row + 1):
                if v:
                    ws.write_string(r, c, v)
        else:
            ws.set_column(c, c, max(NUM_WIDTH[kind], _width(header) + 2), fmt.column[kind])
            for r, v in enumerate(values, first_row + 1):
                if v is not None:
                    ws.write_number(r, c, v)
    return nrows


def _write_total(
    ws: Any, fmt: _Formats, row: int, kinds: list[str], values: dict[int, Any]
) -> None:
    """A bold totals row; every column gets the bold format so the rule line is continuous."""
    for c, kind in enumerate(kinds):
        v = values.get(c)
        if isinstance(v, str):
            ws.write_string(row, c, v, fmt.total["text"])
        elif v is not None:
            ws.write_number(row, c, v, fmt.total[kind])
        else:
            ws.write_blank(row, c, None, fmt.total[kind])


def _page_setup(ws: Any, title: str, header_rows: int = 0) -> None:
    """A4 landscape, one page wide, header row on every page, page numbers in the footer."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_rows)
    ws.set_header(f"&C&14&B{title}")
    ws.set_footer("&L&A&C第 &P 页，共 &N 页")


def _sorted_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """Rows in reading order; a fresh index, as concatenated frames repeat labels."""
    projects = projects.reset_index(drop=True)
    keys = ["department", "implementer", "project_name", "file"]
    order = pd.DataFrame({k: _texts(projects, k) for k in keys}, index=projects.index)
    order = order.sort_values(keys, kind="mergesort")
    return projects.loc[order.index]


def _summary_sheet(wb: Any, fmt: _Formats, p: pd.DataFrame) -> None:
    ws = wb.add_worksheet("汇总")
    n = len(p)
    self_total, review = _nums(p, "self_total"), _nums(p, "review_total")
    diff = [
        None if s is None or r is None else round(s - r, 2)
        for s, r in zip(self_total, review, strict=True)
    ]
    sources = {
        "年度": _nums(p, "year"), "年初预算数": _nums(p, "initial_budget"),
        "全年预算数": _nums(p, "budget"), "全年执行数": _nums(p, "executed"),
        "执行率": _nums(p, "rate"), "预算得分": _nums(p, "budget_score"),
        "一级指标数": _nums(p, "level1_count"), "二级指标数": _nums(p, "level2_count"),
        "三级指标数": _nums(p, "level3_count"), "已完成三级指标数": _nums(p, "achieved_count"),
        "指标完成率": _nums(p, "completion_rate"), "自评总分": self_total, "复核总分": review,
        "差值": diff, "错误数": _nums(p, "errors"), "警告数": _nums(p, "warnings"),
        "序号": [float(i) for i in range(1, n + 1)], "主管部门": _texts(p, "department"),
        "实施单位": _texts(p, "implementer"), "项目名称": _texts(p, "project_name"),
        "自评等级": _texts(p, "grade"), "源文件": _texts(p, "file"),
    }  # fmt: skip
    columns = [(h, k, sources[h]) for h, k in SUMMARY_COLUMNS]
    _write_table(ws, fmt, columns)
    col = {h: i for i, (h, _) in enumerate(SUMMARY_COLUMNS)}
    money = ("年初预算数", "全年预算数", "全年执行数")
    totals: dict[int, Any] = {
        col["序号"]: "合计",
        col["项目名称"]: f"共 {n} 个项目（复核总分为平均分）",
    }
    for h in (
        *money,
        "一级指标数",
        "二级指标数",
        "三级指标数",
        "已完成三级指标数",
        "错误数",
        "警告数",
    ):
        totals[col[h]] = _fsum(sources[h])
    totals[col["执行率"]] = _ratio(totals[col["全年执行数"]], totals[col["全年预算数"]])
    totals[col["复核总分"]] = _mean(review)
    _write_total(ws, fmt, n + 1, [k for _, k in SUMMARY_COLUMNS], totals)

    last = len(SUMMARY_COLUMNS) - 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, last)
    ws.set_row(0, 30)
    if n:
        grade_range = (
            f"{xl_rowcol_to_cell(1, col['自评等级'])}:{xl_rowcol_to_cell(n, col['自评等级'])}"
        )
        for g in GRADES:
            ws.conditional_format(grade_range, {"type": "cell", "criteria": "==",
                                                "value": f'"{g}"', "format": fmt.grade[g]})  # fmt: skip
        for h, test, style in (("执行率", "{c}<0.9", fmt.red), ("差值", "ABS({c})>1", fmt.gap)):
            top = xl_rowcol_to_cell(1, col[h], row_abs=False, col_abs=True)
            rng = f"{xl_rowcol_to_cell(1, col[h])}:{xl_rowcol_to_cell(n, col[h])}"
            criteria = f"=AND(ISNUMBER({top}),{test.format(c=top)})"
            ws.conditional_format(rng, {"type": "formula", "criteria": criteria, "format": style})
    _page_setup(ws, TITLE)


def _department_rows(p: pd.DataFrame) -> list[dict[str, Any]]:
    """Per 主管部门 figures, plus the totals row as the last item."""
    depts = _texts(p, "department")
    initial, budget, executed = _nums(p, "initial_budget"), _nums(p, "budget"), _nums(p, "executed")
    review, grades = _nums(p, "review_total"), _texts(p, "grade")
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(depts):
        groups.setdefault(d or "（未填写）", []).append(i)

    def figures(name: str, idx: list[int]) -> dict[str, Any]:
        b = [budget[i] for i in idx]
        e = [executed[i] for i in idx]
        weighted = [(review[i], budget[i]) for i in idx
                    if review[i] is not None and budget[i] is not None and budget[i] > 0]  # fmt: skip
        weight = math.fsum(w for _, w in weighted)
        row = {"主管部门": name, "项目数": float(len(idx)),
               "年初预算数": _fsum([initial[i] for i in idx]), "全年预算数": _fsum(b),
               "全年执行数": _fsum(e), "执行率": _ratio(_fsum(e), _fsum(b)),
               "平均复核得分": _mean([review[i] for i in idx]),
               "加权平均复核得分": _ratio(math.fsum(s * w for s, w in weighted), weight)}  # fmt: skip
        for g in GRADES:
            row[g] = float(sum(1 for i in idx if grades[i] == g))
        return row

    rows = [figures(name, groups[name]) for name in sorted(groups)]
    rows.append(figures("合计", list(range(len(depts)))))
    return rows


def _department_sheet(wb: Any, fmt: _Formats, rows: list[dict[str, Any]]) -> None:
    ws = wb.add_worksheet("部门汇总")
    body, total = rows[:-1], rows[-1]
    _write_table(ws, fmt, [(h, k, [r[h] for r in body]) for h, k in DEPT_COLUMNS])
    _write_total(ws, fmt, len(body) + 1, [k for _, k in DEPT_COLUMNS],
                 {c: total[h] for c, (h, _) in enumerate(DEPT_COLUMNS)})  # fmt: skip
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(body), len(DEPT_COLUMNS) - 1)
    _page_setup(ws, f"{TITLE}（按主管部门）")


def _achieved_zh(v: Any) -> str:
    """True/False/None (or NA) as 是/否/不适用; a string passes through."""
    if _missing(v) or (isinstance(v, str) and not v):
        return "不适用"
    if isinstance(v, str):
        return v
    return "是" if bool(v) else "否"


def _indicator_sheet(wb: Any, fmt: _Formats, ind: pd.DataFrame) -> None:
    ws = wb.add_worksheet("指标明细")
    achieved = ind["achieved"].tolist() if "achieved" in ind.columns else [None] * len(ind)
    sources = {
        "源文件": _texts(ind, "file"), "工作表": _texts(ind, "sheet"),
        "项目名称": _texts(ind, "project_name"), "一级指标": _texts(ind, "level1"),
        "二级指标": _texts(ind, "level2"), "三级指标": _texts(ind, "name"),
        "年度指标值": _texts(ind, "target"), "实际完成值": _texts(ind, "actual"),
        "指标方向": [OP_ZH.get(op, op) for op in _texts(ind, "op")], "单位": _texts(ind, "unit"),
        "分值": _nums(ind, "weight"), "自评得分": _nums(ind, "self_score"),
        "复核得分": _nums(ind, "review_score"), "是否完成": [_achieved_zh(v) for v in achieved],
        "偏差原因": _texts(ind, "reason"),
    }  # fmt: skip
    n = _write_table(ws, fmt, [(h, k, sources[h]) for h, k in INDICATOR_COLUMNS])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, len(INDICATOR_COLUMNS) - 1)
    _page_setup(ws, f"{TITLE}（指标明细）")


def _cell_key(cell: str) -> tuple[int, int, str]:
    """Row-major natural order (A2 before A10, B3 before A10); non-cells first."""
    m = _CELL.match(cell.strip())
    if not m:
        return (0, 0, cell)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return (int(m.group(2)), col, cell)


def _problem_sheet(wb: Any, fmt: _Formats, problems: pd.DataFrame) -> None:
    ws = wb.add_worksheet("问题清单")
    files, sheets, cells = (_texts(problems, k) for k in ("file", "sheet", "cell"))
    severity, codes = _texts(problems, "severity"), _texts(problems, "code")
    fields, messages = _texts(problems, "field"), _texts(problems, "message")
    order = sorted(range(len(problems)), key=lambda i: (
        SEVERITY_ORDER.get(severity[i], 9), files[i], sheets[i], _cell_key(cells[i]), i))  # fmt: skip
    texts = [f"【{fields[i]}】{messages[i]}" if fields[i] else messages[i] for i in order]
    values = [[files[i] for i in order], [sheets[i] for i in order], [cells[i] for i in order],
              [SEVERITY_ZH.get(severity[i], severity[i]) for i in order],
              [codes[i] for i in order], texts]  # fmt: skip
    columns = [(h, k, v) for (h, k), v in zip(PROBLEM_COLUMNS, values, strict=True)]
    n = _write_table(ws, fmt, columns)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, len(columns) - 1)
    _page_setup(ws, f"{TITLE}（问题清单）")


def _chart_sheet(wb: Any, fmt: _Formats, p: pd.DataFrame, depts: list[dict[str, Any]]) -> None:
    """Three small data tables on the sheet, each with a native chart over it."""
    ws = wb.add_worksheet("图表")
    grades, review = _texts(p, "grade"), _nums(p, "review_total")
    grade_counts = [float(grades.count(g)) for g in GRADES]
    bins = [float(sum(1 for v in review if v is not None and lo <= v < hi))
            for _, lo, hi in SCORE_BINS]  # fmt: skip
    body = depts[:-1]
    _write_table(ws, fmt, [("自评等级", "text", list(GRADES)), ("项目数", "int", grade_counts)])
    _write_table(ws, fmt, [("主管部门", "text", [d["主管部门"] for d in body]),
                           ("执行率", "pct", [d["执行率"] for d in body])], first_row=7)  # fmt: skip
    bin_row = 9 + len(body)
    _write_table(ws, fmt, [("复核得分", "text", [b[0] for b in SCORE_BINS]),
                           ("项目数", "int", bins)], first_row=bin_row)  # fmt: skip

    def column_chart(title: str, first: int, count: int, x_title: str) -> Any:
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"name": "项目数", "categories": ["图表", first + 1, 0, first + count, 0],
                          "values": ["图表", first + 1, 1, first + count, 1],
                          "data_labels": {"value": True}})  # fmt: skip
        chart.set_title({"name": title})
        chart.set_x_axis({"name": x_title})
        chart.set_y_axis({"name": "项目数", "min": 0, "major_gridlines": {"visible": True}})
        chart.set_legend({"none": True})
        return chart

    ws.insert_chart(0, 3, column_chart("各等级项目数", 0, len(GRADES), "自评等级"))
    ws.insert_chart(16, 3, column_chart("复核得分分布", bin_row, len(SCORE_BINS), "复核得分"))
    if body:
        bar = wb.add_chart({"type": "bar"})
        bar.add_series({"name": "执行率", "categories": ["图表", 8, 0, 7 + len(body), 0],
                        "values": ["图表", 8, 1, 7 + len(body), 1],
                        "data_labels": {"value": True, "num_format": "0.0%"}})  # fmt: skip
        bar.set_title({"name": "各主管部门预算执行率"})
        bar.set_x_axis({"num_format": "0%", "min": 0})
        bar.set_y_axis({"reverse": True})
        bar.set_legend({"none": True})
        bar.set_size({"width": 640, "height": max(288, min(2000, 60 + 24 * len(body)))})
        ws.insert_chart(0, 12, bar)
    names = [_width(d["主管部门"]) + 2 for d in body]
    ws.set_column(0, 0, min(MAX_WIDTH, max([12, *names])))
    _page_setup(ws, f"{TITLE}（图表）")


def _plain_time(dt: datetime) -> datetime:
    """UTC wall time without tzinfo: what the document properties store."""
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


def _notes_sheet(wb: Any, fmt: _Formats, meta: SummaryMeta) -> None:
    ws = wb.add_worksheet("说明")
    ws.write_string(0, 0, TITLE + "说明", fmt.title)
    rows: list[tuple[str, str | float]] = [
        ("生成工具", f"perfxl {meta.version}"),
        ("生成时间", meta.generated_at.isoformat(sep=" ", timespec="seconds")),
        ("收件箱", meta.inbox), ("规则文件", meta.rules_source),
        ("文件总数", meta.files_total), ("已读取", meta.files_read),
        ("读取失败", meta.files_failed), ("已跳过", meta.files_skipped), ("表单数", meta.forms),
    ]  # fmt: skip
    r = 2
    for label, value in rows:
        ws.write_string(r, 0, label, fmt.label)
        if isinstance(value, str):
            ws.write_string(r, 1, value, fmt.wrap)
        else:
            ws.write_number(r, 1, float(value), fmt.wrap)
        r += 1
    r += 1
    ws.write_string(r, 0, "规则内容", fmt.label)
    for line in meta.rules_text.splitlines() or [""]:
        if line:
            ws.write_string(r, 1, line, fmt.wrap)
        r += 1
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 90)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C第 &P 页，共 &N 页")


def write_summary(
    path: Path,
    projects: pd.DataFrame,
    indicators: pd.DataFrame,
    problems: pd.DataFrame,
    meta: SummaryMeta,
) -> None:
    """Write 汇总表.xlsx atomically (temp file in the same folder, then replace).

    A reader never sees a half-written summary, and a failed run leaves the
    previous one in place.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a fresh name, not mkstemp: the file then gets the usual permissions, not 0600
    tmp_name = str(path.parent / f".~{path.stem}-{secrets.token_hex(6)}.xlsx")
    try:
        # in_memory: fixed zip timestamps and no temp directory, for identical bytes
        options = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False, "remove_timezone": True,
                   "in_memory": True}  # fmt: skip
        wb = xlsxwriter.Workbook(tmp_name, options)
        created = _plain_time(meta.generated_at)
        wb.set_properties({"title": TITLE, "subject": "项目支出绩效自评复核汇总",
                           "author": "perfxl", "comments": f"perfxl {meta.version}",
                           "created": created})  # fmt: skip
        fmt = _Formats(wb)
        ordered = _sorted_projects(projects)
        depts = _department_rows(ordered)
        _summary_sheet(wb, fmt, ordered)
        _department_sheet(wb, fmt, depts)
        _indicator_sheet(wb, fmt, indicators)
        _problem_sheet(wb, fmt, problems)
        _chart_sheet(wb, fmt, ordered, depts)
        _notes_sheet(wb, fmt, meta)
        wb.close()
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
