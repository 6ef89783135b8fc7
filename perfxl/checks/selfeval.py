"""Checks on the self-evaluation as a whole, declared: was it done, was it
copied, does it hold up against the execution rate (the rules' reason line
and the platform's red and yellow lights). The province-dependent ones read
their thresholds from the rules and find nothing when the rules leave them off.
"""

from __future__ import annotations

import pandas as pd

from perfxl.checks.runner import Check
from perfxl.rules.schema import Rules
from perfxl.text import percent_text

EPS = 1e-12


# -- was the self-evaluation done --------------------------------------------------------


def _missing_self(f: pd.DataFrame, r: Rules) -> pd.Series:
    return f["missing_self_cells"].fillna("") != ""


# -- was it copied: identical indicator tables on forms of different units or projects ------


def _who(f: pd.DataFrame) -> pd.Series:
    return f["implementer"].fillna("") + "\x00" + f["project_name"].fillna("")


def _copied(f: pd.DataFrame, r: Rules) -> pd.Series:
    has = f["indicator_digest"].fillna("") != ""
    distinct = _who(f)[has].groupby(f["indicator_digest"][has]).transform("nunique")
    return has & distinct.reindex(f.index, fill_value=0).gt(1)


LISTED = 5  # files named in one copied-form message; more are counted


def _copied_from(hit: pd.DataFrame, r: Rules) -> dict:
    """The other files of each copy group (one pass over the group, at most
    ``LISTED`` named: every member's message lists them)."""
    who = _who(hit)
    members: dict[str, list[tuple[str, str]]] = {}
    for digest, me, file in zip(hit["indicator_digest"], who, hit["file"], strict=True):
        members.setdefault(digest, []).append((me, file))
    others = []
    for digest, me in zip(hit["indicator_digest"], who, strict=True):
        names = list(dict.fromkeys(f for w, f in members[digest] if w != me))
        more = f" 等 {len(names)} 个文件" if len(names) > LISTED else ""
        others.append("、".join(names[:LISTED]) + more)
    return {"others": others}


# -- the execution rate: its reason line and the platform's lights --------------------------


def _no_execution_reason(f: pd.DataFrame, r: Rules) -> pd.Series:
    below = r.budget.reason_required_below
    reason = f["budget_reason"].fillna("").str.strip()
    unexplained = reason.eq("") | reason.isin(set(r.words.no_reason))
    return bool(below) & f["rate"].notna() & (f["rate"] < below - EPS) & unexplained


def _reason_values(f: pd.DataFrame, r: Rules) -> dict:
    cell = f["budget_reason_cell"]
    return {
        "where": cell.where(cell != "", f["rate_cell"]),
        "below": r.budget.reason_required_below,
        "note": ["" if c else "（表中没有原因栏，请补充说明）" for c in cell],
    }


def _no_adjustment_reason(f: pd.DataFrame, r: Rules) -> pd.Series:
    """A mid-year adjustment (全年预算数 ≠ 年初预算数) with no reason, when the rules ask."""
    if not r.budget.adjustment_reason_required:
        return pd.Series(False, index=f.index)
    reason = f["budget_reason"].fillna("").str.strip()
    unexplained = reason.eq("") | reason.isin(set(r.words.no_reason))
    initial, budget = f["initial_budget"], f["budget"]
    adjusted = initial.notna() & budget.notna() & ((budget - initial).abs() > 1e-6)
    return (adjusted & unexplained).fillna(False)


def _adjustment_values(f: pd.DataFrame, r: Rules) -> dict:
    cell = f["budget_reason_cell"]
    return {
        "where": cell.where(cell != "", f["budget_cell"]),
        "note": ["" if c else "（表中没有原因栏，请补充说明）" for c in cell],
    }


def _shares(f: pd.DataFrame, r: Rules) -> tuple[pd.Series, pd.Series]:
    """(indicator score share I/I_max, budget score share B/B_max)."""
    i_max = r.weights.total - f["budget_weight"]
    i_share = f["indicator_total"] / i_max.where(i_max > 0)
    b_share = f["budget_score"] / f["budget_weight"].where(f["budget_weight"] > 0)
    return i_share, b_share


def _red(f: pd.DataFrame, r: Rules) -> pd.Series:
    """Red when the indicator share exceeds the budget share by more than
    ``gap`` of itself."""
    red = r.warnings.red_light
    i_share, b_share = _shares(f, r)
    gap = (i_share - b_share) / i_share.where(i_share > 0)
    return ((gap > red.gap + EPS) & red.enabled).fillna(False)


def _red_values(f: pd.DataFrame, r: Rules) -> dict:
    i_share, b_share = _shares(f, r)
    return {"i": i_share, "b": b_share, "gap": r.warnings.red_light.gap}


def _unspent(f: pd.DataFrame) -> pd.Series:
    budget = f["budget"]
    return (budget - f["executed"]) / budget.where(budget > 0)


def _yellow(f: pd.DataFrame, r: Rules) -> pd.Series:
    """Yellow when more than ``unspent_share`` of the budget is unspent, or the
    budget is 0 (and the form is not already red)."""
    yellow = r.warnings.yellow_light
    unspent = _unspent(f) > yellow.unspent_share + EPS
    hit = yellow.enabled & ~_red(f, r) & f["indicator_total"].gt(0)
    return (hit & (f["budget"].eq(0) | unspent)).fillna(False)


def _yellow_values(f: pd.DataFrame, r: Rules) -> dict:
    share = percent_text(r.warnings.yellow_light.unspent_share)
    return {
        "what": [
            "全年预算数为 0"
            if not b or pd.isna(u)
            else f"预算未执行 {percent_text(u)}，超过 {share}"
            for b, u in zip(f["budget"], _unspent(f), strict=True)
        ]
    }


SELF_EVALUATION_CHECKS: list[Check] = [
    Check(
        "missing-self-score",
        "forms",
        _missing_self,
        "单位未自评打分：{missing_self_cells} 未填写（或是未计算的公式）；复核得分不能代替自评",
        "first_cell",
        "得分",
        values=lambda f, r: {"first_cell": f["missing_self_cells"].str.split("、").str[0]},
        needs=("missing_self_cells",),
    ),
    Check(
        "copied-form",
        "forms",
        _copied,
        "{file} 的指标表（名称、指标值、完成值、得分）与 {others} 完全相同，但单位或项目不同：疑似照抄他表",
        "project_cell",
        "绩效指标",
        values=_copied_from,
        needs=("indicator_digest",),
    ),
    Check(
        "missing-execution-reason",
        "forms",
        _no_execution_reason,
        "预算执行率 {rate:pct} 低于 {below:pct}，须说明原因{note}",
        "where",
        "原因",
        values=_reason_values,
        needs=("budget_reason",),
    ),
    Check(
        "missing-adjustment-reason",
        "forms",
        _no_adjustment_reason,
        "年中调整了预算（年初预算数 {initial_budget:num} 万元，全年预算数 {budget:num} 万元），"
        "须单独说明理由{note}",
        "where",
        "原因",
        values=_adjustment_values,
        needs=("budget_reason",),
    ),
    Check(
        "red-light",
        "forms",
        _red,
        "自评预警红灯：指标得分率 {i:pct} 高于预算执行得分率 {b:pct} 超过 {gap:pct}（相对）",
        "rate_cell",
        "执行率",
        values=_red_values,
    ),
    Check(
        "yellow-light",
        "forms",
        _yellow,
        "自评预警黄灯：{what}",
        "rate_cell",
        "执行率",
        values=_yellow_values,
    ),
]
