"""The reader generalises over what real forms do (issue 12's categories),
each on a small synthetic form: annotated labels, other words for a column,
columns known only by their content, unknown filled columns, budget block
variants, forms without weights, rows that are not indicators, percent
targets, problems located at the header row, and the form's year."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from real.build import build

from perfxl.pipeline import check_paths, run_inbox
from perfxl.read.labels import category_name, normalize_label, split_weight
from perfxl.read.workbook import read_workbook
from perfxl.rules.schema import Rules
from perfxl.score.compute import score_form

HEADER = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]  # fmt: skip


def base() -> list[list]:
    """A clean standard form (budget 90/100 -> 9, indicators 90, total 99)."""
    n = None
    return [
        ["项目支出绩效自评表", n, n, n, n, n, n, n, n],
        ["（2023年度）", n, n, n, n, n, n, n, n],
        ["项目名称", "测试项目", n, n, n, n, n, n, n],
        ["主管部门", "某局", n, n, "实施单位", "某单位", n, n, n],
        ["项目资金（万元）", n, n, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [n, "年度资金总额", n, 100, 100, 90, 10, "90%", 9],
        [n, "其中：当年财政拨款", n, 100, 100, 90, n, n, n],
        [n, "上年结转资金", n, n, n, n, n, n, n],
        [n, "其他资金", n, n, n, n, n, n, n],
        ["年度总体目标", "预期目标", n, n, "实际完成情况", n, n, n, n],
        [n, "完成培训", n, n, "已完成培训", n, n, n, n],
        list(HEADER),
        [n, "产出指标", "数量指标", "培训人数", "≥100人", "100人", 50, 50, n],
        [n, "效益指标", "社会效益指标", "覆盖率", "≥90%", "95%", 30, 30, n],
        [n, "满意度指标", "服务对象满意度指标", "满意度", "≥90%", "92%", 10, 10, n],
        ["总分", n, n, n, n, n, 100, 99, n],
    ]  # fmt: skip


def make(tmp_path: Path, rows: list[list], merges=(), percent=(), name="form") -> Path:
    form = SimpleNamespace(
        SHEET="Sheet1", ROWS=rows, MERGES=list(merges), PERCENT_CELLS=list(percent),
        __file__=str(tmp_path / f"{name}.py"),
    )  # fmt: skip
    return build(form, tmp_path)


def read_one(path: Path, rules: Rules | None = None):
    result = read_workbook(path, rules=rules or Rules.load())
    assert result.status == "read", result.problems
    return result.forms[0], list(result.problems)


def problems(path: Path, rules: Rules | None = None) -> list[str]:
    batch = check_paths([path], jobs=1, rules=rules or Rules.load())
    assert (batch.problems["cell"] != "").all(), batch.problems
    return sorted(f"{p.code}@{p.cell}" for p in batch.problems.itertuples())


def test_base_form_reads_clean(tmp_path: Path):
    f, _ = read_one(make(tmp_path, base()))
    s = score_form(f)
    assert (s.budget_score, s.total, s.self_total) == (9.0, 99.0, 99.0)
    assert problems(make(tmp_path, base(), name="again")) == []


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("实施单位 (盖章)", "实施单位"),
        ("全年预算数（A）", "全年预算数"),
        ("执行率(B/A)", "执行率"),
        ("项目资金\n（万元）", "项目资金"),
        ("年度资金总额：", "年度资金总额"),
        ("一、产出指标", "产出指标"),
        ("1.项目年度目标完成情况", "项目年度目标完成情况"),
        ("（一）年度指标值", "年度指标值"),
        ("【注】年度指标值", "年度指标值"),
        ("预算执行情况（20分）", "预算执行情况"),
        ("ｆｕｌｌ：", "full"),
        ("  一级\n指标 ", "一级指标"),
        ("項目名稱", "项目名称"),
        ("度量单位(个)", "度量单位"),
    ],
)
def test_label_normalisation(text: str, norm: str):
    assert normalize_label(text) == norm


def test_weights_and_category_names_from_labels():
    assert split_weight("产出指标（50分）") == ("产出指标", 50.0)
    assert split_weight("产出指标(40分)：") == ("产出指标", 40.0)
    assert split_weight("\n\n(50分)") == ("", 50.0)
    assert category_name("产 出 指 标 (40分)") == ("产出指标", 40.0)
    assert category_name("服务对象满意度指标等") == ("服务对象满意度指标", None)


def test_headers_matched_by_meaning(tmp_path: Path):
    rows = base()
    rows[11][4:9] = ["年度目标", "全年完成数", "标准分", "评分", "原因说明"]
    rows[4][3:9] = ["年初安排", "调整后预算", "实际支出", "满分", "支出率", "评分"]
    path = make(tmp_path, rows)
    f, read_problems = read_one(path)
    assert f.indicator_columns == {
        "level1": "B", "level2": "C", "level3": "D", "target": "E", "actual": "F",
        "weight": "G", "score": "H", "reason": "I",
    }  # fmt: skip
    assert f.fund_columns == {
        "initial": "D", "budget": "E", "executed": "F", "fund_weight": "G", "rate": "H",
        "fund_score": "I",
    }  # fmt: skip
    assert score_form(f).total == 99.0
    assert read_problems == [] and problems(path) == []


def test_group_header_over_two_rows(tmp_path: Path):
    rows = base()
    rows[11][4:9] = ["年度绩效指标", None, "分值", "得分", "偏差原因分析及改进措施"]
    rows.insert(12, [None, None, None, None, "目标值", "实际值", None, None, None])
    merges = [
        "A12:A13",
        "B12:B13",
        "C12:C13",
        "D12:D13",
        "E12:F12",
        "G12:G13",
        "H12:H13",
        "I12:I13",
    ]
    f, _ = read_one(make(tmp_path, rows, merges))
    assert (f.indicator_columns["target"], f.indicator_columns["actual"]) == ("E", "F")
    assert [i.row for i in f.indicators] == [14, 15, 16]
    assert score_form(f).total == 99.0


def test_actual_and_weight_columns_guessed_from_content(tmp_path: Path):
    rows = base()
    rows[11][5] = None  # the actual column has no header
    rows[11][6] = "（50+30+10）"  # the weight header says nothing a table knows
    path = make(tmp_path, rows)
    f, read_problems = read_one(path)
    assert (f.indicator_columns["actual"], f.indicator_columns["weight"]) == ("F", "G")
    assert [(p.code, p.severity, p.cell) for p in read_problems] == [
        ("column-guessed", "info", "F12"),
        ("column-guessed", "info", "G12"),
    ]
    assert "实际完成值" in read_problems[0].message and "（空）" in read_problems[0].message
    assert score_form(f).total == 99.0
    assert problems(path) == ["column-guessed@F12", "column-guessed@G12"]


def test_unknown_filled_column_is_reported_with_the_rules_line(tmp_path: Path, tmp_path_factory):
    rows = base()
    for r in rows[11:15]:  # an extra filled column, every role already found
        r.append("核查情况" if r is rows[11] else "已核")
    [p] = [p for p in read_one(make(tmp_path, rows, name="extra"))[1]]
    assert (p.code, p.cell) == ("unknown-column", "J12")
    assert "perfxl rules --labels" in p.message

    rows = base()
    for r in rows[11:15]:  # the actuals move to the last column, under a header no table knows
        r[5], r[8] = r[8], r[5]
    rows[11][8] = "数据栏"
    path = make(tmp_path, rows)
    f, read_problems = read_one(path)
    assert "actual" not in f.indicator_columns
    [p] = [p for p in read_problems if p.code == "unknown-column"]
    assert (p.severity, p.cell, p.field) == ("warning", "I12", "数据栏")
    assert '[labels] actual = ["数据栏"]' in p.message
    # the missing actuals point at the header row (the 三级指标 header), never at no cell
    got = problems(path)
    assert got.count("missing-actual@D12") == 3 and "unknown-column@I12" in got
    # the line it suggests maps the column
    rules_file = tmp_path_factory.mktemp("rules") / "rules.toml"
    rules_file.write_text('[labels]\nactual = ["数据栏"]\n', encoding="utf-8")
    rules = Rules.load(rules_file)
    f2, read_problems2 = read_one(path, rules)
    assert f2.indicator_columns["actual"] == "I" and read_problems2 == []
    assert score_form(f2, rules).total == 99.0


def test_only_initial_budget_is_used_as_the_annual_budget(tmp_path: Path):
    rows = base()
    for r in rows[4:9]:
        del r[4]  # no 全年预算数 column
        r.append(None)
    path = make(tmp_path, rows)
    f, read_problems = read_one(path)
    s = score_form(f)
    assert (s.budget, s.executed, s.budget_score) == (100.0, 90.0, 9.0)
    assert [(p.code, p.severity, p.cell) for p in read_problems] == [
        ("initial-as-budget", "info", "D5")
    ]


def test_budget_weight_in_label_and_total_row_under_another_name(tmp_path: Path):
    rows = base()
    rows[4][0] = "预算执行情况（20分）"
    rows[5][1], rows[5][6], rows[5][8] = "本项目资金", None, 18  # a name no table knows
    rows[12][6] = rows[12][7] = 40  # 产出 40: weights 20 + 40 + 30 + 10 = 100
    rows[15][6], rows[15][7] = 100, 98
    path = make(tmp_path, rows)
    f, _ = read_one(path)
    s = score_form(f)
    assert (f.fund("total").row, s.budget_weight, s.budget_score, s.total) == (6, 20.0, 18.0, 98.0)
    assert f.fund("total").weight.cell == "A5"
    assert problems(path) == []  # no 50/30/10 split check with a 20-point budget


def test_zero_total_row_falls_back_to_the_sources(tmp_path: Path):
    rows = base()
    rows[5][3:6] = [0, 0, 0]
    s = score_form(read_one(make(tmp_path, rows))[0])
    assert (s.budget, s.executed, s.budget_score) == (100.0, 90.0, 9.0)


def test_no_weight_column_is_one_error_without_a_cascade(tmp_path: Path):
    rows = base()
    for r in rows[11:]:
        del r[6]  # no 分值 column; the unit's 得分 stays
        r.append(None)
    path = make(tmp_path, rows)
    f, _ = read_one(path)
    assert [(i.name, i.target.text, i.actual.text) for i in f.indicators] == [
        ("培训人数", "≥100人", "100人"),
        ("覆盖率", "≥90%", "95%"),
        ("满意度", "≥90%", "92%"),
    ]
    # not: score-above-weight (得分 50 超出 0～0), weights-not-100, missing 分值, self-score-differs
    assert problems(path) == ["no-weights@D12"]
    # and the completed copy writes no 0 scores from weights of 0
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rows[12][6] = None  # an empty self score the writer would otherwise fill
    make(inbox, rows, name="nw")
    run_inbox(inbox, tmp_path / "out", jobs=1)
    ws = load_workbook(tmp_path / "out" / "completed" / "nw.xlsx").active
    assert ws["G13"].value is None


def test_placeholder_and_breakdown_rows_are_not_indicators(tmp_path: Path):
    rows = base()
    n = None
    extra = [
        [n, n, n, "其中：城区培训人数", "60人", "60人", n, n, n],
        [n, n, n, "   乡镇培训人数", "40人", "40人", n, n, n],
        [n, n, n, "指标2：", n, n, n, n, n],
        [n, n, n, "-", "-", "/", n, n, n],
        [n, n, n, "……", n, n, n, n, n],
        [n, n, n, "—", n, n, n, n, n],
    ]
    rows[13:13] = extra
    path = make(tmp_path, rows, merges=["B13:B19", "C13:C19"])
    mappings: list = []
    result = read_workbook(path, mappings=mappings)
    f = result.forms[0]
    assert [i.row for i in f.indicators] == [13, 20, 21]
    skipped = {s.row: s.reason for s in mappings[0].skipped}
    assert set(skipped) == {14, 15, 16, 17, 18, 19}
    assert "其中" in skipped[14] and "缩进" in skipped[15] and "模板" in skipped[16]
    assert score_form(f).total == 99.0
    assert problems(path) == []
    # nothing is written into them in the completed copy
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make(inbox, rows, merges=["B13:B19", "C13:C19"], name="sub")
    run_inbox(inbox, tmp_path / "out", jobs=1)
    ws = load_workbook(tmp_path / "out" / "completed" / "sub.xlsx").active
    assert [ws.cell(r, 8).value for r in range(14, 20)] == [None] * 6


def test_percent_format_target_is_a_percentage(tmp_path: Path):
    rows = base()
    rows[13][4:6] = [1, 0.9]  # 100% and 90%, both as percent-formatted numbers
    rows[13][7] = 27
    rows[15][7] = 96
    path = make(tmp_path, rows, percent=["E14", "F14"])
    s = score_form(read_one(path)[0])
    cover = s.indicators[1]
    assert (cover.target_number, cover.actual_number, cover.review) == (100.0, 90.0, 27.0)
    assert s.total == 96.0


def test_missing_identity_and_budget_point_at_where_they_belong(tmp_path: Path):
    rows = base()
    rows[3][4:6] = [None, None]  # no 实施单位 label
    for r in rows[4:9]:
        r[:] = [None] * 9  # no budget block at all
    path = make(tmp_path, rows)
    got = problems(path)
    assert "missing-field@A4" in got  # 实施单位: the identity block
    assert got.count("missing-field@A12") == 0
    assert {p for p in got if p.startswith("missing-field")} == {
        "missing-field@A4",
        "missing-field@D12",
    }


@pytest.mark.parametrize(
    ("title", "extra", "project", "year"),
    [
        ("2022年度项目支出绩效自评表", None, "2019年某项目", 2022),
        ("项目支出绩效自评表", ("年度", "2021"), "2019年某项目", 2021),
        ("项目支出绩效自评表", None, "2019年某项目", 2019),
        ("项目支出绩效自评表", ("填报日期", "2024年3月1日"), "某项目", None),
    ],
)
def test_year_from_title_then_year_cell_then_project_name(tmp_path, title, extra, project, year):
    rows = base()
    rows[0][0] = title
    rows[1] = [None] * 9
    if extra:
        rows[1][0], rows[1][1] = extra
    rows[2][1] = project
    f, _ = read_one(make(tmp_path, rows))
    assert f.year == year


def test_missing_score_column_points_at_the_header_and_nothing_is_written_there(tmp_path: Path):
    rows = base()
    for r in rows[11:]:
        del r[7]  # no 得分 column
        r.append(None)
    f, _ = read_one(make(tmp_path, rows))
    assert {i.score.cell for i in f.indicators} == {"D12"}  # where the column belongs
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    make(inbox, rows, name="noscore")
    run_inbox(inbox, tmp_path / "out", jobs=1)
    ws = load_workbook(tmp_path / "out" / "completed" / "noscore.xlsx").active
    assert [ws.cell(12, c).value for c in range(1, 10)] == rows[11]
