"""Deadlines carry their year: lateness is counted in whole months across years,
every month late costs ``late_share_per_month`` of the weight, durations stay
at-most targets, and 按期完成 as the actual of a deadline is achieved."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import KASHGAR_2019

from perfxl.model import CellValue, Indicator
from perfxl.notation.parse import parse_actual, parse_target
from perfxl.rules.schema import Rules
from perfxl.score.card import score_file
from perfxl.score.compute import score_indicator

RULES = Rules.load()


def timely(target, actual, weight=10.0, year: int | None = 2023, rules: Rules = RULES):
    ind = Indicator(
        "产出指标", "时效指标", "完成时限", 10,
        target=CellValue(target, "E10"), actual=CellValue(actual, "F10"),
        weight=CellValue(weight, "G10"),
    )  # fmt: skip
    return score_indicator(ind, weight, rules, form_year=year)


@pytest.mark.parametrize(
    ("target", "actual", "late"),
    [
        ("2023年12月底前", "2024年2月", 2),  # the issue's case
        ("12月31日前", "次年1月", 1),  # no year: the form's year; 次年 is the next
        ("12月31日前", "下年1月", 1),
        ("12月31日前", "2024年1月", 1),
        ("12月31日前", datetime(2024, 3, 20), 3),  # a date cell carries its year
        ("12月31日前", date(2023, 12, 20), 0),
        (datetime(2023, 12, 31), datetime(2024, 1, 15), 1),  # date cells on both sides
        (datetime(2023, 6, 30), "2023年7月", 1),
        ("2023-12-31", "2024-01-10", 1),  # ISO dates
        ("年底前", "次年2月", 2),
        ("10月底前", "11月", 1),  # same year, as before
        ("10月", "10月", 0),
        ("10月底前", "9月", 0),  # early
        ("2024年3月", "2023年12月", 0),  # early across years
        ("2023年12月", "2023年11月", 0),
        ("第三季度", "2023年10月", 1),
        ("上半年", "8月", 2),
        ("12月31日前", "2024年12月", 12),  # over 10 months: nothing left
    ],
)
def test_lateness_is_counted_across_years(target, actual, late):
    s = timely(target, actual)
    assert s.rule == "time"
    assert s.review == pytest.approx(max(0.0, 10 * (1 - 0.1 * late)))
    assert s.achieved is (late == 0)


def test_the_issue_example_scores_and_explains():
    s = timely("2023年12月底前", "2024年2月", weight=8)
    assert s.review == 6.4
    assert s.explanation == "延迟 2 个月 → 8 × (1 − 2 × 10%) = 6.40"
    s = timely("2023年12月底前", "2023年11月", weight=8)
    assert s.explanation == "实际 2023年11月，期限 2023年12月 → 按期完成，满分 8.00"


def test_a_date_cell_is_read_with_its_year():
    target = parse_target("12月31日前", level2="时效指标", rules=RULES)
    assert (target.number, target.year, target.year_offset) == (12, None, 0)
    actual = parse_actual(datetime(2024, 3, 20), target=target, rules=RULES)
    assert (actual.number, actual.year) == (3, 2024)
    nxt = parse_actual("次年1月", target=target, rules=RULES)
    assert (nxt.number, nxt.year, nxt.year_offset) == (1, None, 1)
    assert target.month_index(2023) == 2023 * 12 + 12
    assert nxt.month_index(2023) == 2024 * 12 + 1


def test_without_any_year_months_still_count_and_next_year_is_later():
    assert timely("12月", "次年1月", year=None).review == 9.0
    assert timely("10月", "11月", year=None).review == 9.0
    assert timely("10月", "9月", year=None).review == 10.0


@pytest.mark.parametrize("word", ["按期完成", "按时完成", "已按期完成", "如期完成"])
def test_done_on_schedule_as_the_actual_of_a_deadline_is_achieved(word):
    s = timely("10月底前", word)
    assert s.review == 10.0 and s.achieved
    assert s.explanation == "定性：达成 → 满分 10.00"


def test_durations_stay_at_most_targets():
    s = timely("≤10个月", "12个月")
    assert s.rule == "<=" and s.review == 8.0  # 10 × (1 − 2 ÷ 10), not a calendar month
    assert timely("≤30天", "25天").review == 10.0


def test_late_share_comes_from_the_rules(tmp_path: Path):
    f = tmp_path / "r.toml"
    f.write_text("[indicators]\nlate_share_per_month = 0.25\n", encoding="utf-8")
    rules = Rules.load(f)
    s = timely("12月31日前", "次年2月", rules=rules)
    assert s.review == 5.0
    assert s.explanation == "延迟 2 个月 → 10 × (1 − 2 × 25%) = 5.00"


def test_worked_example_still_gives_6_30():
    card = score_file(KASHGAR_2019, RULES)
    ((_, score),) = card.reviews
    deadline = next(s for s in score.indicators if s.indicator.name == "完成监督检查任务时限")
    assert deadline.review == 6.3
    assert deadline.explanation == "延迟 1 个月 → 7 × (1 − 1 × 10%) = 6.30"
    assert score.total == 82.08 and score.grade == "良"


def test_without_the_form_year_a_side_without_year_takes_the_other_sides():
    assert timely("2019年10月底前", "11月", year=None).review == 9.0
    assert timely("10月底前", "2019年9月", year=None).review == 10.0
    assert timely("10月底前", "次年1月", year=None).review == 7.0
