"""Checks on the self-evaluation as a whole: was it done, was it copied, does
it hold up against the execution rate (the rules' reason line and the
platform's red and yellow lights).

Each check takes the batch frames and returns problem rows, like the others;
the province-dependent ones read their thresholds from the rules and do
nothing when the rules leave them off.
"""

from __future__ import annotations

import pandas as pd

from perfxl.batch.frames import PROBLEM_COLUMNS, Frames
from perfxl.batch.frames import pct as _pct
from perfxl.batch.frames import problem_rows as _out
from perfxl.rules.schema import Rules


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=PROBLEM_COLUMNS)


def missing_self_score(fr: Frames, rules: Rules) -> pd.DataFrame:
    """得分 or 总分 cells left empty (or uncomputed formulas): no self-evaluation."""
    f = fr.forms
    if "missing_self_cells" not in f:
        return _empty()
    bad = f[f["missing_self_cells"].fillna("") != ""]
    bad = bad.assign(first_cell=bad["missing_self_cells"].str.split("、").str[0])
    msgs = [
        f"单位未自评打分：{cells} 未填写（或是未计算的公式）；复核得分不能代替自评"
        for cells in bad["missing_self_cells"]
    ]
    return _out(bad, "missing-self-score", "warning", "first_cell", "得分", msgs)


def copied_form(fr: Frames, rules: Rules) -> pd.DataFrame:
    """Identical indicator tables on forms of different units or projects."""
    f = fr.forms
    if "indicator_digest" not in f:
        return _empty()
    f = f[f["indicator_digest"].fillna("") != ""]
    f = f.assign(_who=f["implementer"].fillna("") + "\x00" + f["project_name"].fillna(""))
    groups = f.groupby("indicator_digest")
    distinct = groups["_who"].transform("nunique")
    hit = f[distinct > 1]
    if hit.empty:
        return _empty()
    msgs = []
    for digest, who, file in zip(hit["indicator_digest"], hit["_who"], hit["file"], strict=True):
        same = hit[(hit["indicator_digest"] == digest) & (hit["_who"] != who)]
        others = "、".join(dict.fromkeys(same["file"]))
        msgs.append(
            f"{file} 的指标表（名称、指标值、完成值、得分）与 {others} 完全相同，"
            "但单位或项目不同：疑似照抄他表"
        )
    return _out(hit, "copied-form", "warning", "project_cell", "绩效指标", msgs)


def execution_reason(fr: Frames, rules: Rules) -> pd.DataFrame:
    """Execution below the rules' line with no reason written (四川: 90%)."""
    below = rules.budget.reason_required_below
    f = fr.forms
    if not below or "budget_reason" not in f:
        return _empty()
    no_reason = set(rules.words.no_reason)
    reason = f["budget_reason"].fillna("").str.strip()
    bad = f[
        f["rate"].notna() & (f["rate"] < below - 1e-12) & (reason.eq("") | reason.isin(no_reason))
    ]
    bad = bad.assign(
        where=bad["budget_reason_cell"].where(bad["budget_reason_cell"] != "", bad["rate_cell"])
    )
    msgs = [
        f"预算执行率 {_pct(r)} 低于 {_pct(below)}，须说明原因"
        + ("" if cell else "（表中没有原因栏，请补充说明）")
        for r, cell in zip(bad["rate"], bad["budget_reason_cell"], strict=True)
    ]
    return _out(bad, "missing-execution-reason", "warning", "where", "原因", msgs)


def lights(fr: Frames, rules: Rules) -> pd.DataFrame:
    """The platform's 自评预警: red when the indicator share I/I_max exceeds the
    budget share B/B_max by more than ``gap`` of itself; yellow when more than
    ``unspent_share`` of the budget is unspent, or the budget is 0 (not also red)."""
    red, yellow = rules.warnings.red_light, rules.warnings.yellow_light
    f = fr.forms
    if f.empty or not (red.enabled or yellow.enabled):
        return _empty()
    i_max = rules.weights.total - f["budget_weight"]
    i_share = f["indicator_total"] / i_max.where(i_max > 0)
    b_share = f["budget_score"] / f["budget_weight"].where(f["budget_weight"] > 0)
    gap = (i_share - b_share) / i_share.where(i_share > 0)
    is_red = (gap > red.gap + 1e-12) & red.enabled
    budget = f["budget"]
    unspent = (budget - f["executed"]) / budget.where(budget > 0)
    is_yellow = yellow.enabled & ~is_red & f["indicator_total"].gt(0)
    is_yellow &= budget.eq(0) | (unspent > yellow.unspent_share + 1e-12)
    parts = []
    r = f[is_red.fillna(False)]
    parts.append(
        _out(
            r,
            "red-light",
            "warning",
            "rate_cell",
            "执行率",
            [
                f"自评预警红灯：指标得分率 {_pct(i)} 高于预算执行得分率 {_pct(b)} 超过 {_pct(red.gap)}（相对）"
                for i, b in zip(i_share[r.index], b_share[r.index], strict=True)
            ],
        )
    )
    y = f[is_yellow.fillna(False)]
    parts.append(
        _out(
            y,
            "yellow-light",
            "warning",
            "rate_cell",
            "执行率",
            [
                "自评预警黄灯：全年预算数为 0"
                if not b or pd.isna(u)
                else f"自评预警黄灯：预算未执行 {_pct(u)}，超过 {_pct(yellow.unspent_share)}"
                for b, u in zip(y["budget"], unspent[y.index], strict=True)
            ],
        )
    )
    return pd.concat(parts, ignore_index=True)


selfeval_checks = [missing_self_score, copied_form, execution_reason, lights]
