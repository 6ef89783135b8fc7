"""Random, always well-formed filled forms for benchmarks and reader tests.

``random_spec`` draws one realistic form (varied amounts, shortfalls,
not-applicable rows, missing self scores); ``plan_corpus`` decides a whole
corpus of files (variants, layout quirks, formats, several forms per file)
without writing it, so tests can compare what the reader finds with the plan;
``generate_corpus`` writes it. Most files hold their computed cells (sums,
执行率, budget score, 总分) as formulas with cached results, the rest as bare
numbers. Everything follows from the seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfxl.forms.generate import FORMATS, adapt_spec, write_workbook
from perfxl.forms.spec import FormSpec, IndicatorSpec, Percent, Value, num_text
from perfxl.testing.corpus_tables import (
    COST_L1,
    NAMES,
    PLACES,
    POOLS,
    REASONS,
    STANDARD,
    TITLES,
    UNITS,
    Item,
)


def _partition(rng: Any, total: int, n: int) -> list[float]:
    """Integer weights summing to total, nearly even, shuffled a little."""
    parts = [total // n + (1 if i < total % n else 0) for i in range(n)]
    for _ in range(n // 2):
        i, j = rng.randrange(n), rng.randrange(n)
        if i != j and parts[i] > 2:
            parts[i], parts[j] = parts[i] - 1, parts[j] + 1
    return [float(p) for p in parts]


def _draw(
    rng: Any, item: Item, budget: float, year: int, outcome: str
) -> tuple[Value, Value, str, float]:
    """(target, actual, outcome, share of the weight the actual earns) of one indicator."""
    name, kind, p = item
    if outcome == "na":  # the target stays, the actual says it did not apply
        return {"pct": f"≥{p[0]}%", "qual": p[0], "zero": f"0{p[0]}"}.get(kind, "—"), "—", "na", 0.0
    if kind == "pct":
        t = int(p[0])
        target = rng.choice(("100%", "=100%")) if t == 100 else f"≥{t}%"
        v = t - rng.randint(1, 8) if outcome == "short" else rng.randint(t, 100)
        actual: Value = Percent(v / 100) if rng.random() < 0.15 else f"{v}%"
        return target, actual, ("short" if v < t else "met"), min(1.0, v / t)
    if kind == "month":
        m = rng.randint(6, 12)
        target = rng.choice((f"{m}月", f"{m}月底前", f"{year}年{m}月底前"))
        a = m + 1 if outcome == "short" and m < 12 else m - rng.randint(0, 2)
        return target, f"{a}月", ("short" if a > m else "met"), min(1.0, 1 - (a - m) / m)
    if kind in ("cost", "le"):
        unit, t = (p[0], rng.randint(int(p[1]), int(p[2]))) if kind == "le" else ("万元", budget)
        a = t * (rng.uniform(1.05, 1.3) if outcome == "short" else rng.uniform(0.7, 1.0))
        a = round(a, 2) if kind == "cost" else round(a)
        target = rng.choice(
            (f"≤{num_text(t)}{unit}", f"{num_text(t)}{unit}" if kind == "cost" else f"≤{t}{unit}")
        )
        return (
            target,
            f"{num_text(a)}{unit}",
            ("short" if a > t else "met"),
            max(0.0, min(1.0, 2 - a / t)),
        )
    if kind == "zero":
        if outcome == "short":
            return f"0{p[0]}", f"1{p[0]}", "short", 0.0
        return rng.choice((f"0{p[0]}", "=0")), rng.choice((f"0{p[0]}", 0)), "met", 1.0
    if kind == "qual":
        if outcome == "short":
            return p[0], rng.choice(("部分达成", "基本达成")), "short", 0.8
        return p[0], rng.choice(("达成", "达成年度指标", "已完成", p[0])), "met", 1.0
    unit, t = p[0], rng.randint(int(p[1]), int(p[2]))  # count
    a = {
        "met": t,
        "short": int(t * rng.uniform(0.5, 0.95)),
        "over": int(t * rng.uniform(1.25, 1.6)) + 1,
    }[outcome]
    target = rng.choice((f"≥{t}{unit}", f"≥{t}{unit}", f"{t}{unit}以上", f"{t}{unit}"))
    return target, rng.choice((f"{a}{unit}", f"{a}{unit}", str(a), a)), outcome, min(1.0, a / t)


def _random_funds(rng: Any) -> dict[str, tuple[float | None, float | None, float | None]]:
    """Total and source rows that add up to the cent; absent sources empty or zero."""
    low, high = rng.choice(((1, 20), (20, 300), (300, 3000)))
    budget = rng.randint(low * 100, high * 100)  # in cents of 万元
    rate = rng.choice(
        (1.0, 1.0, rng.uniform(0.9, 1.0), rng.uniform(0.9, 1.0), rng.uniform(0.6, 0.9))
    )
    initial = budget if rng.random() < 0.7 else round(budget * rng.uniform(0.7, 1.0))
    totals = (initial, budget, round(budget * rate))
    kinds = rng.choice(
        (
            ("fiscal",),
            ("fiscal",),
            ("fiscal", "carryover"),
            ("fiscal", "other"),
            ("fiscal", "carryover", "other"),
        )
    )
    shares = [rng.uniform(0.1, 1.0) for _ in kinds]
    shares[0] += sum(shares)  # fiscal money dominates
    funds: dict[str, tuple[float | None, float | None, float | None]] = {
        "total": tuple(c / 100 for c in totals)
    }
    columns = []
    for cents in totals:
        parts = [int(cents * s / sum(shares)) for s in shares]
        parts[0] += cents - sum(parts)
        columns.append(parts)
    for i, kind in enumerate(kinds):
        funds[kind] = (columns[0][i] / 100, columns[1][i] / 100, columns[2][i] / 100)
    for kind in ("fiscal", "carryover", "other"):
        if kind not in funds and rng.random() < 0.5:
            funds[kind] = (0.0, 0.0, 0.0)
    return funds


def _random_indicators(
    rng: Any,
    quantities: tuple[Item, ...],
    level1_cost: bool,
    budget_weight: float,
    budget: float,
    year: int,
) -> list[tuple[IndicatorSpec, str, float]]:
    """8-20 filled indicators (plus placeholder rows) with weights adding up to 100 - budget."""
    layout = COST_L1 if level1_cost else STANDARD
    weights = (
        {"产出指标": 40, "成本指标": 20, "效益指标": 20, "满意度指标": 10}
        if level1_cost
        else {"产出指标": 50 if budget_weight == 10 else 40, "效益指标": 30, "满意度指标": 10}
    )
    good = rng.random() < 0.4
    while True:
        rows: list[tuple[IndicatorSpec, str, float]] = []
        for level1, level2s in layout.items():
            group = []
            for level2, low, high in level2s:
                pool = quantities if level2 == "数量指标" else POOLS[level2]
                drawn = rng.sample(pool, min(rng.randint(low, high), len(pool)))
                for item in drawn:
                    roll = rng.random()
                    outcome = (
                        "met"
                        if good or roll < 0.7
                        else "short"
                        if roll < 0.88
                        else "over"
                        if roll < 0.96
                        else "na"
                    )
                    target, actual, outcome, share = _draw(rng, item, budget, year, outcome)
                    group.append(
                        (IndicatorSpec(level1, level2, item[0], target, actual), outcome, share)
                    )
                if not drawn and rng.random() < 0.4:
                    group.append((IndicatorSpec(level1, level2, "指标1"), "", 0.0))
            filled = [g[0] for g in group if not g[0].placeholder]
            for ind, w in zip(
                filled, _partition(rng, weights[level1], max(len(filled), 1)), strict=False
            ):
                ind.weight = w
            rows.extend(group)
        if 8 <= sum(not r[0].placeholder for r in rows) <= 20:
            return rows


def _self_assess(rng: Any, rows: list[tuple[IndicatorSpec, str, float]], no_self: bool) -> None:
    """Self scores and reasons as units write them: full marks when met, sometimes
    also when not, sometimes a fair partial score, sometimes nothing."""
    for ind, outcome, share in rows:
        if ind.placeholder:
            continue
        ind.self_score = ind.weight
        if outcome == "na":
            ind.self_score, ind.reason = None, "本年度未发生相关业务，不适用"
        elif outcome == "short":
            roll = rng.random()
            if roll >= 0.3:
                ind.self_score = round(float(ind.weight or 0) * share, 2) if roll < 0.85 else None
            ind.reason = rng.choice(REASONS) if rng.random() < 0.7 else None
        elif outcome == "over" and rng.random() < 0.5:
            ind.reason = "实际需求增加，超额完成年度目标。"
        if no_self:
            ind.self_score = None


def random_spec(rng: Any, *, level1_cost: bool | None = None, place: str = "") -> FormSpec:
    """A realistic filled form: varied project, amounts and 8-20 indicators with
    shortfalls, not-applicable rows and missing self scores; well-formed always.
    ``place`` (a town or district) is put before the project's name."""
    dept, impl, projects, quantities = rng.choice(UNITS)
    year = rng.randint(2018, 2024)
    if level1_cost is None:
        level1_cost = year >= 2021 and rng.random() < 0.3
    year = max(year, rng.randint(2021, 2024)) if level1_cost else year
    funds = _random_funds(rng)
    _, budget, executed = funds["total"]
    budget_weight = 20.0 if not level1_cost and rng.random() < 0.1 else 10.0
    rows = _random_indicators(rng, quantities, level1_cost, budget_weight, budget, year)
    no_self = rng.random() < 0.08
    _self_assess(rng, rows, no_self)
    rate = executed / budget
    rate_written = rng.choice(
        (None, round(rate, 4), round(rate, 4), f"{rate * 100:.2f}%", f"{rate * 100:.1f}%")
    )
    budget_self = (
        None
        if no_self
        else rng.choice((round(min(rate, 1) * budget_weight, 2),) * 3 + (budget_weight, None))
    )
    filled = [r[0] for r in rows if not r[0].placeholder]
    scores = [budget_self] + [i.self_score for i in filled]
    total = round(sum(s for s in scores if s is not None), 2) if None not in scores else None
    grade = None
    if total is not None and rng.random() < 0.7:
        grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    project = place + rng.choice(projects)
    goals = "；".join(f"{i.name}{i.target}" for i in filled[:4] if isinstance(i.target, str))
    done = "，".join(
        f"{i.name}{i.actual}" for i in filled[:4] if isinstance(i.actual, str) and i.actual != "—"
    )
    return FormSpec(
        year=year,
        project_name=f"{year}年{project}" if rng.random() < 0.3 else project,
        department=dept,
        department_code=str(rng.randint(100, 999)) if rng.random() < 0.4 else None,
        implementer=impl,
        funds=funds,
        budget_weight=budget_weight,
        rate_written=rate_written,
        budget_self_score=budget_self,
        goal_expected=f"计划投入资金{num_text(budget)}万元，实施{project}。年度目标：{goals}。",
        goal_actual=f"年度目标完成情况：{done}。",
        indicators=[r[0] for r in rows],
        total_self=total,
        grade=grade,
        filler=rng.choice(NAMES) if rng.random() < 0.6 else None,
        phone=f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}"
        if rng.random() < 0.5
        else None,
    )


# share of files whose computed cells are bare numbers (typed in, or pasted as values);
# the others hold formulas with cached results, as forms filled in Excel or WPS do
FORMULA_FREE_SHARE = 0.15


@dataclass(frozen=True)
class CorpusItem:
    """One planned corpus file: its name, its forms and its workbook options."""

    filename: str
    forms: tuple[tuple[str, FormSpec, str, dict[str, Any]], ...]
    fmt: str
    extra_sheets: tuple[str, ...] = ()
    extra_sheets_first: bool = False


def _random_options(rng: Any, spec: FormSpec) -> dict[str, Any]:
    o: dict[str, Any] = {}
    if rng.random() < 0.25:
        o["shift_rows"] = rng.randint(1, 3)
    if rng.random() < 0.15:
        o["extra_cols"] = rng.randint(1, 2)
    for key, p in (
        ("numbers_as_text", 0.15),
        ("fullwidth", 0.1),
        ("weights_in_labels", 0.2),
        ("label_noise", 0.25),
        ("unmerged_level1", 0.15),
        ("percent_cells", 0.3),
        ("year_in_title", 0.1),
        ("grade_row", 0.3),
    ):
        if rng.random() < p:
            o[key] = True
    if rng.random() < 0.2:
        o["title"] = rng.choice(TITLES)
    if spec.department_code:
        o["code_style"] = rng.choice(("bracket", "space"))
    return o


def plan_corpus(n: int, seed: int = 0) -> list[CorpusItem]:
    """What generate_corpus writes, without writing: tests compare the reader with it."""
    rng = random.Random(seed)
    # its own stream, so adding it left every other draw of a seed as it was
    with_formulas = random.Random(f"formulas-{seed}")
    items = []
    for i in range(n):
        formulas = with_formulas.random() >= FORMULA_FREE_SHARE
        forms = []
        for k in range(1 if rng.random() < 0.92 else rng.randint(2, 3)):
            spec = random_spec(rng, place=PLACES[i % len(PLACES)])
            variant = (
                "level1-cost"
                if any(r.level1 == "成本指标" for r in spec.indicators)
                else rng.choices(
                    ("national-2020", "single-column", "ab-suffix", "split"), (45, 15, 15, 25)
                )[0]
            )
            sheet = rng.choice(
                ("Sheet1", "自评表", "项目支出绩效自评表", "附件1", spec.project_name)
            )
            forms.append(
                (
                    sheet if k == 0 else f"项目{k + 1}",
                    adapt_spec(spec, variant),
                    variant,
                    _random_options(rng, spec) | {"formulas": formulas},
                )
            )
        fmt = rng.choices(FORMATS, (70, 15, 15))[0]
        extra = ("填表说明",) if rng.random() < 0.15 else ()
        head = forms[0][1]
        name = re.sub(
            r"[\\/:*?\"<>|\s]", "", f"{i + 1:04d}-{head.year}-{head.department}-{head.project_name}"
        )
        items.append(CorpusItem(f"{name}.{fmt}", tuple(forms), fmt, extra, rng.random() < 0.5))
    return items


def generate_corpus(outdir: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write n varied forms (deterministic for a seed) and return their paths."""
    out = Path(outdir)
    return [
        write_workbook(
            out / item.filename,
            item.forms,
            fmt=item.fmt,
            extra_sheets=item.extra_sheets,
            extra_sheets_first=item.extra_sheets_first,
        )
        for item in plan_corpus(n, seed)
    ]
