"""Review scores (复核得分) as spec/scoring.md defines them.

The scorer never trusts what the form wrote in its computed cells: it
recomputes execution rate, budget score, every indicator score, the total and
the grade from the raw amounts, targets and actuals. What the unit wrote is
kept as the self score for comparison (validate.py turns gaps into findings).
"""

from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from perfxl.model import CellValue, Indicator, IndicatorScore, ProjectForm, ProjectScore
from perfxl.notation.parse import Reading, parse_actual, parse_number, parse_target
from perfxl.rules.schema import DEFAULT, Rules

_CENT = Decimal("0.01")


def r2(x: float) -> float:
    """Round half away from zero to 2 decimals (how finance staff round)."""
    if not math.isfinite(x) or abs(x) >= 1e15:  # absurd cell values: nothing to round
        return float(x)
    if round(x, 2) == x:  # already the double nearest a 2-decimal number: most scores
        return float(x)
    return float(Decimal(repr(x)).quantize(_CENT, rounding=ROUND_HALF_UP))


def amount(cv: CellValue, factor: float) -> float | None:
    """An amount cell in 万元 (None when empty or not a number). Rounded to 6
    decimals: 元 amounts have at most 2, so nothing real is lost, and 62200 元
    reads as 6.22 万元, not 6.220000000000001."""
    n = parse_number(cv.value)
    return None if n is None else round(n * factor, 6)


def number(cv: CellValue) -> float | None:
    return parse_number(cv.value)


def budget_figures(form: ProjectForm) -> tuple[float | None, float | None, float | None]:
    """(年初预算数, 全年预算数, 全年执行数) of the total row in 万元.

    A total row left at 0 (or empty) while the source rows hold money falls
    back to the sum of the source rows (validate reports sources-not-sum).
    """
    total = form.fund("total")
    sources = [f for f in form.funds if f.kind != "total"]
    out = []
    for attr in ("initial", "budget", "executed"):
        value = amount(getattr(total, attr), form.money_factor) if total else None
        parts = [amount(getattr(f, attr), form.money_factor) for f in sources]
        known = [p for p in parts if p is not None]
        if (value is None or value == 0) and known and sum(known) > 0:
            value = sum(known)
        out.append(value)
    return out[0], out[1], out[2]


def budget_score(rate: float | None, weight: float, rules: Rules) -> float:
    if rate is None:
        return 0.0
    if rules.get("budget.rule") == "tiers":
        for tier in rules.get("budget.tiers"):
            if rate >= tier.get("min_rate", 0.0) - 1e-12:
                if "factor" in tier:
                    return r2(max(rate, 0.0) * weight * tier["factor"])
                return r2(weight * tier.get("share", 1.0))
        return 0.0
    return r2(max(min(rate, 1.0), 0.0) * weight)


def read_indicator(ind: Indicator, rules: Rules) -> tuple[Reading, Reading]:
    """The indicator's target and actual, parsed (Readings are immutable)."""
    cells = (ind.target.value, ind.nature.value, ind.unit.value, ind.actual.value)
    return _read_cells(
        tuple((type(v), v) for v in cells),
        (ind.target.percent, ind.actual.percent),
        ind.level2,
        ind.name,
        rules,
    )


@functools.lru_cache(maxsize=8192)
def _read_cells(
    typed: tuple[tuple[type, Any], ...],
    percent: tuple[bool, bool],
    level2: str,
    name: str,
    rules: Rules,
) -> tuple[Reading, Reading]:
    """Memoised on the cells' values (with their types: 1, 1.0 and True are
    equal keys but different cells): forms repeat the same targets and
    actuals ("≥95%", "100%", "达成") across thousands of indicators."""
    target_v, nature, unit, actual_v = (v for _, v in typed)
    # a percent number format means the same in the target cell as in the actual cell
    target = parse_target(
        target_v,
        nature=nature,
        unit=unit,
        level2=level2,
        name=name,
        rules=rules,
        percent_format=percent[0],
    )
    actual = parse_actual(
        actual_v, target=target, percent_format=percent[1], unit=unit, rules=rules
    )
    return target, actual


def _ratio_score(op: str, t: float, a: float, w: float) -> float:
    """The quantitative rules of scoring.md for weight w, target t, actual a."""
    if op == "<=":
        if a <= t:
            return w
        if t <= 0:
            return 0.0
        if a >= 2 * t:
            return 0.0
        return w * (1 - (a - t) / t)
    if op == "=" and t == 0:
        return w if a <= 0 else 0.0
    # at least, and exactly (shortfall pro rata, over-achievement capped)
    if t <= 0 or a >= t:
        return w
    return max(w * a / t, 0.0)


def score_indicator(
    ind: Indicator, w_eff: float, rules: Rules, reading: tuple[Reading, Reading] | None = None
) -> IndicatorScore:
    target, actual = reading or read_indicator(ind, rules)
    weight = number(ind.weight) or 0.0
    self_score = number(ind.score)
    bands = rules.get("indicators.band_scores")
    rule, review, achieved, over = "unscored", 0.0, False, False
    t_num, a_num = target.number, actual.number
    if target.kind == "na" or actual.kind == "na":
        rule, achieved = "na", None
        review = 0.0
    elif actual.band is not None and (
        target.kind in ("qualitative", "unparsable", "empty") or actual.kind == "qualitative"
    ):
        rule = "qualitative"
        review = w_eff * float(bands.get(actual.band, 0.0))
    elif (
        target.kind in ("number", "time")
        and actual.kind in ("number", "time")
        and t_num is not None
        and a_num is not None
    ):
        op = "<=" if target.kind == "time" else (target.op or "=")
        rule = "time" if target.kind == "time" else op
        review = _ratio_score(op, t_num, a_num, w_eff)
        ratio = rules.get("indicators.over_achievement_ratio")
        over = op == ">=" and t_num > 0 and a_num >= ratio * t_num
    elif actual.kind == "qualitative" and target.kind in ("qualitative", "unparsable"):
        # a word outside the grade table: trust the unit's own score within 0..w
        rule = "unscored"
        review = min(max(self_score or 0.0, 0.0), w_eff)
    review = r2(review)
    if achieved is not None:
        achieved = review >= r2(w_eff) - 1e-9 and w_eff > 0
    return IndicatorScore(
        indicator=ind,
        rule=rule,
        target_op=target.op or "",
        target_number=t_num,
        actual_number=a_num,
        unit=target.unit or actual.unit,
        band=actual.band,
        weight=weight,
        effective_weight=w_eff,
        self_score=self_score,
        review=review,
        achieved=achieved,
        over_achieved=over,
        target_kind=target.kind,
        actual_kind=actual.kind,
        target_unit=target.unit,
        actual_unit=actual.unit,
        ambiguous_percent=actual.ambiguous_percent,
        explicit_op=target.explicit_op,
    )


def effective_weights(
    form: ProjectForm, rules: Rules, readings: list[tuple[Reading, Reading]]
) -> list[float]:
    """Each indicator's weight after redistributing not-applicable ones pro rata
    over the rest of the same 一级 (or leaving them, in "zero" mode)."""
    weights = [number(i.weight) or 0.0 for i in form.indicators]
    if rules.get("indicators.not_applicable") != "redistribute":
        return weights
    na = [t.kind == "na" or a.kind == "na" for t, a in readings]
    out = list(weights)
    for level1 in {i.level1 for i in form.indicators}:
        idx = [k for k, i in enumerate(form.indicators) if i.level1 == level1]
        freed = sum(weights[k] for k in idx if na[k])
        kept = sum(weights[k] for k in idx if not na[k])
        if freed and kept:
            for k in idx:
                out[k] = 0.0 if na[k] else weights[k] * (kept + freed) / kept
    return out


def score_form(form: ProjectForm, rules: Rules = DEFAULT) -> ProjectScore:
    """The review of one form. Pure: the same form and rules give the same score."""
    initial, budget, executed = budget_figures(form)
    rate = executed / budget if budget and executed is not None else None
    total = form.fund("total")
    weight = (number(total.weight) if total else None) or rules.get("budget.default_weight")
    b_score = budget_score(rate, weight, rules)
    readings = [read_indicator(i, rules) for i in form.indicators]
    weights = effective_weights(form, rules, readings)
    scores = tuple(
        score_indicator(i, w, rules, r)
        for i, w, r in zip(form.indicators, weights, readings, strict=True)
    )
    ind_total = r2(sum(s.review for s in scores))
    grand = r2(b_score + ind_total)
    self_total = number(form.total_self)
    budget_self = number(total.score) if total else None
    if self_total is None:
        parts = [s.self_score for s in scores if s.rule != "na"]
        if parts and all(p is not None for p in parts) and budget_self is not None:
            self_total = r2(budget_self + sum(parts))  # type: ignore[arg-type]
    level1 = [c[0] for c in form.categories if c[0]]
    level2 = [c for c in form.categories if c[0] and c[1]]
    applicable = [s for s in scores if s.achieved is not None]
    return ProjectScore(
        budget_initial=initial,
        budget=budget,
        executed=executed,
        rate=rate,
        budget_weight=weight,
        budget_score=b_score,
        budget_self=budget_self,
        indicators=scores,
        indicator_total=ind_total,
        total=grand,
        grade=rules.grade(grand),
        self_total=self_total,
        level1_count=len(dict.fromkeys(level1)),
        level2_count=len(dict.fromkeys(level2)),
        level3_count=len(scores),
        achieved_count=sum(1 for s in applicable if s.achieved),
        applicable_count=len(applicable),
    )
