"""Review scores (复核得分): the budget-execution score, one score per 三级
indicator, the total (capped by the rules' ``[totals]`` when they say so) and
the grade, each with its 计算过程 line.

The scorer never trusts what the form wrote in its computed cells: it
recomputes execution rate, budget score, every indicator score, the total and
the grade from the raw amounts, targets and actuals. What the unit wrote is
kept as the self score for comparison (the checks in :mod:`perfxl.checks` turn gaps
into findings). Every number it uses comes from the rules (``rules.budget``,
``rules.indicators``): no province is named here.
"""

from __future__ import annotations

import functools
from typing import Any

from perfxl.model import CellValue, Indicator, IndicatorScore, ProjectForm, ProjectScore
from perfxl.notation.parse import Reading, parse_actual, parse_number, parse_target
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.score import formulas as fx
from perfxl.score.formulas import r2

__all__ = ["amount", "budget_figures", "effective_weights", "r2", "score_form", "score_indicator"]


def amount(cv: CellValue, factor: float) -> float | None:
    """An amount cell in 万元 (None when empty or not a number). Rounded to 6
    decimals: 元 amounts have at most 2, so nothing real is lost, and 62200 元
    reads as 6.22 万元, not 6.220000000000001."""
    n = parse_number(cv.value)
    return None if n is None else round(n * factor, 6)


def number(cv: CellValue) -> float | None:
    return parse_number(cv.value)


def budget_figures(
    form: ProjectForm, rules: Rules = DEFAULT
) -> tuple[float | None, float | None, float | None]:
    """(年初预算数, 全年预算数, 全年执行数) in 万元 of the rows the rules rate on
    (``budget.rate_rows``: the total row by default, and whenever the form has
    none of the rows named there).

    A total row left at 0 (or empty) while the source rows hold money falls
    back to the sum of the source rows (validate reports sources-not-sum).
    """
    kinds = rules.budget.rate_rows
    rows = [f for f in form.funds if f.kind in kinds] if kinds != ("total",) else []
    if rows:  # a form without those rows is rated on its total row
        out = []
        for attr in ("initial", "budget", "executed"):
            parts = [amount(getattr(f, attr), form.money_factor) for f in rows]
            known = [p for p in parts if p is not None]
            out.append(round(sum(known), 6) if known else None)
        return out[0], out[1], out[2]
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
    """The budget-execution score (see :func:`perfxl.score.formulas.budget`)."""
    return fx.budget(rate, weight, rules.budget, "").value


def read_indicator(ind: Indicator, rules: Rules) -> tuple[Reading, Reading]:
    """The indicator's target and actual, parsed (Readings are immutable)."""
    cells = (ind.target.value, ind.nature.value, ind.unit.value, ind.actual.value)
    return _read_cells(
        tuple((type(v), v) for v in cells), ind.actual.percent, ind.level2, ind.name, rules
    )


@functools.lru_cache(maxsize=8192)
def _read_cells(
    typed: tuple[tuple[type, Any], ...], percent: bool, level2: str, name: str, rules: Rules
) -> tuple[Reading, Reading]:
    """Memoised on the cells' values (with their types: 1, 1.0 and True are
    equal keys but different cells): forms repeat the same targets and
    actuals ("≥95%", "100%", "达成") across thousands of indicators."""
    target_v, nature, unit, actual_v = (v for _, v in typed)
    target = parse_target(target_v, nature=nature, unit=unit, level2=level2, name=name, rules=rules)
    actual = parse_actual(actual_v, target=target, percent_format=percent, unit=unit, rules=rules)
    return target, actual


def _apply(
    target: Reading,
    actual: Reading,
    w: float,
    self_score: float | None,
    rules: Rules,
    form_year: int | None,
) -> tuple[str, fx.Scored]:
    """The rule that applies to a (target, actual) pair, and its score."""
    ir = rules.indicators
    if target.kind == "na" or actual.kind == "na":
        return "na", fx.not_applicable(w, ir.not_applicable)
    if actual.band is not None and (
        target.kind in ("qualitative", "unparsable", "empty") or actual.kind == "qualitative"
    ):
        return "qualitative", fx.qualitative(actual.band, w, ir)
    t, a = target.number, actual.number
    if target.kind == "time" and actual.kind == "time" and t is not None and a is not None:
        # a side without a year takes the form's year (else the other side's)
        base = form_year if form_year is not None else (target.year or actual.year)
        t_at, a_at = target.month_index(base), actual.month_index(base)
        has_year = base is not None
        late = round((a_at or 0) - (t_at or 0))
        done, due = fx.month_text(a, a_at, has_year), fx.month_text(t, t_at, has_year)
        return "time", fx.deadline(late, w, ir, done, due)
    if target.kind in ("number", "time") and actual.kind in ("number", "time"):
        if t is not None and a is not None:
            op = "<=" if target.kind == "time" else (target.op or "=")
            # each side in its own unit (a unit mismatch stays visible), else the other's
            units = (target.unit or actual.unit, actual.unit or target.unit)
            if op == "<=":
                return op, fx.at_most(t, a, w, units, ir)
            if op == "=" and t == 0:
                return op, fx.exactly_zero(a, w, units)
            return op, fx.at_least(t, a, w, units, ir, "≥" if op == ">=" else "=")
    trust_self = actual.kind == "qualitative" and target.kind in ("qualitative", "unparsable")
    return "unscored", fx.unscored(self_score if trust_self else None, w, actual.text, actual.kind)


def score_indicator(
    ind: Indicator,
    w_eff: float,
    rules: Rules,
    reading: tuple[Reading, Reading] | None = None,
    form_year: int | None = None,
) -> IndicatorScore:
    target, actual = reading or read_indicator(ind, rules)
    weight = number(ind.weight) or 0.0
    self_score = number(ind.score)
    rule, scored = _apply(target, actual, w_eff, self_score, rules, form_year)
    if rule == "na":
        scored = fx.not_applicable(weight, rules.indicators.not_applicable)
    explanation = scored.explanation
    if rule != "na" and abs(w_eff - weight) > 1e-9:
        explanation = f"分值 {fx.num(weight)} 按不适用指标调整为 {fx.num(r2(w_eff))}；{explanation}"
    t_num, a_num = target.number, actual.number
    ratio = rules.indicators.over_achievement_ratio
    over = (
        rule == ">="
        and t_num is not None
        and a_num is not None
        and t_num > 0
        and a_num >= ratio * t_num
    )
    review = scored.value
    achieved = None if rule == "na" else (review >= r2(w_eff) - 1e-9 and w_eff > 0)
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
        explanation=explanation,
    )


def effective_weights(
    form: ProjectForm, rules: Rules, readings: list[tuple[Reading, Reading]]
) -> list[float]:
    """Each indicator's weight after redistributing not-applicable ones pro rata
    over the rest of the same 一级 (or leaving them, in "zero" mode)."""
    weights = [number(i.weight) or 0.0 for i in form.indicators]
    if rules.indicators.not_applicable != "redistribute":
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


def _cap(total: float, rate: float | None, rules: Rules) -> tuple[float, str]:
    """The review total after the rules' caps by execution rate, and why."""
    caps = [c for c in rules.totals.caps if rate is not None and rate < c.below_rate - 1e-12]
    if not caps:
        return total, ""
    cap = min(caps, key=lambda c: c.max_total)
    if total <= cap.max_total:
        return total, ""
    return r2(cap.max_total), (
        f"执行率 {rate * 100:.2f}% < {fx.pct(cap.below_rate)} → 总分封顶 {fx.num(cap.max_total)}"  # type: ignore[operator]
        f"（未封顶 {fx.pts(total)}）"
    )


def score_form(form: ProjectForm, rules: Rules = DEFAULT) -> ProjectScore:
    """The review of one form. Pure: the same form and rules give the same score."""
    initial, budget, executed = budget_figures(form, rules)
    base = initial if rules.budget.rate_basis == "initial" else budget
    rate = executed / base if base and executed is not None else None
    total = form.fund("total")
    written = number(total.weight) if total else None
    weight = (
        written if rules.budget.weight_source == "form" else None
    ) or rules.budget.default_weight
    basis = "年初预算数" if rules.budget.rate_basis == "initial" else "全年预算数"
    why = (
        f"{basis}未填或为 0，无法计算执行率"
        if executed is not None
        else "全年执行数未填，无法计算执行率"
    )
    b_scored = fx.budget(rate, weight, rules.budget, why)
    b_score = b_scored.value
    readings = [read_indicator(i, rules) for i in form.indicators]
    weights = effective_weights(form, rules, readings)
    scores = tuple(
        score_indicator(i, w, rules, r, form.year)
        for i, w, r in zip(form.indicators, weights, readings, strict=True)
    )
    ind_total = r2(sum(s.review for s in scores))
    grand, cap_note = _cap(r2(b_score + ind_total), rate, rules)
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
        budget_explanation=b_scored.explanation,
        total_explanation=cap_note,
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
