"""The first sheet of 汇总表.xlsx, ``汇总（打印）``: what a leader reads on paper.

The full 汇总 sheet has 23 columns; fitted to one A4 width it prints at about
38 % (text of about 4 pt). This sheet keeps the nine columns a leader reads
(序号 … 问题数), wraps the long names inside fixed widths and adds a title row,
so that the whole width fits A4 landscape at 100 % with the default 11 pt
font. The widths below add up to 100 character units. A unit is the default
font's digit width: 5.25 pt in Excel and WPS (Calibri), but 7.25 pt in a
LibreOffice without Calibri or Carlito (DejaVu Sans, measured by rendering to
PDF): 725 pt, inside the 770 pt of A4 landscape less half-inch margins, so
no viewer has to shrink the text (at 119 units LibreOffice printed at 93 %).
``fit_to_pages(1, 0)`` stays as a safety net for a viewer whose font is
wider still; it only scales down what overflows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from perfxl.write.summary_sheets import (
    GRADES,
    LINE_HEIGHT,
    TITLE,
    Formats,
    nums,
    row_height,
    texts,
)

PRINT_SHEET = "汇总（打印）"
# (header, kind, width in character units)
PRINT_COLUMNS = [
    ("序号", "int", 5), ("主管部门", "text", 16), ("项目名称", "text", 28),
    ("全年预算数", "money", 12), ("执行率", "pct", 8), ("自评总分", "score", 8),
    ("复核总分", "score", 8), ("复核等级", "text", 8), ("问题数", "int", 7),
]  # fmt: skip
NAME_COLUMN = 2  # 项目名称: panes are frozen right of it


def title_text(years: list[float | None], bureau: str) -> str:
    """ "2023年度 XX市财政局 项目支出绩效自评汇总表": the year(s) and the bureau when known."""
    known = sorted({int(y) for y in years if y is not None})
    if len(known) == 1:
        period = f"{known[0]}年度"
    elif known:
        period = f"{known[0]}—{known[-1]}年度"
    else:
        period = ""
    return "".join(part for part in (period, bureau.strip(), TITLE) if part)


def print_sheet(
    wb: Any, fmt: Formats, p: pd.DataFrame, *, bureau: str, low_execution: float
) -> None:
    """Title row, header row (both repeated on every page), one row per project
    in the 汇总 order, a totals row; A4 landscape, page numbers in the footer."""
    ws = wb.add_worksheet(PRINT_SHEET)
    n = len(p)
    budget, executed = nums(p, "budget"), nums(p, "executed")
    errors, warnings = nums(p, "errors"), nums(p, "warnings")
    issues = [float((e or 0) + (w or 0)) for e, w in zip(errors, warnings, strict=True)]
    values: dict[str, list[Any]] = {
        "序号": [float(i) for i in range(1, n + 1)], "主管部门": texts(p, "department"),
        "项目名称": texts(p, "project_name"), "全年预算数": budget, "执行率": nums(p, "rate"),
        "自评总分": nums(p, "self_total"), "复核总分": nums(p, "review_total"),
        "复核等级": texts(p, "grade"), "问题数": issues,
    }  # fmt: skip
    heights: dict[int, float] = {}
    last = len(PRINT_COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, title_text(nums(p, "year"), bureau), fmt.print_title)
    ws.set_row(0, 30)
    ws.set_row(1, 30)
    for c, (header, kind, width) in enumerate(PRINT_COLUMNS):
        ws.write_string(1, c, header, fmt.header)
        ws.set_column(c, c, width, fmt.print_cell[kind])
        for r, v in enumerate(values[header], 2):
            if kind == "text":
                if v:
                    ws.write_string(r, c, v)
                    heights[r] = max(heights.get(r, LINE_HEIGHT), row_height(v, width))
            elif v is not None:
                ws.write_number(r, c, v)
    for r, height in heights.items():
        if height > LINE_HEIGHT:  # a wrapped name: its row holds every line
            ws.set_row(r, height)
    total_row = n + 2
    b_sum = sum(v for v in budget if v is not None)
    e_sum = sum(v for v in executed if v is not None)
    reviewed = [v for v in values["复核总分"] if v is not None]
    totals: dict[str, Any] = {
        "序号": "合计", "项目名称": f"共 {n} 个项目（复核总分为平均分）", "全年预算数": b_sum,
        "执行率": e_sum / b_sum if b_sum else None,
        "复核总分": sum(reviewed) / len(reviewed) if reviewed else None,
        "问题数": float(sum(issues)),
    }  # fmt: skip
    for c, (header, kind, _) in enumerate(PRINT_COLUMNS):
        v = totals.get(header)
        cell_fmt = fmt.print_total["text" if isinstance(v, str) else kind]
        if isinstance(v, str):
            ws.write_string(total_row, c, v, cell_fmt)
        elif v is not None:
            ws.write_number(total_row, c, v, cell_fmt)
        else:
            ws.write_blank(total_row, c, None, cell_fmt)
    if n:
        grade_col = last - 1
        rng = f"{xl_rowcol_to_cell(2, grade_col)}:{xl_rowcol_to_cell(n + 1, grade_col)}"
        for g in GRADES:
            ws.conditional_format(rng, {"type": "cell", "criteria": "==",
                                        "value": f'"{g}"', "format": fmt.grade[g]})  # fmt: skip
        top = xl_rowcol_to_cell(2, 4, row_abs=False, col_abs=True)
        ws.conditional_format(
            f"{xl_rowcol_to_cell(2, 4)}:{xl_rowcol_to_cell(n + 1, 4)}",
            {"type": "formula", "criteria": f"=AND(ISNUMBER({top}),{top}<{low_execution})",
             "format": fmt.red},
        )  # fmt: skip
    ws.freeze_panes(2, NAME_COLUMN + 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, 1)
    ws.set_footer("&L&A&C第 &P 页，共 &N 页")
    ws.activate()
