"""Every scoring rule, with its boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfxl.model import CellValue, FundRow, Indicator, ProjectForm
from perfxl.rules.schema import Rules
from perfxl.score.compute import budget_score, r2, score_form, score_indicator

RULES = Rules.load()


def ind(
    target,
    actual,
    weight=10.0,
    self_score=None,
    level1="产出指标",
    level2="数量指标",
    name="指标",
    **kw,
):
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        row=10,
        target=CellValue(target, "E10"),
        actual=CellValue(actual, "F10", percent=kw.get("percent", False)),
        weight=CellValue(weight, "G10"),
        score=CellValue(self_score, "H10"),
    )


def review(target, actual, weight=10.0, **kw) -> float:
    return score_indicator(ind(target, actual, weight, **kw), weight, RULES).review


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥15家", "15家", 10.0),  # A = T
        ("≥15家", "18家", 10.0),
        ("≥15家", "12家", 8.0),  # pro rata
        ("≥15家", "0家", 0.0),
        ("≥0个", "0个", 10.0),  # T = 0 -> w
    ],
)
def test_at_least(target, actual, expected):
    assert review(target, actual) == expected


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("100%", "100%", 10.0),
        ("100%", "95%", 9.5),  # shortfall pro rata
        ("100%", "110%", 10.0),  # over-achievement capped
        ("0次", "0次", 10.0),  # T = 0, A <= 0
        ("0次", "1次", 0.0),  # T = 0, A > 0
        ("=0", "0", 10.0),
    ],
)
def test_exactly(target, actual, expected):
    assert review(target, actual) == expected


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≤10次", "10次", 10.0),  # A = T
        ("≤10次", "8次", 10.0),
        ("≤10次", "12次", 8.0),  # w (1 - (A-T)/T)
        ("≤10次", "20次", 0.0),  # A = 2T
        ("≤10次", "25次", 0.0),
        ("≤0次", "1次", 0.0),  # T = 0 and A > 0
        ("≤0次", "0次", 10.0),
    ],
)
def test_at_most(target, actual, expected):
    assert review(target, actual) == expected


def test_cost_bare_number_is_at_most():
    s = score_indicator(ind("5万元", "4.3万元", 7, level2="成本指标"), 7, RULES)
    assert (s.rule, s.review) == ("<=", 7.0)
    assert score_indicator(ind("5万元", "50000元", 7, level2="成本指标"), 7, RULES).review == 7.0


def test_time_by_month():
    assert review("10月", "10月", 7, level2="时效指标") == 7.0
    assert review("10月底前", "9月", 7, level2="时效指标") == 7.0
    assert review("10月", "11月", 7, level2="时效指标") == 6.3  # 7 x (1 - 1/10)
    assert review("10月", "20月", 7, level2="时效指标") == 0.0


@pytest.mark.parametrize(
    ("actual", "share"),
    [
        ("达成", 1.0),
        ("部分达成", 0.8),
        ("基本完成", 0.8),
        ("未达成", 0.0),
        ("有效保护消费者合法权益", 1.0),
    ],
)
def test_qualitative_bands(actual, share):
    assert review("有效保护消费者合法权益", actual) == 10 * share


def test_qualitative_unknown_uses_self_score_within_weight():
    s = score_indicator(ind("持续强化", "还行吧", 10, self_score=7), 10, RULES)
    assert (s.rule, s.review, s.band) == ("unscored", 7.0, None)
    s = score_indicator(ind("持续强化", "还行吧", 10, self_score=15), 10, RULES)
    assert s.review == 10.0


def test_over_achievement_is_full_score_and_flagged():
    s = score_indicator(ind("≥15家", "18家"), 10, RULES)
    assert (s.review, s.over_achieved) == (10.0, True)  # 18 >= 1.2 x 15
    s = score_indicator(ind("≥15家", "17家"), 10, RULES)
    assert s.over_achieved is False


def test_percent_cell_against_percent_target():
    s = score_indicator(ind("≥90%", 0.88, percent=True), 10, RULES)
    assert (s.actual_number, s.review, s.ambiguous_percent) == (88.0, 9.78, False)
    s = score_indicator(ind("≥90%", 0.88), 10, RULES)
    assert (s.actual_number, s.ambiguous_percent) == (88.0, True)


def test_missing_actual_scores_zero():
    s = score_indicator(ind("≥15家", None), 10, RULES)
    assert (s.review, s.achieved) == (0.0, False)


def test_unreadable_actual_scores_zero():
    assert review("≥15家", "约五万") == 0.0


def test_rounding_is_half_up():
    assert r2(9.775) == 9.78
    assert r2(0.125) == 0.13
    assert r2(2.675) == 2.68


def _form(indicators, budget=5.0, executed=5.0, weight=10.0, total_self=None):
    funds = (
        FundRow(
            "total",
            "年度资金总额",
            6,
            CellValue(budget, "D6"),
            CellValue(budget, "E6"),
            CellValue(executed, "F6"),
            CellValue(weight, "G6"),
        ),
    )
    cats = tuple(dict.fromkeys((i.level1, i.level2) for i in indicators))
    return ProjectForm(
        file="t.xlsx",
        sheet="S",
        variant="national-2020",
        funds=funds,
        indicators=tuple(indicators),
        categories=cats,
        total_self=CellValue(total_self, "H30"),
    )


def test_budget_execution_proportional_and_capped():
    assert budget_score(0.86, 10, RULES) == 8.6
    assert budget_score(1.025, 10, RULES) == 10.0
    assert budget_score(None, 10, RULES) == 0.0
    s = score_form(_form([ind("≥1个", "1个", 90)], budget=4.0, executed=4.1))
    assert (
        s.rate == pytest.approx(1.025) and s.budget_score == 10.0
    )  # rate shown as is, score capped


def test_budget_tiers_rule(tmp_path: Path):
    f = tmp_path / "r.toml"
    f.write_text('[budget]\nrule = "tiers"\n', encoding="utf-8")
    tiers = Rules.load(f)
    assert budget_score(0.96, 10, tiers) == 10.0
    assert budget_score(0.92, 10, tiers) == 8.0
    assert budget_score(0.85, 10, tiers) == 6.0
    assert budget_score(0.5, 10, tiers) == 2.5  # rate x weight x 0.5


def test_budget_weight_from_form_or_default():
    s = score_form(_form([ind("≥1个", "1个", 80)], weight=20.0))
    assert (s.budget_weight, s.total) == (20.0, 100.0)
    s = score_form(_form([ind("≥1个", "1个", 90)], weight=None))
    assert (s.budget_weight, s.total) == (10.0, 100.0)


def test_not_applicable_weight_redistributed_within_level1():
    inds = [
        ind("≥10个", "10个", 20, name="a"),
        ind("—", "—", 20, name="b"),
        ind("≥10个", "5个", 10, name="c", level1="效益指标"),
        ind("≥10个", "10个", 40, name="d"),
    ]
    s = score_form(_form(inds))
    by = {x.indicator.name: x for x in s.indicators}
    assert by["b"].achieved is None and by["b"].review == 0.0
    # 产出指标 keeps its 80 points: b's 20 go to a and d pro rata (20:40)
    assert by["a"].effective_weight == pytest.approx(80 * 20 / 60)
    assert by["d"].effective_weight == pytest.approx(80 * 40 / 60)
    assert by["a"].review == 26.67 and by["d"].review == 53.33
    assert by["c"].effective_weight == 10.0  # another 一级 is untouched
    assert s.level3_count == 4 and s.applicable_count == 3


def test_not_applicable_zero_mode(tmp_path: Path):
    f = tmp_path / "r.toml"
    f.write_text('[indicators]\nnot_applicable = "zero"\n', encoding="utf-8")
    inds = [ind("≥10个", "10个", 45, name="a"), ind("不适用", "不适用", 45, name="b")]
    s = score_form(_form(inds), Rules.load(f))
    assert s.total == 55.0  # 10 budget + 45 + 0


def test_weights_not_100_total_is_not_rescaled():
    inds = [ind("≥1个", "1个", 50), ind("≥1个", "1个", 50)]
    assert score_form(_form(inds)).total == 110.0


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (100, "优"),
        (90.0, "优"),
        (89.99, "良"),
        (80, "良"),
        (79.99, "中"),
        (60, "中"),
        (59.99, "差"),
    ],
)
def test_grades(total, grade):
    assert RULES.grade(total) == grade


def test_grade_thresholds_from_rules_file(tmp_path: Path):
    f = tmp_path / "r.toml"
    f.write_text(
        '[grades]\nthresholds = [[80.0, "优"], [70.0, "良"], [60.0, "中"]]\n', encoding="utf-8"
    )
    strict = Rules.load(f)
    assert (strict.grade(82.08), RULES.grade(82.08)) == ("优", "良")
    s = score_form(_form([ind("≥10个", "8个", 90)]), strict)  # 10 + 72 = 82
    assert (s.total, s.grade) == (82.0, "优")


@settings(max_examples=500, deadline=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e16, max_value=1e16))
def test_r2_is_decimal_half_up(x: float) -> None:
    """The fast path (values already at 2 decimals) agrees with the Decimal rounding."""
    from decimal import ROUND_HALF_UP, Decimal

    expected = (
        x if abs(x) >= 1e15 else float(Decimal(repr(x)).quantize(Decimal("0.01"), ROUND_HALF_UP))
    )
    assert r2(x) == expected
