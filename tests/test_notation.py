"""Tests of perfxl.notation.parse: every spelling units write reduces to one Reading."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from perfxl.notation.parse import Reading, normalize_text, parse_actual, parse_number, parse_target
from perfxl.notation.vocabulary import ISO_RE
from perfxl.rules.schema import Rules

# --- the table "Examples that must parse" (notation.md) ---------------------------
# (target, actual, level2, actual percent format,
#  expected target (kind, op, number, unit), expected actual (kind, number, unit, band))
EXAMPLES = [
    ("≥15家", "15家", "", False, ("number", ">=", 15, "家"), ("number", 15, "家", None)),
    ("15家以上", "18", "", False, ("number", ">=", 15, "家"), ("number", 18, "家", None)),
    ("≥1个", "1个", "", False, ("number", ">=", 1, "个"), ("number", 1, "个", None)),
    ("100%", "100%", "", False, ("number", "=", 100, "%"), ("number", 100, "%", None)),
    ("=100%", 0.95, "", True, ("number", "=", 100, "%"), ("number", 95, "%", None)),
    ("≥90%", "95%", "", False, ("number", ">=", 90, "%"), ("number", 95, "%", None)),
    ("≥100百分比", "100", "", False, ("number", ">=", 100, "%"), ("number", 100, "%", None)),
    ("≤90万元", "90", "", False, ("number", "<=", 90, "万元"), ("number", 90, "万元", None)),
    # the table says "exactly"; the default-direction rule and the worked example say
    # a bare number under 成本指标 is "at most" — the rule wins
    (
        "5万元",
        "50000元",
        "成本指标",
        False,
        ("number", "<=", 5, "万元"),
        ("number", 5, "万元", None),
    ),
    ("10月", "10月", "时效指标", False, ("time", "<=", 10, "月"), ("time", 10, "月", None)),
    ("10月底前", "9月", "时效指标", False, ("time", "<=", 10, "月"), ("time", 9, "月", None)),
    ("0次", "0", "", False, ("number", "=", 0, "次"), ("number", 0, "次", None)),
    ("≤10次", "12次", "", False, ("number", "<=", 10, "次"), ("number", 12, "次", None)),
    ("科目调整次数≤10次", "8", "", False, ("number", "<=", 10, "次"), ("number", 8, "次", None)),
    ("结余率≤5%", "3%", "", False, ("number", "<=", 5, "%"), ("number", 3, "%", None)),
    (
        "按月安排",
        "按月安排",
        "",
        False,
        ("qualitative", None, None, ""),
        ("qualitative", None, "", "达成"),
    ),
    (
        "严格执行相关制度规定",
        "达成预期指标",
        "",
        False,
        ("qualitative", None, None, ""),
        ("qualitative", None, "", "达成"),
    ),
    (
        "有效保护消费者合法权益",
        "有效",
        "",
        False,
        ("qualitative", None, None, ""),
        ("qualitative", None, "", "达成"),
    ),
    (
        "优良中低差",
        "优",
        "",
        False,
        ("qualitative", None, None, ""),
        ("qualitative", None, "", "达成"),
    ),
    ("定性", "优", "", False, ("qualitative", None, None, ""), ("qualitative", None, "", "达成")),
    ("43.2", "37.24", "", False, ("number", "=", 43.2, ""), ("number", 37.24, "", None)),
    ("≥ ９０％", "９３％", "", False, ("number", ">=", 90, "%"), ("number", 93, "%", None)),
]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize(("target", "actual", "level2", "pct", "want_t", "want_a"), EXAMPLES)
def test_examples_that_must_parse(
    target: str, actual: object, level2: str, pct: bool, want_t: tuple, want_a: tuple
) -> None:
    t = parse_target(target, level2=level2)
    assert (t.kind, t.op, t.unit) == (want_t[0], want_t[1], want_t[3])
    assert _close(t.number, want_t[2])
    a = parse_actual(actual, target=t, percent_format=pct)
    assert (a.kind, a.unit, a.band) == (want_a[0], want_a[2], want_a[3])
    assert _close(a.number, want_a[1])
    assert not a.ambiguous_percent


def test_qualitative_marker_in_nature_column() -> None:
    t = parse_target("优良中低差", nature="定性")
    assert t.kind == "qualitative"
    assert parse_actual("优", target=t).band == "达成"


# --- default direction ------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "level2", "op", "explicit"),
    [
        ("5万元", "成本指标", "<=", False),
        ("5万元", "数量指标", "=", False),
        ("43.2", "", "=", False),
        ("0次", "安全指标", "=", False),
        ("0起", "成本指标", "=", False),
        ("=0", "", "=", True),
        ("≤0次", "", "<=", True),
        ("≥5万元", "成本指标", ">=", True),
        ("30天", "时效指标", "<=", False),
        ("100%", "时效指标", "=", False),
    ],
)
def test_default_direction(target: str, level2: str, op: str, explicit: bool) -> None:
    r = parse_target(target, level2=level2)
    assert (r.kind, r.op, r.explicit_op) == ("number", op, explicit)


def test_zero_in_the_name() -> None:
    r = parse_target("0", name="重大事故发生次数为0", level2="社会效益指标")
    assert (r.kind, r.op, r.number) == ("number", "=", 0)
    r = parse_target("5", name="投诉次数≤5次")
    assert (r.op, r.number, r.unit) == ("<=", 5, "次")


def test_unit_in_the_name() -> None:
    r = parse_target("90", name="服务对象满意度（%）")
    assert (r.number, r.unit) == (90, "%")


# --- operators ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "op"),
    [
        *(
            (s + "90%", ">=")
            for s in ("≥", "≧", ">=", "＞＝", ">", "不低于", "不少于", "至少", "达到")
        ),
        *((s + "10次", "<=") for s in ("≤", "≦", "<=", "＜＝", "<", "不高于", "不超过", "低于")),
        *((s + "100%", "=") for s in ("=", "＝", "═", "为", "合格率为")),
        ("15家以上", ">="),
        ("10次以下", "<="),
        ("5万元以内", "<="),
        ("控制在5万元以内", "<="),
        ("控制在5%", "<="),
    ],
)
def test_operators(target: str, op: str) -> None:
    r = parse_target(target)
    assert (r.kind, r.op, r.explicit_op) == ("number", op, True)


# --- time ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "month"),
    [
        ("10月", 10),
        ("10月底前", 10),
        ("2018年10月底前", 10),
        ("12月31日前", 12),
        ("年底前", 12),
        ("2018年底前", 12),
        ("第三季度", 9),
        ("2018-10-31", 10),
    ],
)
def test_time_targets(target: str, month: int) -> None:
    r = parse_target(target, level2="时效指标")
    assert (r.kind, r.op, r.number, r.unit) == ("time", "<=", month, "月")


def test_month_count_is_a_number_not_a_month() -> None:
    r = parse_target("≤10个月")
    assert (r.kind, r.op, r.number, r.unit) == ("number", "<=", 10, "月")
    assert parse_actual("9个月", target=r).number == 9
    assert parse_actual("11月", target=r).kind == "number"  # not read as "November"


@pytest.mark.parametrize("target", ["按月", "按季度", "按月安排"])
def test_cadence_is_qualitative(target: str) -> None:
    assert parse_target(target, level2="时效指标").kind == "qualitative"


@pytest.mark.parametrize(
    ("actual", "month"),
    [
        ("10月", 10),
        ("9月底", 9),
        ("11月", 11),
        ("已于10月完成", 10),
        (date(2018, 9, 30), 9),
        (datetime(2018, 11, 2, 8, 30), 11),
        ("2018-10-31 00:00:00", 10),
        (43404, 10),  # Excel serial number of 2018-10-31
        (10, 10),
    ],
)
def test_time_actuals(actual: object, month: int) -> None:
    a = parse_actual(actual, target=parse_target("10月底前"))
    assert (a.kind, a.number) == ("time", month)


def test_date_target_cell_and_serial_number() -> None:
    assert parse_target(date(2018, 10, 31)).number == 10
    assert parse_target(43404, level2="时效指标").kind == "time"
    assert parse_target(43404, level2="数量指标").kind == "number"


# --- split variant -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("nature", "value", "unit", "want"),
    [
        ("≥", "15", "家", ("number", ">=", 15, "家")),
        ("≤", 10, "次", ("number", "<=", 10, "次")),
        ("=", "100", "%", ("number", "=", 100, "%")),
        ("＝", 100, "百分比", ("number", "=", 100, "%")),
        ("≤", 50000, "元", ("number", "<=", 5, "万元")),
        ("≤", "10", "月", ("time", "<=", 10, "月")),
        ("", 15, "家", ("number", "=", 15, "家")),
        ("定性", "优良中低差", "", ("qualitative", None, None, "")),
        ("定性", "好", None, ("qualitative", None, None, "")),
    ],
)
def test_split_nature_and_unit(nature: str, value: object, unit: object, want: tuple) -> None:
    r = parse_target(value, nature=nature, unit=unit)
    assert (r.kind, r.op, r.number, r.unit) == want
    if r.kind == "number":
        assert r.explicit_op == bool(nature)


def test_split_actual_read_in_unit_column() -> None:
    t = parse_target(50000, nature="≤", unit="元")
    a = parse_actual(48000, target=t, unit="元")
    assert (a.kind, a.number, a.unit) == ("number", 4.8, "万元")


# --- actuals ------------------------------------------------------------------------


def test_operator_in_actual_is_ignored() -> None:
    t = parse_target("≥266米")
    a = parse_actual("≥266米", target=t)
    assert (a.kind, a.op, a.number, a.unit) == ("number", None, 266, "米")


def test_money_converted_and_bare_actual_in_target_written_unit() -> None:
    t = parse_target("50000元")
    assert (t.number, t.unit) == (5, "万元")
    assert parse_actual("48000", target=t).number == 4.8
    assert parse_actual("4.8万元", target=t).number == 4.8
    assert parse_actual("0.01亿元", target=parse_target("≤90万元")).number == 100


def test_percent_actuals() -> None:
    t = parse_target("≥90%")
    assert parse_actual(0.93, target=t, percent_format=True).number == 93
    a = parse_actual(95, target=t)
    assert (a.number, a.unit, a.ambiguous_percent) == (95, "%", False)
    a = parse_actual(0.95, target=t)
    assert (a.number, a.unit, a.ambiguous_percent) == (95, "%", True)
    a = parse_actual("0.95", target=t)
    assert (a.number, a.ambiguous_percent) == (95, True)
    a = parse_actual("95%", target=t)
    assert (a.number, a.ambiguous_percent) == (95, False)
    assert parse_actual(0.5, target=parse_target("≥15家")).ambiguous_percent is False


def test_incompatible_units_stay_visible() -> None:
    t = parse_target("≥15家")
    a = parse_actual("15次", target=t)
    assert (a.kind, a.unit) == ("number", "次")
    assert a.unit != t.unit


@pytest.mark.parametrize(
    ("word", "band"),
    [
        ("达成", "达成"),
        ("已完成。", "达成"),
        ("基本完成", "部分达成"),
        ("较好", "部分达成"),
        ("未完成", "未达成"),
        ("不合格", "未达成"),
        ("还行吧", None),
    ],
)
def test_qualitative_bands(word: str, band: str | None) -> None:
    a = parse_actual(word, target=parse_target("持续强化"))
    assert (a.kind, a.band) == ("qualitative", band)


def test_words_come_from_rules(tmp_path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[words]\nachieved = ["圆满"]\n', encoding="utf-8")
    rules = Rules.load(path)
    t = parse_target("持续强化", rules=rules)
    assert parse_actual("圆满", target=t, rules=rules).band == "达成"
    assert parse_actual("达成", target=t, rules=rules).band is None


def test_number_against_qualitative_target() -> None:
    a = parse_actual(95, target=parse_target("有效"))
    assert (a.kind, a.number) == ("number", 95)
    a = parse_actual("达成", target=parse_target("≥15家"))
    assert (a.kind, a.band) == ("qualitative", "达成")


@pytest.mark.parametrize("marker", ["—", "-", "/", "*", "无", "不适用", "——", "N/A", "／"])
def test_not_applicable(marker: str) -> None:
    assert parse_target(marker).kind == "na"
    assert parse_actual(marker, target=parse_target("≥15家")).kind == "na"
    assert parse_number(marker) is None


def test_none_against_zero_target_is_zero() -> None:
    a = parse_actual("无", target=parse_target("0起"))
    assert (a.kind, a.number, a.unit) == ("number", 0, "起")


@pytest.mark.parametrize("value", [None, "", "  ", "\u3000"])
def test_empty(value: object) -> None:
    assert parse_target(value).kind == "empty"
    assert parse_actual(value, target=parse_target("≥1个")).kind == "empty"


@pytest.mark.parametrize("target", ["≥", "≥abc", ">=约五", "约五万", "≤", float("nan"), True])
def test_unparsable_targets(target: object) -> None:
    assert parse_target(target).kind == "unparsable"


@pytest.mark.parametrize("actual", ["约五万", "≥", float("inf"), False])
def test_unparsable_actuals(actual: object) -> None:
    assert parse_actual(actual, target=parse_target("≥5万元")).kind == "unparsable"


def test_range_and_misc_targets() -> None:
    r = parse_target("90%-100%")
    assert (r.op, r.number, r.unit) == (">=", 90, "%")
    r = parse_target("4-5万元", level2="成本指标")
    assert (r.op, r.number, r.unit) == ("<=", 5, "万元")
    assert parse_target("完成2019年度工作任务").kind == "qualitative"
    assert parse_target("一般").kind == "qualitative"
    assert parse_target("10个工作日内").op == "<="
    r = parse_target(0.9, percent_format=True)
    assert (r.number, r.unit) == (90, "%")
    r = parse_target("≥3个百分点")
    assert (r.number, r.unit) == (3, "%")
    r = parse_target("1.2亿元")
    assert (r.number, r.unit) == (12000, "万元")
    a = parse_actual("2019.10", target=parse_target("≥2000万元"))
    assert (a.kind, a.number, a.unit) == ("number", 2019.1, "万元")


# --- normalize_text / parse_number ---------------------------------------------------


def test_normalize_text() -> None:
    assert normalize_text("≥ ９０．５％") == "≥90.5%"
    assert normalize_text("＞＝１\u3000５") == ">=15"
    assert normalize_text("≧≦═") == "≧≦═"
    assert normalize_text("①完成") == "①完成"  # list markers do not become digits
    assert normalize_text("ＡＢｃ\n") == "ABc"
    assert normalize_text(None) == ""
    assert normalize_text(15.0) == "15"


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (43.2, 43.2),
        (7, 7.0),
        ("43.2", 43.2),
        ("４３．２", 43.2),
        ("1,234.5", 1234.5),
        ("5万元", 5.0),
        ("50000元", 50000.0),
        ("86%", 0.86),
        ("８６％", 0.86),
        ("-3", -3.0),
        ("约五万", None),
        ("约5万", None),
        ("", None),
        (None, None),
        ("—", None),
        ("不适用", None),
        (True, None),
        (float("nan"), None),
        (float("inf"), None),
        (10**400, None),
        (date(2018, 1, 1), None),
        ("1,23", None),
        ("abc", None),
    ],
)
def test_parse_number(value: object, want: float | None) -> None:
    assert parse_number(value) == want


# --- properties -------------------------------------------------------------------------

_FW = str.maketrans("0123456789.%<>=", "０１２３４５６７８９．％＜＞＝")
_OPS = ["", ">=", "<=", "=", ">", "<", "≥", "≤", "不低于", "不超过"]
_UNITS = ["", "%", "家", "次", "万元", "元", "个", "人次"]
_CELLS = st.one_of(
    st.none(),
    st.text(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    st.datetimes(),
)


def _blank(r: Reading) -> Reading:
    return dataclasses.replace(r, text="")


@settings(max_examples=200, deadline=None)
@given(value=_CELLS, nature=st.text(max_size=4), unit=st.text(max_size=4), name=st.text())
def test_target_never_raises(value: object, nature: str, unit: str, name: str) -> None:
    r = parse_target(value, nature=nature, unit=unit, name=name, level2="成本指标")
    assert r.kind in ("number", "time", "qualitative", "na", "empty", "unparsable")


@settings(max_examples=200, deadline=None)
@given(value=_CELLS, target=st.text(), pct=st.booleans())
def test_actual_never_raises(value: object, target: str, pct: bool) -> None:
    t = parse_target(target)
    a = parse_actual(value, target=t, percent_format=pct)
    assert a.kind in ("number", "time", "qualitative", "na", "empty", "unparsable")
    assert a.number is None or math.isfinite(a.number)


@settings(max_examples=200, deadline=None)
@given(
    number=st.integers(0, 10**7).map(lambda n: n / 100),
    op=st.sampled_from(_OPS),
    unit=st.sampled_from(_UNITS),
    spaces=st.booleans(),
)
def test_full_width_parses_like_ascii(number: float, op: str, unit: str, spaces: bool) -> None:
    # 2084.01 reads as a date (year.month, notation.md): a time, not a number
    assume(not ISO_RE.match(f"{number:.2f}"))
    ascii_text = f"{op}{number:.2f}{unit}"
    wide = ascii_text.translate(_FW)
    if spaces:
        wide = "\u3000" + wide.replace("．", " ．") + " "
    t1, t2 = parse_target(ascii_text), parse_target(wide)
    assert _blank(t1) == _blank(t2)
    assert t1.kind == "number" and t1.number is not None
    assert _blank(parse_actual(ascii_text, target=t1)) == _blank(parse_actual(wide, target=t2))


@settings(max_examples=200, deadline=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False))
def test_parse_number_round_trips_floats(x: float) -> None:
    assert parse_number(str(x)) == x
    assert parse_number(str(x).translate(_FW)) == x


@settings(max_examples=200, deadline=None)
@given(n=st.integers(-(2**53), 2**53))
def test_parse_number_round_trips_ints(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 10**6), unit=st.sampled_from(["%", "％", "百分比"]))
def test_percent_formats(n: int, unit: str) -> None:
    x = n / 100
    assert parse_number(f"{x}{unit}") == pytest.approx(x / 100, rel=1e-12)
    t = parse_target(f"≥{x:.2f}{unit}")
    assert (t.op, t.unit) == (">=", "%") and t.number == pytest.approx(x, rel=1e-12)
    a = parse_actual(x / 100, target=t, percent_format=True)
    assert a.unit == "%" and a.number == pytest.approx(x, rel=1e-9, abs=1e-9)
