"""How the summary workbook (:mod:`perfxl.write.summary`) writes its sheets, and the
two sheets that stand on their own: ``图表`` (native charts) and ``说明``.

The helpers keep the file small and safe: formats and widths per column, not
per cell; numbers as numbers, every text as text (never a formula); A4
landscape print setup with the header row on every page.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd
import xlsxwriter

from perfxl.text import text_width

if TYPE_CHECKING:
    from perfxl.write.summary import SummaryMeta

TITLE = "项目支出绩效自评汇总表"
GRADES = ("优", "良", "中", "差")
GRADE_FILL = {"优": "#C6EFCE", "良": "#DDEBF7", "中": "#FFEB9C", "差": "#FFC7CE"}
SCORE_BINS = (("<60", -math.inf, 60.0), ("60–70", 60.0, 70.0), ("70–80", 70.0, 80.0),
              ("80–90", 80.0, 90.0), ("90–100", 90.0, math.inf))  # fmt: skip
NUM_FORMATS = {"money": "#,##0.00", "pct": "0.00%", "score": "0.00", "int": "0"}
NUM_WIDTH = {"money": 14, "pct": 10, "score": 10, "int": 8}
MAX_WIDTH = 60

Column = tuple[str, str, list[Any]]  # header, kind, values


def missing(v: Any) -> bool:
    """A value that must leave its cell empty: None, pandas NA/NaT, NaN or ±inf."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and not math.isfinite(v)


def texts(df: pd.DataFrame, name: str) -> list[str]:
    """A column as clean strings: a missing column or value becomes ''."""
    if name not in df.columns:
        return [""] * len(df)
    return ["" if missing(v) else str(v) for v in df[name].tolist()]


def nums(df: pd.DataFrame, name: str) -> list[float | None]:
    """A column as finite floats or None, so NaN never reaches a cell."""
    if name not in df.columns:
        return [None] * len(df)
    values = pd.to_numeric(df[name], errors="coerce").astype("float64").tolist()
    # equal numbers as one object: xlsxwriter keeps every number cell's float
    # until it closes, and scores, weights and counts repeat a few hundred values
    # over 100,000s of cells (≈ 10 MB less at 10,000 forms)
    same: dict[float, float] = {}
    return [same.setdefault(v, v) if math.isfinite(v) else None for v in values]


LINE_HEIGHT = 15.0  # points per line of 11 pt text, Excel's default row


def row_height(text: str, column: float) -> float:
    """Height for ``text`` wrapped in a column ``column`` units wide. Excel and
    WPS do not fit row heights on opening a file, so a wrapped text needs its
    height written; lines are counted on 90 % of the column, as a CJK
    character may take a bit more than its two units."""
    return LINE_HEIGHT * max(1, math.ceil(text_width(text) / (column * 0.9)))


class Formats:
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
        self.pct = wb.add_format({"num_format": NUM_FORMATS["pct"]})
        self.count = wb.add_format({"num_format": NUM_FORMATS["int"]})
        # the print sheet: borders, long names wrapped inside fixed widths
        self.print_title = wb.add_format({"bold": True, "font_size": 16, "align": "center",
                                          "valign": "vcenter"})  # fmt: skip
        boxed = {"border": 1, "valign": "vcenter"}
        self.print_cell = {k: wb.add_format({**boxed, "num_format": f})
                           for k, f in NUM_FORMATS.items()}  # fmt: skip
        self.print_cell["text"] = wb.add_format({**boxed, "text_wrap": True})
        self.print_total = {k: wb.add_format({**boxed, "bold": True, "num_format": f})
                            for k, f in NUM_FORMATS.items()}  # fmt: skip
        self.print_total["text"] = wb.add_format({**boxed, "bold": True, "text_wrap": True})


def write_table(ws: Any, fmt: Formats, columns: list[Column], first_row: int = 0) -> int:
    """Header row plus one column at a time; numbers as numbers, text as text.

    Formats and widths are set per column (not per cell) to keep the file small.
    Returns the number of data rows written.
    """
    nrows = max((len(values) for _, _, values in columns), default=0)
    heights: dict[int, float] = {}
    for c, (header, kind, values) in enumerate(columns):
        ws.write_string(first_row, c, header, fmt.header)
        if kind == "text":
            longest = max((text_width(v) for v in set(values)), default=0)
            width = min(MAX_WIDTH, max(text_width(header), longest) + 2)
            # a text wider than the column wraps (and so prints whole) instead of
            # running off the page; the format is the column's, not per cell
            wraps = longest + 2 > MAX_WIDTH
            ws.set_column(c, c, width, fmt.wrap if wraps else None)
            for r, v in enumerate(values, first_row + 1):
                if v:
                    ws.write_string(r, c, v)
                    if wraps and text_width(v) + 2 > MAX_WIDTH:
                        heights[r] = max(heights.get(r, 0.0), row_height(v, MAX_WIDTH))
        else:
            ws.set_column(c, c, max(NUM_WIDTH[kind], text_width(header) + 2), fmt.column[kind])
            for r, v in enumerate(values, first_row + 1):
                if v is not None:
                    ws.write_number(r, c, v)
    for r, height in heights.items():  # only rows with a wrapped text: the file stays small
        ws.set_row(r, height)
    return nrows


def page_setup(ws: Any, title: str, header_rows: int = 0) -> None:
    """A4 landscape, one page wide, header row on every page, page numbers in the footer."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_rows)
    ws.set_header(f"&C&14&B{title}")
    ws.set_footer("&L&A&C第 &P 页，共 &N 页")


def _small_table(
    ws: Any,
    fmt: Formats,
    row: int,
    headers: tuple[str, str],
    rows: list[tuple[str, float | None]],
    kind: str,
) -> None:
    """A two-column data table of the 图表 sheet, every number with its own format:
    the tables share columns A:B, so a column format cannot say % for one and
    a count for the other (that showed every 执行率 as "1")."""
    ws.write_string(row, 0, headers[0], fmt.header)
    ws.write_string(row, 1, headers[1], fmt.header)
    number = fmt.pct if kind == "pct" else fmt.count
    for r, (label, value) in enumerate(rows, row + 1):
        ws.write_string(r, 0, label)
        if value is not None:
            ws.write_number(r, 1, value, number)


def chart_sheet(wb: Any, fmt: Formats, p: pd.DataFrame, depts: list[dict[str, Any]]) -> None:
    """Three small data tables on the sheet, each with a native chart over it."""
    ws = wb.add_worksheet("图表")
    grades, review = texts(p, "grade"), nums(p, "review_total")
    grade_counts = [float(grades.count(g)) for g in GRADES]
    bins = [float(sum(1 for v in review if v is not None and lo <= v < hi))
            for _, lo, hi in SCORE_BINS]  # fmt: skip
    body = depts[:-1]
    _small_table(
        ws, fmt, 0, ("复核等级", "项目数"), list(zip(GRADES, grade_counts, strict=True)), "int"
    )
    _small_table(ws, fmt, 7, ("主管部门", "执行率"),
                 [(d["主管部门"], d["执行率"]) for d in body], "pct")  # fmt: skip
    bin_row = 9 + len(body)
    _small_table(ws, fmt, bin_row, ("复核得分", "项目数"),
                 [(b[0], n) for b, n in zip(SCORE_BINS, bins, strict=True)], "int")  # fmt: skip

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

    ws.insert_chart(0, 3, column_chart("各等级项目数", 0, len(GRADES), "复核等级"))
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
    names = [text_width(d["主管部门"]) + 2 for d in body]
    ws.set_column(0, 0, min(MAX_WIDTH, max([12, *names])))
    ws.set_column(1, 1, 10)
    page_setup(ws, f"{TITLE}（图表）")


def notes_sheet(wb: Any, fmt: Formats, meta: SummaryMeta, sheets: dict[str, list[str]]) -> None:
    """When and how the workbook was made, the rules in sentences, what every
    column of every sheet means (``sheets``: the headers each sheet has), and
    at the end the rules file as it was used."""
    from perfxl.rules.schema import DEFAULT
    from perfxl.write.summary_notes import COLUMN_NOTES, rules_name, rules_sentences

    rules = meta.rules or DEFAULT
    ws = wb.add_worksheet("说明")
    ws.write_string(0, 0, TITLE + "说明", fmt.title)
    rows: list[tuple[str, str | float]] = [
        ("生成工具", f"perfxl {meta.version}"),
        ("生成时间", meta.generated_at.isoformat(sep=" ", timespec="seconds")),
        ("收件箱", meta.inbox), ("规则", rules_name(rules)), ("规则文件", meta.rules_source),
        ("文件总数", meta.files_total), ("已读取", meta.files_read),
        ("读取失败", meta.files_failed), ("已跳过", meta.files_skipped), ("表单数", meta.forms),
    ]  # fmt: skip
    r = 2

    def line(label: str, value: str | float, label_fmt: Any = fmt.label) -> None:
        nonlocal r
        if label:
            ws.write_string(r, 0, label, label_fmt)
        if isinstance(value, str):
            if value:
                ws.write_string(r, 1, value, fmt.wrap)
        else:
            ws.write_number(r, 1, float(value), fmt.wrap)
        r += 1

    for label, value in rows:
        line(label, value)
    r += 1
    ws.write_string(r, 0, "评分规则", fmt.title)
    r += 1
    for i, sentence in enumerate(rules_sentences(rules), 1):
        line(f"{i}.", sentence)
    for sheet, headers in sheets.items():
        r += 1
        ws.write_string(r, 0, f"“{sheet}”工作表各列", fmt.title)
        r += 1
        notes = dict(COLUMN_NOTES.get(sheet, []))
        for header in headers:
            line(header, notes.get(header, "（本列暂无说明）"))
    r += 1
    ws.write_string(r, 0, "规则文件原文（供核对）", fmt.title)
    r += 1
    for text in meta.rules_text.splitlines() or [""]:
        if text:
            ws.write_string(r, 1, text)
        r += 1
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 90)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C第 &P 页，共 &N 页")
