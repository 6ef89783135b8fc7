"""The 计算过程 line: every kind of review score shows its arithmetic with the
form's own numbers, in one Chinese line, and the line agrees with the score."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfxl.model import CellValue, FundRow, Indicator, ProjectForm
from perfxl.rules.schema import Rules
from perfxl.score.compute import score_form, score_indicator
from perfxl.score.formulas import budget

RULES = Rules.load()


def ind(
    target, actual, weight=10.0, self_score=None, level2="数量指标", name="指标", level1="产出指标"
):
    return Indicator(
        level1, level2, name, 10,
        target=CellValue(target, "E10"), actual=CellValue(actual, "F10"),
        weight=CellValue(weight, "G10"), score=CellValue(self_score, "H10"),
    )  # fmt: skip


def line(target, actual, weight=10.0, rules: Rules = RULES, **kw) -> tuple[float, str]:
    s = score_indicator(ind(target, actual, weight, **kw), weight, rules)
    return s.review, s.explanation


@pytest.mark.parametrize(
    ("target", "actual", "weight", "kw", "review", "explanation"),
    [
        ("≥200", "204.46", 10, {}, 10.0, "实际 204.46 ≥ 目标 200 → 满分 10.00"),
        ("≥15家", "12家", 6, {}, 4.8, "实际 12家 < 目标 15家 → 6 × 12 ÷ 15 = 4.80"),
        ("100%", "90%", 15, {}, 13.5, "实际 90% < 目标 100% → 15 × 90 ÷ 100 = 13.50"),
        ("100%", "100%", 6, {}, 6.0, "实际 100% = 目标 100% → 满分 6.00"),
        ("0次", "0次", 10, {}, 10.0, "实际 0次 = 目标 0次 → 满分 10.00"),
        ("0次", "1次", 10, {}, 0.0, "实际 1次 > 目标 0次 → 0.00"),
        ("≤5万元", "4.3万元", 7, {}, 7.0, "实际 4.3万元 ≤ 目标 5万元 → 满分 7.00"),
        ("≤10次", "12次", 10, {}, 8.0, "实际 12次 > 目标 10次 → 10 × (1 − (12 − 10) ÷ 10) = 8.00"),
        ("≤10次", "25次", 10, {}, 0.0, "实际 25次 ≥ 目标 10次 的 2 倍 → 0.00"),
        ("有效保护", "达成", 10, {}, 10.0, "定性：达成 → 满分 10.00"),
        ("有效保护", "部分达成", 10, {}, 8.0, "定性：部分达成 → 10 × 80% = 8.00"),
        ("有效保护", "未达成", 10, {}, 0.0, "定性：未达成 → 0.00"),
        ("—", "—", 5, {}, 0.0, "不适用：分值 5 按比例分给本一级其他指标"),
        (
            "持续强化",
            "还行吧",
            10,
            {"self_score": 7},
            7.0,
            "完成值「还行吧」不在评级词表中，暂按自评得分 → 7.00",
        ),
        ("≥15家", None, 6, {}, 0.0, "实际完成值未填写 → 0.00"),
    ],
)
def test_every_kind_of_indicator_explains_its_score(
    target, actual, weight, kw, review, explanation
):
    assert line(target, actual, weight, **kw) == (review, explanation)


def test_deadlines_explain_on_time_and_late():
    on_time = score_indicator(ind("10月", "10月", 7, level2="时效指标"), 7, RULES, form_year=2018)
    assert on_time.explanation == "实际 2018年10月，期限 2018年10月 → 按期完成，满分 7.00"
    late = score_indicator(ind("10月", "11月", 7, level2="时效指标"), 7, RULES, form_year=2019)
    assert late.explanation == "延迟 1 个月 → 7 × (1 − 1 × 10%) = 6.30"


def rules_file(tmp_path: Path, text: str) -> Rules:
    f = tmp_path / "r.toml"
    f.write_text(text, encoding="utf-8")
    return Rules.load(f)


def test_reverse_ratio_rule_and_zero_mode_and_penalty(tmp_path: Path):
    ratio = rules_file(tmp_path, '[indicators]\nreverse_rule = "ratio"\n')
    assert line("≤10次", "12次", rules=ratio) == (
        8.33,
        "实际 12次 > 目标 10次 → 10 × 10 ÷ 12 = 8.33",
    )
    assert line("≤10次", "25次", rules=ratio) == (
        4.0,
        "实际 25次 > 目标 10次 → 10 × 10 ÷ 25 = 4.00",
    )
    zero = rules_file(tmp_path, '[indicators]\nnot_applicable = "zero"\n')
    assert line("—", "—", 5, rules=zero) == (0.0, "不适用：分值 5 不计分")
    penalty = rules_file(
        tmp_path, "[indicators]\nover_penalty_ratio = 1.3\nover_penalty_points = 2.0\n"
    )
    assert line("≥100", "140", rules=penalty) == (
        8.0,
        "实际 140 ≥ 目标 100 × 1.3，超额过多扣 2 分 → 10 − 2 = 8.00",
    )
    assert line("≥100", "125", rules=penalty)[0] == 10.0  # below 1.3: no penalty


def test_budget_lines(tmp_path: Path):
    b = RULES.budget
    assert budget(0.9781, 10, b, "").explanation == "执行率 97.81% → 10 × 0.9781 = 9.78"
    assert (
        budget(1.025, 10, b, "").explanation
        == "执行率 102.50% → 满分 10.00（超过 100% 按 100% 计）"
    )
    assert budget(None, 10, b, "全年预算数未填或为 0，无法计算执行率").explanation == (
        "全年预算数未填或为 0，无法计算执行率 → 0.00"
    )
    tiers = rules_file(tmp_path, '[budget]\nrule = "tiers"\n').budget
    assert budget(0.92, 10, tiers, "").explanation == "执行率 92.00% ≥ 90% → 10 × 0.8 = 8.00"
    assert budget(0.96, 10, tiers, "").explanation == "执行率 96.00% ≥ 95% → 满分 10.00"
    assert budget(0.7, 10, tiers, "").explanation == "执行率 70.00% → 10 × 0.7 × 0.5 = 3.50"
    uncapped = rules_file(tmp_path, "[budget]\ncap_at_weight = false\n").budget
    s = budget(1.025, 10, uncapped, "")
    assert (s.value, s.explanation) == (10.25, "执行率 102.50% → 10 × 1.025 = 10.25")


def form(executed: float, indicators: tuple[Indicator, ...]) -> ProjectForm:
    total = FundRow(
        "total", "年度资金总额", 6, CellValue(100, "C6"), CellValue(100, "D6"),
        CellValue(executed, "E6"), weight=CellValue(10, "F6"),
    )  # fmt: skip
    return ProjectForm("f.xlsx", "Sheet1", "national-2020", year=2023, funds=(total,),
                       indicators=indicators)  # fmt: skip


def test_redistributed_weight_and_total_cap_are_explained(tmp_path: Path):
    rows = (
        ind("≥10个", "10个", 45, name="甲"),
        ind("—", "—", 45, name="乙"),
        ind("≥90%", "95%", 10, name="丙", level1="满意度指标"),
    )
    s = score_form(form(100, rows))
    assert (
        s.indicators[0].explanation
        == "分值 45 按不适用指标调整为 90；实际 10个 ≥ 目标 10个 → 满分 90.00"
    )
    assert s.indicators[1].explanation == "不适用：分值 45 按比例分给本一级其他指标"
    assert s.budget_explanation == "执行率 100.00% → 满分 10.00"
    capped = rules_file(
        tmp_path,
        "[totals]\ncaps = [{ below_rate = 0.8, max_total = 89 }, { below_rate = 0.7, max_total = 79 },"
        " { below_rate = 0.6, max_total = 69 }, { below_rate = 0.5, max_total = 59 }]\n",
    )
    low = score_form(form(65, rows), capped)
    assert low.total == 79.0 and low.grade == "中"
    assert low.total_explanation == "执行率 65.00% < 70% → 总分封顶 79（未封顶 106.50）"
    assert score_form(form(65, rows)).total == 106.5  # the default has no cap


def test_a_run_writes_the_lines_into_the_summary_and_the_review_sheet(tmp_path: Path):
    import openpyxl
    from conftest import KASHGAR_2019
    from typer.testing import CliRunner

    from perfxl.cli import app

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / KASHGAR_2019.name).write_bytes(KASHGAR_2019.read_bytes())
    r = CliRunner().invoke(app, ["run", str(inbox), "-o", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    sheet = openpyxl.load_workbook(tmp_path / "out" / "汇总表.xlsx")["指标明细"]
    rows = list(sheet.iter_rows(values_only=True))
    col = rows[0].index("计算过程")
    lines = {row[rows[0].index("三级指标")]: row[col] for row in rows[1:]}
    assert lines["完成监督检查任务时限"] == "延迟 1 个月 → 7 × (1 − 1 × 10%) = 6.30"
    assert lines["服务对象满意度"] == "实际 88% < 目标 90% → 10 × 88 ÷ 90 = 9.78"
    (copy,) = (tmp_path / "out" / "completed").iterdir()
    review = openpyxl.load_workbook(copy)["复核"]
    cells = {c.value for row in review.iter_rows() for c in row}
    assert "执行率 86.00% → 10 × 0.86 = 8.60" in cells
    assert "实际 12家 < 目标 15家 → 6 × 12 ÷ 15 = 4.80" in cells


def test_each_side_keeps_its_own_unit():
    assert line("≥15家", "15次")[1] == "实际 15次 ≥ 目标 15家 → 满分 10.00"
    assert line("≥15家", "12")[1] == "实际 12家 < 目标 15家 → 10 × 12 ÷ 15 = 8.00"
