"""The completed workbook: filled, marked, explained, and the input untouched."""

from __future__ import annotations

import datetime
import hashlib
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.worksheet.datavalidation import DataValidation

from perfxl.model import (
    CellValue,
    FundRow,
    Indicator,
    IndicatorScore,
    Problem,
    ProjectForm,
    ProjectScore,
)
from perfxl.write.completed import FILLED_NOTE, reading_text, write_completed

INJECTED = '=HYPERLINK("http://evil.example/x","点我")'
SHEET = "自评表"


def _build_xlsx(path: Path) -> None:
    """A small standard-layout form: rate, budget score, two indicator scores,
    总分 and 等级 left empty; one indicator score and a comment already there."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "项目支出绩效自评表"
    ws.merge_cells("A1:H1")
    ws["A3"], ws["B3"] = "项目名称", "认证认可监管专项经费"
    ws.merge_cells("B3:H3")
    header = [
        "项目资金（万元）",
        "",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    for col, text in enumerate(header, start=1):
        ws.cell(5, col, text or None)
    ws.append(["", "年度资金总额", 5, 5, 4.3, 10, None, None])  # row 6
    ws.append(["", "其中：当年财政拨款", 5, 5, 4.3])  # row 7
    ws.append(
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ]
    )
    ws.append(["产出指标", "数量指标", None, "≥15家", "12家", 6, None, ""])  # row 9
    ws["C9"] = INJECTED
    ws["C9"].data_type = "s"  # the unit's text, not a formula
    ws.append([None, "质量指标", "监督检查覆盖率", "100%", "100%", 6, 6, None])  # row 10
    ws.merge_cells("A9:A10")
    ws.append(
        ["效益指标", "社会效益指标", "切实保护消费者合法权益", "有效保护", "部分达成", 10, 10]
    )  # row 11
    ws.append(
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "88%", 10, "  "]
    )  # row 12
    ws.append(["总分", None, None, None, None, 32, None])  # row 13
    ws.append(["自评等级", None])  # row 14
    ws["G11"].comment = Comment("单位原有批注", "单位")
    ws.column_dimensions["C"].width = 42
    dv = DataValidation(type="list", formula1='"是,否"')
    ws.add_data_validation(dv)
    dv.add("H9:H12")
    other = wb.create_sheet("填表说明")
    other["A1"] = "请如实填写"
    wb.create_sheet("复核")  # a name clash: the review sheet becomes 复核(2)
    wb.save(path)


def _cv(value: object, cell: str, percent: bool = False) -> CellValue:
    return CellValue(value, cell, percent)


def _form(file: str = "form.xlsx") -> ProjectForm:
    inds = (
        Indicator(
            "产出指标",
            "数量指标",
            INJECTED,
            9,
            target=_cv("≥15家", "D9"),
            actual=_cv("12家", "E9"),
            weight=_cv(6, "F9"),
            score=_cv(None, "G9"),
        ),
        Indicator(
            "产出指标",
            "质量指标",
            "监督检查覆盖率",
            10,
            target=_cv("100%", "D10"),
            actual=_cv("100%", "E10"),
            weight=_cv(6, "F10"),
            score=_cv(6, "G10"),
        ),
        Indicator(
            "效益指标",
            "社会效益指标",
            "切实保护消费者合法权益",
            11,
            target=_cv("有效保护", "D11"),
            actual=_cv("部分达成", "E11"),
            weight=_cv(10, "F11"),
            score=_cv(10, "G11"),
        ),
        Indicator(
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度",
            12,
            target=_cv("≥90%", "D12"),
            actual=_cv("88%", "E12"),
            weight=_cv(10, "F12"),
            score=_cv("  ", "G12"),
        ),
    )
    funds = (
        FundRow(
            "total",
            "年度资金总额",
            6,
            _cv(5, "C6"),
            _cv(5, "D6"),
            _cv(4.3, "E6"),
            _cv(10, "F6"),
            _cv(None, "G6"),
            _cv(None, "H6"),
        ),
        FundRow("fiscal", "其中：当年财政拨款", 7, _cv(5, "C7"), _cv(5, "D7"), _cv(4.3, "E7")),
    )
    return ProjectForm(
        file=file,
        sheet=SHEET,
        variant="national-2020",
        year=2019,
        project_name=_cv("认证认可监管专项经费", "B3"),
        funds=funds,
        indicators=inds,
        total_self=_cv(None, "G13"),
        total_row=13,
        grade=_cv(None, "B14"),
    )


def _score(form: ProjectForm) -> ProjectScore:
    i = form.indicators
    iscs = (
        IndicatorScore(
            i[0],
            ">=",
            ">=",
            15,
            12,
            "家",
            None,
            6,
            6,
            None,
            4.8,
            False,
            explanation="实际 12家 < 目标 15家 → 6 × 12 ÷ 15 = 4.80",
        ),  # fmt: skip
        IndicatorScore(i[1], "=", "=", 100, 100, "%", None, 6, 6, 6.0, 6.0, True),
        IndicatorScore(
            i[2],
            "qualitative",
            "",
            None,
            None,
            "",
            "部分达成",
            10,
            10,
            10.0,
            8.0,
            False,
            explanation="定性：部分达成 → 10 × 80% = 8.00",
        ),  # fmt: skip
        IndicatorScore(i[3], ">=", ">=", 90, 88, "%", None, 10, 10, None, 9.78, False),
    )
    return ProjectScore(
        budget_initial=5,
        budget=5,
        executed=4.3,
        rate=0.86,
        budget_weight=10,
        budget_score=8.6,
        budget_self=None,
        indicators=iscs,
        indicator_total=28.58,
        total=37.18,
        grade="差",
        self_total=None,
        level1_count=3,
        level2_count=4,
        level3_count=4,
        achieved_count=1,
        applicable_count=4,
        budget_explanation="执行率 86.00% → 10 × 0.86 = 8.60",
    )


PROBLEMS = [
    Problem(
        "qualitative-band",
        "warning",
        "自评得分 10 超出“部分达成”的范围 [6, 8]",
        "form.xlsx",
        SHEET,
        "G11",
    ),
    Problem(
        "self-score-differs", "warning", "自评得分与复核得分相差 2.00", "form.xlsx", SHEET, "G11"
    ),
    Problem("weights-not-100", "error", "分值合计 42，不等于 100\x01", "form.xlsx", SHEET, "F13"),
    Problem("low-execution", "warning", "执行率 86% 低于 90%", "form.xlsx", SHEET, "G6"),
    Problem(
        "level-missing", "error", "一级指标缺失", "form.xlsx", SHEET, "A10"
    ),  # inside merge A9:A10
    Problem(
        "empty-category", "info", "二级指标“经济效益指标”下没有指标", "form.xlsx", SHEET, "B11"
    ),
    Problem("duplicate-project", "warning", "与另一文件重复", "form.xlsx"),  # no cell
    Problem("ambiguous-percent", "info", "地址不是单元格", "form.xlsx", SHEET, "XFE1"),  # ignored
]


@pytest.fixture()
def written(tmp_path: Path) -> tuple[Path, Path, str]:
    src = tmp_path / "in" / "form.xlsx"
    src.parent.mkdir()
    _build_xlsx(src)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    dst = tmp_path / "out" / "completed" / "form.xlsx"
    form = _form()
    write_completed(src, dst, [(form, _score(form))], PROBLEMS)
    return src, dst, digest


def _fill(cell: openpyxl.cell.Cell) -> str:
    return cell.fill.fgColor.rgb[-6:]


def test_empty_computed_cells_are_filled_and_marked(written: tuple[Path, Path, str]) -> None:
    ws = openpyxl.load_workbook(written[1])[SHEET]
    assert ws["G6"].value == pytest.approx(0.86) and ws["G6"].number_format == "0.00%"
    assert ws["H6"].value == pytest.approx(8.6)
    assert ws["G9"].value == pytest.approx(4.8)
    assert ws["G12"].value == pytest.approx(9.78)  # a blank string counts as empty
    # the filled 总分 is the sum of the 得分 cells as they stand after filling
    # (the unit's 6 and 10, perfxl's 4.8 and 9.78, and the budget score 8.6),
    # not the review total 37.18; the filled grade is that total's grade
    assert ws["G13"].value == pytest.approx(4.8 + 6 + 10 + 9.78 + 8.6)
    assert ws["B14"].value == "差"
    assert _fill(ws["H6"]) == "DDEBF7" and ws["H6"].comment.text == FILLED_NOTE
    assert ws["H6"].comment.author == "perfxl"


def test_cells_the_unit_filled_are_kept(written: tuple[Path, Path, str]) -> None:
    ws = openpyxl.load_workbook(written[1])[SHEET]
    assert ws["G10"].value == 6 and ws["G10"].comment is None
    assert ws["G11"].value == 10  # self 10 stays although the review says 8
    assert ws["F13"].value == 32
    assert ws["C9"].value == INJECTED and ws["C9"].data_type == "s"


def test_problem_cells_coloured_and_commented(written: tuple[Path, Path, str]) -> None:
    ws = openpyxl.load_workbook(written[1])[SHEET]
    assert _fill(ws["F13"]) == "FFC7CE"
    assert ws["F13"].comment.text == "【错误】分值合计 42，不等于 100"  # control char stripped
    g11 = ws["G11"].comment.text.split("\n")
    assert g11 == [
        "单位原有批注",
        "【警告】自评得分 10 超出“部分达成”的范围 [6, 8]",
        "【警告】自评得分与复核得分相差 2.00",
    ]
    assert _fill(ws["G11"]) == "FFEB9C"
    # filled by perfxl and warned about: both lines, the warning colour
    assert _fill(ws["G6"]) == "FFEB9C"
    assert ws["G6"].comment.text == f"{FILLED_NOTE}\n【警告】执行率 86% 低于 90%"
    assert ws["A9"].comment.text == "【错误】一级指标缺失"  # moved to the merged range's anchor
    assert _fill(ws["B11"]) == "EDEDED"


def test_review_sheet(written: tuple[Path, Path, str]) -> None:
    wb = openpyxl.load_workbook(written[1])
    assert wb.sheetnames == [SHEET, "填表说明", "复核", "复核(2)"]
    ws = wb["复核(2)"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in rows for v in row if v is not None]
    assert rows[0][0] == "项目支出绩效自评复核表"
    assert any("本表由 perfxl" in str(v) for v in flat)
    assert any("公式单元格在 Excel 打开时重新计算" in str(v) for v in flat)
    header = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "解读",
        "分值",
        "自评得分",
        "复核得分",
        "差值",
        "是否完成",
        "计算过程",
    ]
    h = rows.index(header + [None] * (len(rows[0]) - len(header)))
    first = rows[h + 1]
    assert first[:6] == ["产出指标", "数量指标", INJECTED, "≥15家", "12家", "≥ 15 家；实际 12 家"]
    assert first[6:11] == [6, None, 4.8, None, "否"]
    assert ws.cell(h + 2, 3).data_type == "s"
    injected = [c for row in ws.iter_rows() for c in row if c.value == INJECTED]
    assert injected and all(c.data_type == "s" and c.hyperlink is None for c in injected)
    assert first[11] == "实际 12家 < 目标 15家 → 6 × 12 ÷ 15 = 4.80"
    assert rows[h + 3][5:11] == ["定性：部分达成", 10, 10, 8, 2, "否"]
    assert rows[h + 3][11] == "定性：部分达成 → 10 × 80% = 8.00"
    labels = {row[0]: row[1:4] for row in rows if row[0]}
    assert labels["执行率"][1] == pytest.approx(0.86)
    assert labels["预算得分"][1] == pytest.approx(8.6)
    assert [r for r in rows if r[0] == "预算得分"][0][4] == "执行率 86.00% → 10 × 0.86 = 8.60"
    assert labels["复核总分"][0] == pytest.approx(37.18)
    assert labels["复核等级"][0] == "差"
    assert labels["三级指标数"][0] == 4 and labels["已完成三级指标数"][0] == 1
    assert labels["指标完成率"][0] == pytest.approx(0.25)
    assert labels["年度资金总额"] == [5, 5, 4.3]
    p = rows.index(["工作表", "单元格", "级别", "代码", "说明"] + [None] * (len(rows[0]) - 5))
    listed = rows[p + 1 : p + 1 + len(PROBLEMS)]
    assert [r[2] for r in listed] == [
        "错误",
        "错误",
        "警告",
        "警告",
        "警告",
        "警告",
        "提示",
        "提示",
    ]
    assert ["", "", "警告", "duplicate-project", "与另一文件重复"] == [
        v or "" for v in listed[-3][:5]
    ]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.column_dimensions["C"].width > 20 and ws["A1"].font.b


def test_rest_of_workbook_kept_and_src_untouched(written: tuple[Path, Path, str]) -> None:
    src, dst, digest = written
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest
    wb = openpyxl.load_workbook(dst)
    ws = wb[SHEET]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:H1", "B3:H3", "A9:A10"}
    assert ws.column_dimensions["C"].width == 42
    assert wb["填表说明"]["A1"].value == "请如实填写"
    assert [str(d.sqref) for d in ws.data_validations.dataValidation] == ["H9:H12"]
    assert wb.active.title == SHEET
    assert sorted(os.listdir(dst.parent)) == ["form.xlsx"]  # no temp file left


def test_two_runs_are_byte_identical(tmp_path: Path, written: tuple[Path, Path, str]) -> None:
    src, dst, _ = written
    again = tmp_path / "again.xlsx"
    form = _form()
    write_completed(src, again, [(form, _score(form))], PROBLEMS)
    assert again.read_bytes() == dst.read_bytes()
    with zipfile.ZipFile(dst) as z:  # the clock does not enter the file at all
        stamps = {i.date_time for i in z.infolist()}
        core = z.read("docProps/core.xml").decode()
    mtime = openpyxl.load_workbook(dst).properties.modified
    (zip_time,) = stamps  # one fixed stamp, DOS time (2-second steps)
    assert 0 <= (mtime - datetime.datetime(*zip_time)).total_seconds() < 2
    utc = mtime.replace(tzinfo=datetime.UTC).timestamp()
    assert utc == int(src.stat().st_mtime)  # the source's mtime, as naive UTC
    assert mtime.isoformat() in core


def test_unscored_form_and_failed_save(tmp_path: Path) -> None:
    src = tmp_path / "form.xlsx"
    _build_xlsx(src)
    dst = tmp_path / "out" / "form.xlsx"
    dst.mkdir(parents=True)  # a directory in the way: the rename fails
    with pytest.raises(OSError):
        write_completed(src, dst, [(_form(), None)], [])
    assert os.listdir(dst.parent) == ["form.xlsx"]
    ok = tmp_path / "ok.xlsx"
    write_completed(src, ok, [(_form(), None)], [])
    wb = openpyxl.load_workbook(ok)
    assert wb[SHEET]["G9"].value is None  # nothing computed, nothing filled
    values = [c.value for row in wb["复核(2)"].iter_rows() for c in row]
    assert "未发现问题" in values and any("未能评分" in str(v) for v in values)


def test_xls_input(tmp_path: Path) -> None:
    import xlwt

    src = tmp_path / "old.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sh = book.add_sheet(SHEET)
    sh.write_merge(0, 0, 0, 7, "项目支出绩效自评表")
    sh.write(2, 0, "项目名称")
    sh.write_merge(2, 2, 1, 7, "认证认可监管专项经费")
    for col, value in enumerate(["", "年度资金总额", 5, 5, 4.3, 10]):
        sh.write(5, col, value)
    rows = [
        [None, "数量指标", INJECTED, "≥15家", "12家", 6],
        [None, "质量指标", "监督检查覆盖率", "100%", "100%", 6, 6],
    ]
    for r, row in enumerate(rows, start=8):
        for c, value in enumerate(row):
            if value is not None:
                sh.write(r, c, value)
    sh.write_merge(8, 9, 0, 0, "产出指标")
    sh.write(10, 1, "效益指标")  # rows 11-12 of the form left out
    sh.write(11, 1, "满意度指标")
    sh.write(12, 0, "总分")
    book.add_sheet("说明").write(0, 0, "其他")
    book.save(str(src))
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    dst = tmp_path / "done" / "old.xlsx"
    form = _form("old.xls")
    problems = [Problem("missing-actual", "error", "实际完成值为空", "old.xls", SHEET, "E10")]
    write_completed(src, dst, [(form, _score(form))], problems)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest
    wb = openpyxl.load_workbook(dst)
    assert wb.sheetnames == [SHEET, "说明", "复核"]
    ws = wb[SHEET]
    assert {"A1:H1", "B3:H3", "A9:A10"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["B3"].value == "认证认可监管专项经费" and ws["E6"].value == pytest.approx(4.3)
    assert ws["C9"].value == INJECTED and ws["C9"].data_type == "s"
    assert ws["G6"].value == pytest.approx(0.86) and ws["G9"].value == pytest.approx(4.8)
    assert ws["G10"].value == 6  # written in the .xls: kept
    assert _fill(ws["E10"]) == "FFC7CE"
    notes = [c.value for row in wb["复核"].iter_rows(max_row=8) for c in row if c.value]
    assert any(".xls 格式" in str(v) for v in notes)
    assert sorted(os.listdir(dst.parent)) == ["old.xlsx"]


def test_read_values_hook_and_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfxl.write.libreoffice import soffice

    monkeypatch.setenv("PERFXL_LIBREOFFICE", "0")  # the values-only path
    soffice.cache_clear()
    src = tmp_path / "hook.xls"
    src.write_bytes(b"not read: the hook supplies the values")
    sheets = [(SHEET, [["项目名称", "a\x01b", "+cmd|' /C calc'!A0"]], [((0, 1), (0, 2))])]
    dst = tmp_path / "hook.xlsx"
    write_completed(src, dst, [], [], read_values=lambda p: sheets)
    soffice.cache_clear()
    ws = openpyxl.load_workbook(dst)[SHEET]
    assert ws["B1"].value == "ab" and [str(r) for r in ws.merged_cells.ranges] == ["B1:C1"]


def test_reading_text() -> None:
    ind = _form().indicators[0]
    assert (
        reading_text(IndicatorScore(ind, "<=", "<=", 10, 11, "月", None, 7, 7, 7, 6.3, False))
        == "≤ 10 月；实际 11 月"
    )
    assert (
        reading_text(IndicatorScore(ind, "=", "", 43.2, 37.24, "", None, 6, 6, None, 5.17, False))
        == "= 43.2；实际 37.24"
    )
    assert (
        reading_text(IndicatorScore(ind, "na", "", None, None, "", None, 6, 0, None, 0, None))
        == "不适用"
    )


def test_xlsm_input_becomes_plain_xlsx(tmp_path: Path) -> None:
    """An .xlsm's macro-enabled content type must not survive into the .xlsx copy
    (Excel refuses an .xlsx that declares macros)."""
    plain = tmp_path / "plain.xlsx"
    _build_xlsx(plain)
    src = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(src, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "[Content_Types].xml":
                xlsx = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
                data = data.replace(xlsx, b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            zout.writestr(item, data)
    dst = tmp_path / "macro.xlsx"
    form = _form("macro.xlsm")
    write_completed(src, dst, [(form, _score(form))], [])
    with zipfile.ZipFile(dst) as z:
        types = z.read("[Content_Types].xml").decode()
    assert "spreadsheetml.sheet.main+xml" in types and "macroEnabled" not in types
    wb = openpyxl.load_workbook(dst)
    assert wb[SHEET]["G9"].value == pytest.approx(4.8)
    notes = [str(c.value) for row in wb["复核(2)"].iter_rows(max_row=8) for c in row if c.value]
    assert any("宏未保留" in v for v in notes)
