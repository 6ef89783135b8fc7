"""The form-level checks, declared: one row of the ``forms`` or ``funds`` table
per form or fund row, one :class:`Check` per finding. What each code means is
in the registry (:mod:`perfxl.checks.codes`) and the README's code table; the
thresholds come from the rules file.
"""

from __future__ import annotations

import pandas as pd

from perfxl.checks.runner import Check
from perfxl.checks.scores import differs_from_review, outside_weight
from perfxl.rules.schema import Rules
from perfxl.text import number_text

EPS = 1e-9

# -- identity and funds -------------------------------------------------------------


def _identity(column: str, cell: str, label: str) -> Check:
    return Check(
        "missing-field",
        "forms",
        lambda f, r: f[column].fillna("") == "",
        "{what}",
        cell,
        label,
        values=lambda f, r: {
            "what": [f"「{label}」未填写" if c else f"表中找不到「{label}」栏" for c in f[cell]]
        },
    )


def _total_missing(column: str, cell: str, label: str) -> Check:
    return Check(
        "missing-field",
        "forms",
        lambda f, r: f[column].isna(),
        "{what}",
        cell,
        label,
        values=lambda f, r: {
            "what": [
                f"年度资金总额行的「{label}」未填写"
                if has
                else "表中找不到「年度资金总额」行，无法计算预算执行率"
                for has in f["has_total_row"]
            ]
        },
    )


FUND_COLUMNS = (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))


def _not_a_number(attr: str, label: str) -> Check:
    return Check(
        "not-a-number",
        "funds",
        lambda d, r: d[f"{attr}_bad"],
        f"「{{label}}」的{label}「{{{attr}_text}}」不是数字",
        f"{attr}_cell",
        label,
    )


def _low_execution(f: pd.DataFrame, r: Rules) -> pd.Series:
    return f["rate"].notna() & (f["rate"] < r.budget.low_execution - 1e-12)


def _rate_differs(f: pd.DataFrame, r: Rules) -> pd.Series:
    both = f["rate"].notna() & f["rate_written"].notna()
    return both & ((f["rate"] - f["rate_written"]).abs() > r.budget.rate_tolerance + 1e-12)


# -- fund structure: the source rows against the total row (table fund_totals) ---------


def _sources_not_sum(attr: str, label: str) -> Check:
    def when(m: pd.DataFrame, r: Rules) -> pd.Series:
        # a total that is an uncached SUM formula was computed from the sources: not a finding
        differs = (m[attr].fillna(0) - m[f"{attr}_sum"]).abs() > 0.005
        return (m[f"{attr}_count"] > 0) & ~m[f"{attr}_formula"].astype(bool) & differs

    return Check(
        "sources-not-sum",
        "fund_totals",
        when,
        f"{label}：其中各项资金合计 {{{attr}_sum:num}} 万元，与年度资金总额 {{{attr}:num}} 万元不一致",
        f"{attr}_cell",
        label,
    )


def _budget_changed(d: pd.DataFrame, r: Rules) -> pd.Series:
    both = d["initial"].notna() & d["budget"].notna()
    return both & ((d["initial"] - d["budget"]).abs() > EPS)


# -- weights ----------------------------------------------------------------------------


def _standard(r: Rules) -> dict[str, float]:
    return {k: float(v) for k, v in r.weights.level1.items()}


def _level1_off(f: pd.DataFrame, r: Rules) -> pd.Series:
    """Only a three-一级 form with the standard budget weight and the standard
    一级 names is held to the standard split."""
    std = _standard(r)
    tol = r.weights.tolerance
    eligible = r.weights.check_level1_split & (
        (f["level3_count"] > 0)
        & (f["level1_count"] == len(std))
        & ((f["budget_weight"] - r.budget.default_weight).abs() < EPS)
    )
    off = f["level1_weights"].map(
        lambda d: set(d) == set(std) and any(abs(d[k] - v) > tol for k, v in std.items())
    )
    return eligible & off.astype(bool)


def _level1_values(f: pd.DataFrame, r: Rules) -> dict:
    std = _standard(r)
    return {
        "split": ["、".join(f"{k}{number_text(d[k])}分" for k in std) for d in f["level1_weights"]],
        "standard": "/".join(number_text(v) for v in std.values()),
    }


# -- totals -------------------------------------------------------------------------


def _self_gap(f: pd.DataFrame) -> pd.Series:
    return f["self_total"] - f["review_total"]


FORM_CHECKS: list[Check] = [
    _identity("project_name", "project_cell", "项目名称"),
    _identity("department", "department_cell", "主管部门"),
    _identity("implementer", "implementer_cell", "实施单位"),
    _total_missing("budget", "budget_cell", "全年预算数"),
    _total_missing("executed", "executed_cell", "全年执行数"),
    *(_not_a_number(attr, label) for attr, label in FUND_COLUMNS),
    Check(
        "over-budget",
        "forms",
        lambda f, r: (f["executed"] > f["budget"] + EPS) & f["budget"].notna(),
        "全年执行数 {executed:num} 万元超过全年预算数 {budget:num} 万元（执行率 {ratio:pct}），请核实",
        "executed_cell",
        "全年执行数",
        values=lambda f, r: {"ratio": f["executed"] / f["budget"]},
    ),
    Check(
        "low-execution",
        "forms",
        _low_execution,
        "预算执行率 {rate:pct} 低于 {low:pct}",
        "shown_at",
        "执行率",
        # shown at the written rate, else at the executed amount
        values=lambda f, r: {
            "low": r.budget.low_execution,
            "shown_at": f["rate_cell"].where(f["rate_cell"] != "", f["executed_cell"]),
        },
    ),
    Check(
        "rate-differs",
        "forms",
        _rate_differs,
        "填写的执行率 {rate_written:pct} 与 全年执行数/全年预算数 = {rate:pct} 不一致",
        "rate_cell",
        "执行率",
    ),
    *(_sources_not_sum(attr, label) for attr, label in FUND_COLUMNS),
    Check(
        "budget-changed",
        "fund_totals",
        _budget_changed,
        "全年预算数 {budget:num} 万元与年初预算数 {initial:num} 万元不同（年中有预算调整）",
        "budget_cell",
        "全年预算数",
    ),
    Check(
        "weights-not-100",
        "forms",
        lambda f, r: (
            (f["level3_count"] > 0)
            & ((f["weights_sum"] - r.weights.total).abs() > r.weights.tolerance)
        ),
        "预算执行分值与各指标分值合计为 {weights_sum:num}，应为 {total:num}",
        "weights_cell",
        "分值",
        values=lambda f, r: {"total": r.weights.total},
    ),
    Check(
        "level1-weights",
        "forms",
        _level1_off,
        "一级指标分值为 {split}，与标准的 {standard} 不同（调整需经批准）",
        "weights_cell",
        "分值",
        values=_level1_values,
    ),
    Check(
        "total-differs",
        "forms",
        lambda f, r: (
            f["self_total_written"].notna()
            & f["self_sum"].notna()
            & ((f["self_total_written"] - f["self_sum"]).abs() > r.tolerances.total_sum)
        ),
        "填写的总分 {self_total_written:num} 与各项自评得分之和 {self_sum:num} 不一致",
        "self_total_cell",
        "总分",
    ),
    Check(
        "total-differs",
        "forms",
        lambda f, r: f["self_total"].notna() & (_self_gap(f) > r.tolerances.total_high + EPS),
        "自评得分偏高：自评总分 {self_total:num}，复核总分 {review_total:num}",
        "self_total_cell",
        "总分",
    ),
    Check(
        "total-differs",
        "forms",
        lambda f, r: f["self_total"].notna() & (_self_gap(f) < -r.tolerances.total_high - EPS),
        "自评总分 {self_total:num} 低于复核总分 {review_total:num}",
        "self_total_cell",
        "总分",
        milder=True,
    ),
    outside_weight(
        "forms",
        "budget_self",
        "budget_weight",
        "budget_score_cell",
        "预算执行得分",
        "预算执行得分 {budget_self:num} 超出 0～{budget_weight:num} 分的范围",
    ),
    differs_from_review(
        "forms",
        "budget_self",
        "budget_score",
        "budget_score_cell",
        "预算执行得分",
        "预算执行自评得分 {budget_self:num}，复核得分 {budget_score:num}",
    ),
]
