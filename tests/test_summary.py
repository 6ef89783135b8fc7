"""Round-trip tests of the summary workbook 汇总表.xlsx: write it, reopen with openpyxl."""

from __future__ import annotations

import time
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from perfxl.write.summary import (
    INDICATOR_COLUMNS,
    SUMMARY_COLUMNS,
    SummaryMeta,
    write_summary,
)

SUMMARY_HEADERS = (
    "序号, 年度, 主管部门, 实施单位, 项目名称, 年初预算数, 全年预算数, 全年执行数, 执行率, "
    "预算得分, 一级指标数, 二级指标数, 三级指标数, 已完成三级指标数, 指标完成率, 自评总分, "
    "复核总分, 差值, 自评等级, 复核等级, 错误数, 警告数, 源文件"
).split(", ")
PROBLEM_HEADERS = ["源文件", "工作表", "单元格", "级别", "代码", "说明"]
DEPT_HEADERS = ["主管部门", "项目数", "年初预算数", "全年预算数", "全年执行数", "执行率",
                "平均复核得分", "加权平均复核得分", "优", "良", "中", "差"]  # fmt: skip
INDICATOR_HEADERS = ["项目序号", "项目名称", "一级指标", "二级指标", "三级指标",
                     "年度指标值", "实际完成值", "指标方向", "单位", "分值", "自评得分",
                     "复核得分", "计算过程", "是否完成", "偏差原因"]  # fmt: skip
SHEETS = ["汇总（打印）", "汇总", "部门汇总", "指标明细", "问题清单", "图表", "说明"]
WHEN = datetime(2024, 3, 15, 9, 30, 5)
NAN = float("nan")


def project(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "file": "a.xlsx", "sheet": "Sheet1", "year": 2024, "department": "教育局",
        "implementer": "第一中学", "project_name": "校舍维修", "initial_budget": 100.0,
        "budget": 100.0, "executed": 95.0, "rate": 0.95, "budget_score": 9.5,
        "level1_count": 3, "level2_count": 5, "level3_count": 8, "achieved_count": 7,
        "completion_rate": 0.875, "self_total": 95.0, "review_total": 93.5, "grade": "优",
        "errors": 0, "warnings": 1,
    }  # fmt: skip
    row.update(over)
    return row


def indicator(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "file": "a.xlsx", "sheet": "Sheet1", "project_name": "校舍维修", "level1": "产出指标",
        "level2": "数量指标", "name": "维修面积", "target": "≥500", "actual": "520", "op": ">=",
        "unit": "平方米", "weight": 10.0, "self_score": 10.0, "review_score": 10.0,
        "achieved": True, "reason": "",
    }  # fmt: skip
    row.update(over)
    return row


def problem(**over: object) -> dict[str, object]:
    row = {"file": "a.xlsx", "sheet": "Sheet1", "cell": "F10", "severity": "warning",
           "code": "rate-mismatch", "field": "", "message": "执行率不符"}  # fmt: skip
    row.update(over)
    return row


def meta(**over: object) -> SummaryMeta:
    values: dict[str, object] = dict(
        version="0.1.0", rules_source="默认规则", rules_text="[grades]\nlowest = \"差\"\n",
        inbox="/data/收件箱", files_total=5, files_read=3, files_failed=1, files_skipped=1,
        forms=4, generated_at=WHEN,
    )  # fmt: skip
    values.update(over)
    return SummaryMeta(**values)  # type: ignore[arg-type]


@pytest.fixture
def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    projects = pd.DataFrame([
        project(),
        project(file="b.xlsx", department="财政局", implementer="国库中心", project_name="系统建设",
                initial_budget=200.0, budget=300.0, executed=150.0, rate=0.5,
                self_total=90.0, review_total=70.0, grade="中", errors=2, warnings=0),
        project(file="c.xlsx", department="教育局", implementer="第一中学", project_name="=HYPERLINK(\"x\")",
                year=pd.NA, executed=NAN, rate=NAN, self_total=NAN, review_total=55.0,
                grade="差", completion_rate=NAN, errors=1, warnings=3),
        project(file="d.xlsx", department="教育局", implementer="实验小学", project_name="+食堂改造",
                budget=50.0, initial_budget=50.0, executed=49.0, rate=0.98, review_total=85.0,
                self_total=85.5, grade="良"),
    ])  # fmt: skip
    indicators = pd.DataFrame([
        indicator(),
        indicator(name="-满意度", op="qualitative", target="@好", actual="较好", achieved=False,
                  review_score=8.0, reason="=1+1 原因"),
        indicator(name="完成时间", op="time", target="2024年底", achieved=None, self_score=NAN),
        indicator(name="成本", op="<=", target="≤100", achieved=pd.NA, unit=""),
        indicator(name="合格率", op="=", target="100%", achieved=np.bool_(True)),
    ])  # fmt: skip
    problems = pd.DataFrame([
        problem(cell="A10", severity="info", code="note"),
        problem(cell="A2", severity="warning"),
        problem(cell="A10", severity="warning"),
        problem(file="b.xlsx", cell="C3", severity="error", code="total-mismatch", field="总分"),
        problem(file="z.doc", sheet="", cell="", severity="info", code="skipped-file",
                message="=不是工作簿"),
        problem(file="a.xlsx", cell="B3", severity="error", code="missing-value"),
        problem(file="bad.xlsx", sheet="", cell="", severity="error", code="file-unreadable",
                message="无法读取"),
    ])  # fmt: skip
    return projects, indicators, problems


@pytest.fixture
def book(tmp_path: Path, frames) -> openpyxl.Workbook:
    path = tmp_path / "汇总表.xlsx"
    write_summary(path, *frames, meta())
    return openpyxl.load_workbook(path)


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_sheets_and_headers(book) -> None:
    assert book.sheetnames == SHEETS
    assert [h for h, _ in SUMMARY_COLUMNS] == SUMMARY_HEADERS
    assert [h for h, _ in INDICATOR_COLUMNS] == INDICATOR_HEADERS
    assert list(rows(book["汇总"])[0]) == SUMMARY_HEADERS
    assert list(rows(book["部门汇总"])[0]) == DEPT_HEADERS
    assert list(rows(book["指标明细"])[0]) == INDICATOR_HEADERS
    assert list(rows(book["问题清单"])[0]) == PROBLEM_HEADERS


def test_projects_sorted_numbers_stored_as_numbers(book) -> None:
    ws = book["汇总"]
    data = rows(ws)[1:5]
    col = {h: i for i, h in enumerate(SUMMARY_HEADERS)}
    # sorted by 主管部门, 实施单位, 项目名称, 源文件 (code-point order)
    keys = [(r[col["主管部门"]], r[col["实施单位"]], r[col["项目名称"]]) for r in data]
    assert keys == sorted(keys)
    assert [r[col["序号"]] for r in data] == [1, 2, 3, 4]
    assert [r[col["项目名称"]] for r in data] == [
        "+食堂改造",
        '=HYPERLINK("x")',
        "校舍维修",
        "系统建设",
    ]
    finance = data[3]
    assert finance[col["全年预算数"]] == 300 and finance[col["执行率"]] == 0.5
    assert finance[col["差值"]] == 20
    for r in data:
        for h in ("年初预算数", "全年预算数", "复核总分", "错误数", "三级指标数"):
            assert isinstance(r[col[h]], (int, float)), (h, r[col[h]])
    missing = next(r for r in data if r[col["源文件"]] == "c.xlsx")
    for h in ("年度", "全年执行数", "执行率", "自评总分", "差值", "指标完成率"):
        assert missing[col[h]] is None, h
    assert not any(v == "nan" or v == "NaN" for r in rows(ws) for v in r)
    assert ws.cell(2, col["全年预算数"] + 1).number_format == "#,##0.00"
    assert ws.cell(2, col["执行率"] + 1).number_format == "0.00%"
    assert ws.cell(2, col["复核总分"] + 1).number_format == "0.00"


def test_totals_row(book) -> None:
    ws = book["汇总"]
    total = rows(ws)[5]
    col = {h: i for i, h in enumerate(SUMMARY_HEADERS)}
    assert ws.max_row == 6 and total[0] == "合计"
    assert total[col["年初预算数"]] == 450 and total[col["全年预算数"]] == 550
    assert total[col["全年执行数"]] == 294
    assert total[col["执行率"]] == pytest.approx(294 / 550)
    assert total[col["复核总分"]] == pytest.approx((93.5 + 70 + 55 + 85) / 4)
    assert total[col["三级指标数"]] == 32 and total[col["已完成三级指标数"]] == 28
    assert (total[col["错误数"]], total[col["警告数"]]) == (3, 5)


def test_department_summary(book) -> None:
    data = rows(book["部门汇总"])
    assert [r[0] for r in data[1:]] == ["教育局", "财政局", "合计"]
    edu = dict(zip(DEPT_HEADERS, data[1], strict=True))
    assert edu["项目数"] == 3 and edu["全年预算数"] == 250 and edu["全年执行数"] == 144
    assert edu["执行率"] == pytest.approx(144 / 250)
    assert edu["平均复核得分"] == pytest.approx((93.5 + 55 + 85) / 3)
    weighted = (93.5 * 100 + 55 * 100 + 85 * 50) / 250
    assert edu["加权平均复核得分"] == pytest.approx(weighted)
    assert (edu["优"], edu["良"], edu["中"], edu["差"]) == (1, 1, 0, 1)
    total = dict(zip(DEPT_HEADERS, data[3], strict=True))
    assert total["项目数"] == 4 and total["全年预算数"] == 550 and total["中"] == 1


def test_indicator_details(book) -> None:
    data = rows(book["指标明细"])[1:]
    by_name = {r[4]: dict(zip(INDICATOR_HEADERS, r, strict=True)) for r in data}
    # all five belong to a.xlsx/Sheet1 (校舍维修), the third project in the sorted 汇总 sheet
    assert {r["项目序号"] for r in by_name.values()} == {3}
    assert [by_name[n]["指标方向"] for n in ("维修面积", "-满意度", "完成时间", "成本", "合格率")] == [
        "≥", "定性", "时限", "≤", "="]  # fmt: skip
    assert [by_name[n]["是否完成"] for n in ("维修面积", "-满意度", "完成时间", "成本", "合格率")] == [
        "是", "否", "不适用", "不适用", "是"]  # fmt: skip
    assert by_name["完成时间"]["自评得分"] is None
    assert by_name["-满意度"]["复核得分"] == 8 and by_name["成本"]["单位"] is None
    assert {r["项目名称"] for r in by_name.values()} == {"校舍维修"}


def test_indicator_project_number_matches_file_and_sheet(tmp_path: Path, frames) -> None:
    """项目序号 is the 序号 of the project with the same file and sheet on 汇总; a
    second form of the same file is told apart by its sheet, an orphan gets none."""
    projects, _, problems = frames
    projects = pd.concat(
        [projects, pd.DataFrame([project(sheet="项目2", project_name="校舍维修二期")])]
    )
    indicators = pd.DataFrame([
        indicator(file="b.xlsx", project_name="系统建设"),
        indicator(sheet="项目2", project_name="校舍维修二期"), indicator(),
        indicator(file="d.xlsx", project_name="+食堂改造"),
        indicator(file="gone.xlsx", project_name="无主"),
    ])  # fmt: skip
    path = tmp_path / "汇总表.xlsx"
    write_summary(path, projects, indicators, problems, meta())
    wb = openpyxl.load_workbook(path)
    summary = {(r[0], r[4]) for r in rows(wb["汇总"])[1:-1]}
    details = [r[0] for r in rows(wb["指标明细"])[1:]]
    # 系统建设, 校舍维修二期, 校舍维修, +食堂改造, and an orphan with no project
    assert details == [5, 4, 3, 1, None]
    assert {(3, "校舍维修"), (4, "校舍维修二期"), (5, "系统建设")} <= summary
    assert wb["指标明细"].cell(2, 1).number_format == "0"  # a number, not text


def test_problem_order_and_text(book) -> None:
    data = rows(book["问题清单"])[1:]
    order = [(r[3], r[0], r[2]) for r in data]
    assert order == [
        ("错误", "a.xlsx", "B3"), ("错误", "b.xlsx", "C3"), ("错误", "bad.xlsx", None),
        ("警告", "a.xlsx", "A2"), ("警告", "a.xlsx", "A10"),
        ("提示", "a.xlsx", "A10"), ("提示", "z.doc", None),
    ]  # fmt: skip
    assert data[1][5] == "【总分】执行率不符" and data[1][4] == "total-mismatch"


def test_text_that_looks_like_a_formula_stays_text(book) -> None:
    cells = [c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value[:1] in "=+-@"]
    values = {c.value for c in risky}
    assert {'=HYPERLINK("x")', "+食堂改造", "-满意度", "@好", "=1+1 原因", "=不是工作簿"} <= values
    assert all(c.data_type == "s" for c in risky)


def test_charts_and_no_pictures(tmp_path: Path, frames, book) -> None:
    assert len(book["图表"]._charts) == 3
    path = tmp_path / "汇总表.xlsx"
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
    assert len([n for n in names if n.startswith("xl/charts/chart")]) == 3
    assert not any(n.startswith("xl/media/") for n in names)
    grade_table = rows(book["图表"])[1:5]
    assert [(r[0], r[1]) for r in grade_table] == [("优", 1), ("良", 1), ("中", 1), ("差", 1)]
    assert rows(book["图表"])[7][:2] == ("主管部门", "执行率")
    rates = [book["图表"].cell(r, 2) for r in (9, 10)]  # 教育局, 财政局
    assert [c.value for c in rates] == [pytest.approx(144 / 250), 0.5]
    assert all(c.number_format == "0.00%" for c in rates)  # not "0" ("1" and "0")
    assert book["图表"].cell(2, 2).number_format == "0"


def test_print_setup_freeze_filter_and_formats(book) -> None:
    ws = book["汇总"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth="1" is the schema default, which xlsxwriter leaves out
    assert int(ws.page_setup.fitToWidth or 1) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text and "汇总表" in ws.oddHeader.center.text
    assert ws.freeze_panes == "F2"  # header row and the columns up to 项目名称
    assert ws.auto_filter.ref == "A1:W5"  # header + 4 projects, not the totals row
    assert len(ws.conditional_formatting) == 4  # two grade columns, low rate, large gap
    # CJK characters count double: 项目名称 width fits '=HYPERLINK("x")' and 4 CJK chars
    assert ws.column_dimensions["E"].width >= 15
    assert book["指标明细"].freeze_panes == "A2" and book["问题清单"].auto_filter.ref == "A1:F8"


def test_notes_sheet(book) -> None:
    data = {r[0]: r[1] for r in rows(book["说明"]) if r[0]}
    assert data["生成工具"] == "perfxl 0.1.0" and data["收件箱"] == "/data/收件箱"
    assert (data["文件总数"], data["已读取"], data["读取失败"], data["已跳过"], data["表单数"]) == (
        5, 3, 1, 1, 4)  # fmt: skip
    assert data["生成时间"] == "2024-03-15 09:30:05"
    lines = [r[1] for r in rows(book["说明"])]
    start = lines.index("[grades]")
    assert lines[start + 1] == 'lowest = "差"'


def test_created_time_and_identical_bytes(tmp_path: Path, frames) -> None:
    first, second = tmp_path / "one" / "汇总表.xlsx", tmp_path / "two" / "汇总表.xlsx"
    write_summary(first, *frames, meta())
    write_summary(second, *frames, meta())
    assert first.read_bytes() == second.read_bytes()
    assert openpyxl.load_workbook(first).properties.created == WHEN
    aware = datetime(2024, 3, 15, 17, 30, tzinfo=timezone(timedelta(hours=8)))
    write_summary(first, *frames, meta(generated_at=aware))
    expected = aware.astimezone(UTC).replace(tzinfo=None)
    assert openpyxl.load_workbook(first).properties.created == expected


def test_atomic_write_leaves_no_temp_and_keeps_old_file_on_failure(tmp_path: Path, frames) -> None:
    path = tmp_path / "汇总表.xlsx"
    write_summary(path, *frames, meta())
    before = path.read_bytes()
    with pytest.raises(AttributeError):
        write_summary(path, *frames, meta(generated_at="not a time"))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["汇总表.xlsx"]


def test_batch_dtypes_and_repeated_index(tmp_path: Path, frames) -> None:
    """Frames concatenated per file repeat index labels; years come as nullable Int64."""
    projects, indicators, problems = frames
    projects = pd.concat([projects.iloc[:2], projects.iloc[2:]])  # index 0, 1, 0, 1
    projects["year"] = projects["year"].astype("Int64")
    path = tmp_path / "汇总表.xlsx"
    write_summary(path, projects, indicators, problems, meta())
    data = rows(openpyxl.load_workbook(path)["汇总"])[1:5]
    years = sorted((r[1] for r in data), key=lambda y: y is None)
    assert years == [2024, 2024, 2024, None]
    assert len({r[-1] for r in data}) == 4


@pytest.mark.parametrize("columns", [False, True])
def test_empty_inputs(tmp_path: Path, columns: bool) -> None:
    def empty(names: list[str]) -> pd.DataFrame:
        return pd.DataFrame(columns=names) if columns else pd.DataFrame()

    path = tmp_path / "汇总表.xlsx"
    write_summary(path, empty(list(project())), empty(list(indicator())), empty(list(problem())),
                  meta(files_total=0, files_read=0, forms=0))  # fmt: skip
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEETS
    summary = rows(wb["汇总"])
    assert list(summary[0]) == SUMMARY_HEADERS and summary[1][0] == "合计"
    assert summary[1][SUMMARY_HEADERS.index("全年预算数")] == 0
    assert [r[0] for r in rows(wb["部门汇总"])] == ["主管部门", "合计"]
    assert len(wb["图表"]._charts) == 2  # no departments, no execution-rate bar chart
    assert rows(wb["问题清单"]) == [tuple(PROBLEM_HEADERS)]


def synthetic(n: int, per: int = 15) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Plausible batch frames: mostly full marks, few reasons, a pool of indicator names."""
    rng = np.random.default_rng(7)
    budget = rng.uniform(5, 5000, n).round(2)
    executed = (budget * rng.uniform(0.5, 1.05, n)).round(2)
    projects = pd.DataFrame({
        "file": [f"2024/部门{i % 40}/项目{i}.xlsx" for i in range(n)], "sheet": "Sheet1",
        "year": 2024, "department": [f"某某县第{i % 40}局" for i in range(n)],
        "implementer": [f"实施单位{i % 300}" for i in range(n)],
        "project_name": [f"2024年某某专项资金项目{i}" for i in range(n)],
        "initial_budget": budget, "budget": budget, "executed": executed,
        "rate": executed / budget, "budget_score": rng.uniform(0, 10, n).round(2),
        "level1_count": 3, "level2_count": 6, "level3_count": per, "achieved_count": per - 1,
        "completion_rate": (per - 1) / per, "self_total": rng.uniform(60, 100, n).round(2),
        "review_total": rng.uniform(50, 100, n).round(2),
        "grade": rng.choice(list("优良中差"), n), "errors": rng.integers(0, 3, n),
        "warnings": rng.integers(0, 5, n),
    })  # fmt: skip
    m = n * per
    owner = np.repeat(np.arange(n), per)
    weight = rng.choice([5.0, 10.0, 10.0, 20.0], m)
    full = rng.uniform(size=m) < 0.85
    score = np.where(full, weight, (weight * rng.choice([0.5, 0.8, 0.9], m)).round(1))
    review = np.where(rng.uniform(size=m) < 0.8, score, (weight * rng.uniform(0.5, 1, m)).round(2))
    number = rng.choice([1, 2, 5, 10, 12, 50, 90, 95, 98, 100], m).astype(str)
    ops = rng.choice([">=", "<=", "=", "time", "qualitative"], m, p=[0.5, 0.1, 0.15, 0.1, 0.15])
    target = np.where(ops == ">=", "≥" + number, np.where(ops == "<=", "≤" + number, number))
    target = np.where(
        ops == "qualitative", "好", np.where(ops == "time", "2024年12月31日前", target)
    )
    indicators = pd.DataFrame({
        "file": projects["file"].to_numpy()[owner], "sheet": "Sheet1",
        "project_name": projects["project_name"].to_numpy()[owner],
        "level1": rng.choice(["产出指标", "效益指标", "满意度指标"], m, p=[0.6, 0.3, 0.1]),
        "level2": rng.choice(["数量指标", "质量指标", "时效指标", "成本指标"], m),
        "name": np.array([f"三级指标{j}" for j in range(3000)])[rng.integers(0, 3000, m)],
        "target": target, "actual": np.where(full, number, "未完成"), "op": ops,
        "unit": rng.choice(["个", "%", "万元", "人次", ""], m), "weight": weight,
        "self_score": score, "review_score": review, "achieved": full,
        "reason": np.where(full, "", "受客观因素影响，部分工作未按期完成"),
    })  # fmt: skip
    problems = pd.DataFrame({
        "file": projects["file"].repeat(2).to_numpy(), "sheet": "Sheet1", "cell": "F12",
        "severity": "warning", "code": "rate-mismatch", "field": "执行率", "message": "执行率不符",
    })  # fmt: skip
    return projects, indicators, problems


def test_size_stays_mailable(tmp_path: Path) -> None:
    """10,000 forms must stay under 10 MB; 2,000 forms × 15 indicators must stay under 2 MB."""
    n = 2000
    frames = synthetic(n)
    path = tmp_path / "汇总表.xlsx"
    started = time.perf_counter()
    write_summary(path, *frames, meta(forms=n))
    elapsed = time.perf_counter() - started
    size = path.stat().st_size
    print(
        f"\nsummary of {n} projects / {n * 15} indicators: {size / 1e6:.2f} MB in {elapsed:.2f} s"
    )
    assert size < 10e6 * n / 10_000
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb["指标明细"].max_row == n * 15 + 1
    assert wb["汇总"].max_row == n + 2  # header, projects, totals
    wb.close()
