"""The scoring formulas, each returning its score *and* the line that explains it.

A clerk must defend every review score to the unit that disagrees, so each
formula writes its arithmetic with the form's own numbers
(``实际 90% < 目标 100% → 15 × 90 ÷ 100 = 13.50``). Computing the number and
its explanation in the same function keeps the two from ever disagreeing.
Scores are rounded to 2 decimals here (half away from zero, as finance staff
round); the total is the sum of the rounded parts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from perfxl.rules.schema import Budget, Indicators
from perfxl.text import plain_number

_CENT = Decimal("0.01")


def r2(x: float) -> float:
    """Round half away from zero to 2 decimals (how finance staff round)."""
    if not math.isfinite(x) or abs(x) >= 1e15:  # absurd cell values: nothing to round
        return float(x)
    if round(x, 2) == x:  # already the double nearest a 2-decimal number: most scores
        return float(x)
    return float(Decimal(repr(x)).quantize(_CENT, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Scored:
    """A score and the one Chinese line that shows how it was computed."""

    value: float
    explanation: str


def num(x: float) -> str:
    """A number as the form would write it: 15, 4.3, 204.46, 0.9781."""
    return plain_number(x, 4)


def pts(x: float) -> str:
    """A score: always 2 decimals (6.30, 10.00)."""
    return f"{x:.2f}"


def pct(share: float) -> str:
    """A share as a percentage: 0.1 → 10%, 0.05 → 5%."""
    return num(round(share * 100, 6)) + "%"


def with_unit(x: float, unit: str) -> str:
    return f"{num(x)}{unit}"


def full(w: float) -> str:
    return f"满分 {pts(r2(w))}"


# -- budget execution ------------------------------------------------------------


def budget(rate: float | None, weight: float, rules: Budget, why_none: str) -> Scored:
    """The budget-execution score of ``rate`` (a fraction, uncapped)."""
    if rate is None:
        return Scored(0.0, f"{why_none} → 0.00")
    shown = f"执行率 {rate * 100:.2f}%"
    if rules.rule == "tiers":
        for tier in rules.tiers:
            if rate >= tier.min_rate - 1e-12:
                if tier.factor is not None:
                    v = r2(max(rate, 0.0) * weight * tier.factor)
                    return Scored(
                        v,
                        f"{shown} → {num(weight)} × {num(round(rate, 4))} × {num(tier.factor)} = {pts(v)}",
                    )
                share = 1.0 if tier.share is None else tier.share
                v = r2(weight * share)
                if share == 1.0:
                    return Scored(v, f"{shown} ≥ {pct(tier.min_rate)} → {full(weight)}")
                return Scored(
                    v, f"{shown} ≥ {pct(tier.min_rate)} → {num(weight)} × {num(share)} = {pts(v)}"
                )
        return Scored(0.0, f"{shown} 低于各档 → 0.00")
    if rules.cap_at_weight and rate >= 1.0:
        extra = "（超过 100% 按 100% 计）" if rate > 1.0 + 1e-12 else ""
        return Scored(r2(weight), f"{shown} → {full(weight)}{extra}")
    v = r2(max(rate, 0.0) * weight)
    return Scored(v, f"{shown} → {num(weight)} × {num(round(rate, 4))} = {pts(v)}")


# -- one indicator ---------------------------------------------------------------


def at_least(
    t: float, a: float, w: float, units: tuple[str, str], rules: Indicators, sign: str = "≥"
) -> Scored:
    """At least (and exactly with t > 0): shortfall pro rata, over-achievement capped,
    an optional penalty for a far over-achieved target. ``units``: (target's, actual's)."""
    tt, at = with_unit(t, units[0]), with_unit(a, units[1])
    if t <= 0:
        return Scored(r2(w), f"目标 {tt}，实际 {at} → {full(w)}")
    if a >= t:
        p_ratio, p_points = rules.over_penalty_ratio, rules.over_penalty_points
        if sign == "≥" and p_ratio and p_points and a >= p_ratio * t:
            v = r2(max(w - p_points, 0.0))
            return Scored(
                v,
                f"实际 {at} ≥ 目标 {tt} × {num(p_ratio)}，超额过多扣 {num(p_points)} 分 → "
                f"{num(w)} − {num(p_points)} = {pts(v)}",
            )
        return Scored(
            r2(w), f"实际 {at} {'≥' if sign == '≥' or a > t else '='} 目标 {tt} → {full(w)}"
        )
    v = r2(max(w * a / t, 0.0))
    return Scored(v, f"实际 {at} < 目标 {tt} → {num(w)} × {num(a)} ÷ {num(t)} = {pts(v)}")


def exactly_zero(a: float, w: float, units: tuple[str, str]) -> Scored:
    tt, at = with_unit(0, units[0]), with_unit(a, units[1])
    if a <= 0:
        return Scored(r2(w), f"实际 {at} = 目标 {tt} → {full(w)}")
    return Scored(0.0, f"实际 {at} > 目标 {tt} → 0.00")


def at_most(t: float, a: float, w: float, units: tuple[str, str], rules: Indicators) -> Scored:
    """At most (costs, complaints): linear to 0 at twice the target, or the ratio rule."""
    tt, at = with_unit(t, units[0]), with_unit(a, units[1])
    if a <= t:
        return Scored(r2(w), f"实际 {at} ≤ 目标 {tt} → {full(w)}")
    if t <= 0:
        return Scored(0.0, f"实际 {at} > 目标 {tt} → 0.00")
    if rules.reverse_rule == "ratio":
        v = r2(w * t / a)
        return Scored(v, f"实际 {at} > 目标 {tt} → {num(w)} × {num(t)} ÷ {num(a)} = {pts(v)}")
    if a >= 2 * t:
        return Scored(0.0, f"实际 {at} ≥ 目标 {tt} 的 2 倍 → 0.00")
    v = r2(w * (1 - (a - t) / t))
    return Scored(
        v, f"实际 {at} > 目标 {tt} → {num(w)} × (1 − ({num(a)} − {num(t)}) ÷ {num(t)}) = {pts(v)}"
    )


def month_text(month: float, index: float | None, has_year: bool) -> str:
    if has_year and index is not None:
        year = int((index - month) // 12)
        return f"{year}年{num(month)}月"
    return f"{num(month)}月"


def deadline(late: int, w: float, rules: Indicators, done: str, due: str) -> Scored:
    """A deadline missed by ``late`` whole months (≤ 0: on time or early)."""
    if late <= 0:
        return Scored(r2(w), f"实际 {done}，期限 {due} → 按期完成，{full(w)}")
    share = rules.late_share_per_month
    factor = 1 - late * share
    if factor <= 0:
        return Scored(
            0.0, f"延迟 {late} 个月 → {num(w)} × max(0, 1 − {late} × {pct(share)}) = 0.00"
        )
    v = r2(w * factor)
    return Scored(v, f"延迟 {late} 个月 → {num(w)} × (1 − {late} × {pct(share)}) = {pts(v)}")


def qualitative(band: str, w: float, rules: Indicators) -> Scored:
    share = float(rules.band_scores.get(band, 0.0))  # type: ignore[call-overload]
    v = r2(w * share)
    if share >= 1.0:
        return Scored(v, f"定性：{band} → {full(w)}")
    if share <= 0.0:
        return Scored(0.0, f"定性：{band} → 0.00")
    return Scored(v, f"定性：{band} → {num(w)} × {pct(share)} = {pts(v)}")


def not_applicable(weight: float, mode: str) -> Scored:
    if mode == "redistribute":
        return Scored(0.0, f"不适用：分值 {num(weight)} 按比例分给本一级其他指标")
    return Scored(0.0, f"不适用：分值 {num(weight)} 不计分")


def unscored(self_score: float | None, w: float, actual: str, actual_kind: str) -> Scored:
    """No rule applies: a word outside the grade table keeps the unit's own score
    (``self_score`` given, within 0..w); anything else scores 0."""
    if self_score is not None:
        v = r2(min(max(self_score or 0.0, 0.0), w))
        return Scored(v, f"完成值「{actual}」不在评级词表中，暂按自评得分 → {pts(v)}")
    if actual_kind == "empty":
        return Scored(0.0, "实际完成值未填写 → 0.00")
    if actual_kind == "qualitative":
        return Scored(0.0, f"完成值「{actual}」不是数值，无法与目标比较 → 0.00")
    return Scored(0.0, f"目标与实际完成值「{actual}」无法比较 → 0.00")
