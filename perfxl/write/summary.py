"""The summary workbook 汇总表.xlsx: every project, department, indicator and problem.

It is e-mailed to leadership and printed, so it must stay small (column formats,
shared strings, no pictures, native charts), print on A4 landscape, and never
turn a text from an untrusted input into a formula. It is written with
xlsxwriter from plain DataFrames built by the batch code, and the output is
byte-for-byte reproducible: the only time in it is ``SummaryMeta.generated_at``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from perfxl.batch.gc_pause import paused_gc
from perfxl.checks.codes import problem_key, severity_label
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.write.atomic import atomic_path
from perfxl.write.summary_print import PRINT_COLUMNS, PRINT_SHEET, print_sheet
from perfxl.write.summary_sheets import (
    GRADES,
    TITLE,
    Column,
    Formats,
    chart_sheet,
    missing,
    notes_sheet,
    nums,
    page_setup,
    texts,
    write_table,
)

OP_ZH = {">=": "≥", "<=": "≤", "=": "=", "time": "时限", "qualitative": "定性", "na": "不适用"}

# (header, kind): kind is "text" or a NUM_FORMATS key
SUMMARY_COLUMNS = [
    ("序号", "int"), ("年度", "int"), ("主管部门", "text"), ("实施单位", "text"),
    ("项目名称", "text"), ("年初预算数", "money"), ("全年预算数", "money"),
    ("全年执行数", "money"), ("执行率", "pct"), ("预算得分", "score"), ("一级指标数", "int"),
    ("二级指标数", "int"), ("三级指标数", "int"), ("已完成三级指标数", "int"),
    ("指标完成率", "pct"), ("自评总分", "score"), ("复核总分", "score"), ("差值", "score"),
    ("自评等级", "text"), ("复核等级", "text"), ("错误数", "int"), ("警告数", "int"),
    ("源文件", "text"),
]  # fmt: skip
DEPT_COLUMNS = [
    ("主管部门", "text"), ("项目数", "int"), ("年初预算数", "money"), ("全年预算数", "money"),
    ("全年执行数", "money"), ("执行率", "pct"), ("平均复核得分", "score"),
    ("加权平均复核得分", "score"), *((g, "int") for g in GRADES),
]  # fmt: skip
# 项目序号 is the project's 序号 on the 汇总 sheet, which also holds its file: one small
# number instead of two names on every indicator row (every cell costs ~3.5 bytes
# zipped, so at 10,000 projects × 15 indicators each column of this sheet is ~0.5 MB)
INDICATOR_COLUMNS = [
    ("项目序号", "int"),
    ("项目名称", "text"),
    ("一级指标", "text"), ("二级指标", "text"),
    ("三级指标", "text"), ("年度指标值", "text"), ("实际完成值", "text"), ("指标方向", "text"),
    ("单位", "text"), ("分值", "score"), ("自评得分", "score"), ("复核得分", "score"), ("计算过程", "text"),
    ("是否完成", "text"), ("偏差原因", "text"),
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
    rules: Rules | None = None  # the rules used (grade lines, sentences on 说明); default rules
    bureau: str = ""  # the unit that produced the summary, shown in the print title


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _fsum(values: Sequence[float | None]) -> float:
    return math.fsum(v for v in values if v is not None)


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None


def _write_total(ws: Any, fmt: Formats, row: int, kinds: list[str], values: dict[int, Any]) -> None:
    """A bold totals row; every column gets the bold format so the rule line is continuous."""
    for c, kind in enumerate(kinds):
        v = values.get(c)
        if isinstance(v, str):
            ws.write_string(row, c, v, fmt.total["text"])
        elif v is not None:
            ws.write_number(row, c, v, fmt.total[kind])
        else:
            ws.write_blank(row, c, None, fmt.total[kind])


def _sorted_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """Rows in reading order; a fresh index, as concatenated frames repeat labels."""
    projects = projects.reset_index(drop=True)
    keys = ["department", "implementer", "project_name", "file"]
    order = pd.DataFrame({k: texts(projects, k) for k in keys}, index=projects.index)
    order = order.sort_values(keys, kind="mergesort")
    return projects.loc[order.index]


def _self_grades(self_total: list[float | None], rules: Rules) -> list[str]:
    """The grade of the unit's own 总分 under the same grade lines (not the review's)."""
    return ["" if v is None else rules.grade(v) for v in self_total]


def _summary_sheet(wb: Any, fmt: Formats, p: pd.DataFrame, rules: Rules) -> None:
    ws = wb.add_worksheet("汇总")
    n = len(p)
    self_total, review = nums(p, "self_total"), nums(p, "review_total")
    diff = [
        None if s is None or r is None else round(s - r, 2)
        for s, r in zip(self_total, review, strict=True)
    ]
    sources = {
        "年度": nums(p, "year"), "年初预算数": nums(p, "initial_budget"),
        "全年预算数": nums(p, "budget"), "全年执行数": nums(p, "executed"),
        "执行率": nums(p, "rate"), "预算得分": nums(p, "budget_score"),
        "一级指标数": nums(p, "level1_count"), "二级指标数": nums(p, "level2_count"),
        "三级指标数": nums(p, "level3_count"), "已完成三级指标数": nums(p, "achieved_count"),
        "指标完成率": nums(p, "completion_rate"), "自评总分": self_total, "复核总分": review,
        "差值": diff, "错误数": nums(p, "errors"), "警告数": nums(p, "warnings"),
        "序号": [float(i) for i in range(1, n + 1)], "主管部门": texts(p, "department"),
        "实施单位": texts(p, "implementer"), "项目名称": texts(p, "project_name"),
        "自评等级": _self_grades(self_total, rules), "复核等级": texts(p, "grade"),
        "源文件": texts(p, "file"),
    }  # fmt: skip
    columns = [(h, k, sources[h]) for h, k in SUMMARY_COLUMNS]
    write_table(ws, fmt, columns)
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
    ws.freeze_panes(1, col["项目名称"] + 1)
    ws.autofilter(0, 0, n, last)
    ws.set_row(0, 30)
    if n:
        for h in ("自评等级", "复核等级"):
            grade_range = f"{xl_rowcol_to_cell(1, col[h])}:{xl_rowcol_to_cell(n, col[h])}"
            for g in GRADES:
                ws.conditional_format(grade_range, {"type": "cell", "criteria": "==",
                                                    "value": f'"{g}"', "format": fmt.grade[g]})  # fmt: skip
        low = rules.budget.low_execution
        tests = (("执行率", f"{{c}}<{low}", fmt.red), ("差值", "ABS({c})>1", fmt.gap))
        for h, test, style in tests:
            top = xl_rowcol_to_cell(1, col[h], row_abs=False, col_abs=True)
            rng = f"{xl_rowcol_to_cell(1, col[h])}:{xl_rowcol_to_cell(n, col[h])}"
            criteria = f"=AND(ISNUMBER({top}),{test.format(c=top)})"
            ws.conditional_format(rng, {"type": "formula", "criteria": criteria, "format": style})
    page_setup(ws, TITLE)


def _department_rows(p: pd.DataFrame) -> list[dict[str, Any]]:
    """Per 主管部门 figures, plus the totals row as the last item."""
    depts = texts(p, "department")
    initial, budget, executed = nums(p, "initial_budget"), nums(p, "budget"), nums(p, "executed")
    review, grades = nums(p, "review_total"), texts(p, "grade")  # 复核等级
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


def _department_sheet(wb: Any, fmt: Formats, rows: list[dict[str, Any]]) -> None:
    ws = wb.add_worksheet("部门汇总")
    body, total = rows[:-1], rows[-1]
    write_table(ws, fmt, [(h, k, [r[h] for r in body]) for h, k in DEPT_COLUMNS])
    _write_total(ws, fmt, len(body) + 1, [k for _, k in DEPT_COLUMNS],
                 {c: total[h] for c, (h, _) in enumerate(DEPT_COLUMNS)})  # fmt: skip
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(body), len(DEPT_COLUMNS) - 1)
    page_setup(ws, f"{TITLE}（按主管部门）")


def _achieved_zh(v: Any) -> str:
    """True/False/None (or NA) as 是/否/不适用; a string passes through."""
    if missing(v) or (isinstance(v, str) and not v):
        return "不适用"
    if isinstance(v, str):
        return v
    return "是" if bool(v) else "否"


def _project_numbers(ind: pd.DataFrame, ordered: pd.DataFrame) -> list[float | None]:
    """Each indicator's 项目序号: the 序号 its project (same file and sheet) has on
    the 汇总 sheet, None when the project is not there."""
    number: dict[tuple[str, str], float] = {}
    for i, key in enumerate(zip(texts(ordered, "file"), texts(ordered, "sheet"), strict=True)):
        number.setdefault(key, float(i + 1))
    keys = zip(texts(ind, "file"), texts(ind, "sheet"), strict=True)
    return [number.get(key) for key in keys]


def _indicator_sheet(wb: Any, fmt: Formats, ind: pd.DataFrame, ordered: pd.DataFrame) -> None:
    ws = wb.add_worksheet("指标明细")
    achieved = ind["achieved"].tolist() if "achieved" in ind.columns else [None] * len(ind)
    sources = {
        "项目序号": _project_numbers(ind, ordered),
        "项目名称": texts(ind, "project_name"),
        "一级指标": texts(ind, "level1"), "二级指标": texts(ind, "level2"),
        "三级指标": texts(ind, "name"),
        "年度指标值": percent_texts(texts(ind, "target"), texts(ind, "unit")),
        "实际完成值": percent_texts(texts(ind, "actual"), texts(ind, "unit")),
        "指标方向": [OP_ZH.get(op, op) for op in texts(ind, "op")], "单位": texts(ind, "unit"),
        "分值": nums(ind, "weight"), "自评得分": nums(ind, "self_score"),
        "复核得分": nums(ind, "review_score"), "计算过程": texts(ind, "explanation"),
        "是否完成": [_achieved_zh(v) for v in achieved],
        "偏差原因": texts(ind, "reason"),
    }  # fmt: skip
    n = write_table(ws, fmt, [(h, k, sources[h]) for h, k in INDICATOR_COLUMNS])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, len(INDICATOR_COLUMNS) - 1)
    page_setup(ws, f"{TITLE}（指标明细）")


def percent_texts(values: list[str], units: list[str]) -> list[str]:
    """A bare number of a % indicator as a percentage, read as the scorer reads it:
    0 < x ≤ 1 is a fraction (a %-formatted cell: "1" → "100%"), else percent
    points ("90" → "90%"). Any other text is shown as the unit wrote it."""
    out = []
    for text, unit in zip(values, units, strict=True):
        x = _bare_number(text) if unit == "%" else None
        if x is None:
            out.append(text)
            continue
        x = x * 100 if 0 < x <= 1 else x
        out.append(f"{round(x, 6):g}%")
    return out


def _bare_number(text: str) -> float | None:
    try:
        x = float(text.strip())
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def problem_text(field: str, message: str) -> str:
    """A problem as one line: "【field】message", unless the message already names
    the field (indicator messages start with 「name」; "【X】「X」…" said it twice)."""
    if not field or field in message:
        return message
    return f"【{field}】{message}"


def _problem_sheet(wb: Any, fmt: Formats, problems: pd.DataFrame) -> None:
    ws = wb.add_worksheet("问题清单")
    files, sheets, cells = (texts(problems, k) for k in ("file", "sheet", "cell"))
    severity, codes = texts(problems, "severity"), texts(problems, "code")
    fields, messages = texts(problems, "field"), texts(problems, "message")
    order = sorted(range(len(problems)), key=lambda i: (
        *problem_key(severity[i], files[i], sheets[i], cells[i]), i))  # fmt: skip
    shown = [problem_text(fields[i], messages[i]) for i in order]
    values = [[files[i] for i in order], [sheets[i] for i in order], [cells[i] for i in order],
              [severity_label(severity[i]) for i in order],
              [codes[i] for i in order], shown]  # fmt: skip
    columns = [(h, k, v) for (h, k), v in zip(PROBLEM_COLUMNS, values, strict=True)]
    n = write_table(ws, fmt, columns)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, n, len(columns) - 1)
    page_setup(ws, f"{TITLE}（问题清单）")


def _plain_time(dt: datetime) -> datetime:
    """UTC wall time without tzinfo: what the document properties store."""
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


def write_summary(
    path: Path,
    projects: pd.DataFrame,
    indicators: pd.DataFrame,
    problems: pd.DataFrame,
    meta: SummaryMeta,
    extra: Sequence[tuple[str, list[Column]]] = (),
) -> None:
    """Write 汇总表.xlsx atomically (temp file in the same folder, then replace).

    A reader never sees a half-written summary, and a failed run leaves the
    previous one in place.
    """
    # not in_memory: the XML parts go through temp files (xlsxwriter gives them a
    # fixed timestamp, so the bytes are still identical run to run) instead of
    # ~300 MB of strings for 10,000 forms; not constant_memory: WPS rejects it
    options = {"strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False, "remove_timezone": True}  # fmt: skip
    with atomic_path(path) as tmp, paused_gc():
        # in a function of its own: the workbook (a cycle of objects holding every
        # cell) is garbage when the pause ends, and freed then, not at exit
        _write_workbook(str(tmp), options, projects, indicators, problems, meta, extra)


def _write_workbook(
    tmp: str,
    options: dict[str, Any],
    projects: pd.DataFrame,
    indicators: pd.DataFrame,
    problems: pd.DataFrame,
    meta: SummaryMeta,
    extra: Sequence[tuple[str, list[Column]]] = (),
) -> None:
    wb = xlsxwriter.Workbook(tmp, options)
    created = _plain_time(meta.generated_at)
    wb.set_properties({"title": TITLE, "subject": "项目支出绩效自评复核汇总",
                       "author": "perfxl", "comments": f"perfxl {meta.version}",
                       "created": created})  # fmt: skip
    fmt = Formats(wb)
    ordered = _sorted_projects(projects)
    depts = _department_rows(ordered)
    rules = meta.rules or DEFAULT
    low = rules.budget.low_execution
    print_sheet(wb, fmt, ordered, bureau=meta.bureau, low_execution=low)
    _summary_sheet(wb, fmt, ordered, rules)
    _department_sheet(wb, fmt, depts)
    _indicator_sheet(wb, fmt, indicators, ordered)
    _problem_sheet(wb, fmt, problems)
    for name, columns in extra:  # 报送情况, 整改情况 (perfxl/loop): plain tables
        ws = wb.add_worksheet(name)
        n = write_table(ws, fmt, columns)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
        page_setup(ws, f"{TITLE}（{name}）")
    chart_sheet(wb, fmt, ordered, depts)
    notes_sheet(wb, fmt, meta, sheet_headers())
    wb.close()


def sheet_headers() -> dict[str, list[str]]:
    """Every sheet's column headers, in sheet order: what 说明 explains."""
    return {
        PRINT_SHEET: [h for h, _, _ in PRINT_COLUMNS],
        "汇总": [h for h, _ in SUMMARY_COLUMNS],
        "部门汇总": [h for h, _ in DEPT_COLUMNS],
        "指标明细": [h for h, _ in INDICATOR_COLUMNS],
        "问题清单": [h for h, _ in PROBLEM_COLUMNS],
        "图表": ["复核等级", "项目数", "主管部门", "执行率", "复核得分"],
    }
