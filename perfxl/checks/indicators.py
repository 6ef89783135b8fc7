"""The per-indicator checks, declared over the ``indicators`` table (one row per
三级 indicator of every form) and the ``categories`` table (one row per
(一级, 二级) pair). What each code means is in the registry
(:mod:`perfxl.checks.codes`); the thresholds come from the rules file.
"""

from __future__ import annotations

import pandas as pd

from perfxl.checks.runner import Check
from perfxl.checks.scores import differs_from_review, outside_weight
from perfxl.rules.schema import Rules
from perfxl.text import number_text

EPS = 1e-9
NUMERIC_TARGET = ["number", "time"]


def _unfilled(column: str, empty: str, cell: str, what: str) -> Check:
    return Check("missing-field", "indicators", lambda d, r: d[column] == empty, what, cell, "name")


def _bad_weight(d: pd.DataFrame, r: Rules) -> pd.Series:
    written = d["weight_raw"] != ""
    return written & (d["weight"] == 0) & ~d["weight_raw"].str.fullmatch(r"[0０]+(\.0*)?")


def _actual_not_comparable(d: pd.DataFrame, r: Rules) -> pd.Series:
    unknown_band = (d["actual_kind"] == "qualitative") & d["band"].isna()
    return d["target_kind"].isin(NUMERIC_TARGET) & (
        (d["actual_kind"] == "unparsable") | unknown_band
    )


def _unit_mismatch(d: pd.DataFrame, r: Rules) -> pd.Series:
    both = (
        d["target_kind"].eq("number")
        & d["actual_kind"].eq("number")
        & (d["target_unit"] != "")
        & (d["actual_unit"] != "")
    )
    return both & (d["target_unit"] != d["actual_unit"])


def _scored(d: pd.DataFrame) -> pd.Series:
    """Indicators perfxl scored itself (not not-applicable, not unscorable)."""
    return ~d["rule"].isin(["na", "unscored"])


def _band_bounds(d: pd.DataFrame, r: Rules) -> tuple[pd.Series, pd.Series]:
    """The range a qualitative band allows, in points of the indicator's weight."""
    ranges = r.indicators.band_ranges
    lo = d["band"].map(lambda b: ranges.get(b, [0, 1])[0]) * d["effective_weight"]
    hi = d["band"].map(lambda b: ranges.get(b, [0, 1])[1]) * d["effective_weight"]
    return lo, hi


def _outside_band(d: pd.DataFrame, r: Rules) -> pd.Series:
    q = d["self_score"].notna() & (d["rule"] == "qualitative") & d["band"].notna()
    lo, hi = _band_bounds(d, r)
    above = d["self_score"] > hi + EPS
    if r.indicators.band_upper_exclusive:  # [0.6w, 0.8w): 0.8w is only 达成's
        ranges = r.indicators.band_ranges
        top = d["band"].map(lambda b: ranges.get(b, [0, 1])[1] >= 1.0).fillna(True).astype(bool)
        above |= ~top & (d["self_score"] >= hi - EPS)
    return q & ((d["self_score"] < lo - EPS) | above)


def _band_values(d: pd.DataFrame, r: Rules) -> dict:
    lo, hi = _band_bounds(d, r)
    return {"lo": lo, "hi": hi}


def _needs_over_reason(d: pd.DataFrame, r: Rules) -> pd.Series:
    """Over-achieved rows that need a deviation reason: by default the flagged
    over-achievement (≥ 1.2 × target on an at-least indicator); with
    ``indicators.over_reason_ratio`` (1.3 in the 广西 set) any at-least or exactly
    indicator whose actual reaches that multiple of its target (or, for a target
    of 0, ``over_reason_zero_target``)."""
    ratio = r.indicators.over_reason_ratio
    if not ratio:
        return d["over_achieved"].astype(bool)
    t, a = d["target_number"].astype(float), d["actual_number"].astype(float)
    over = (t > 0) & (a >= ratio * t - 1e-9)
    zero = r.indicators.over_reason_zero_target
    if zero:
        over |= (t == 0) & (a >= zero - 1e-9)
    return (d["rule"].isin([">=", "="]) & over).fillna(False)


def _no_reason(d: pd.DataFrame, r: Rules) -> pd.Series:
    placeholders = set(r.words.no_reason)
    needs = d["achieved"].eq(False) | _needs_over_reason(d, r)
    return needs & d["reason"].map(lambda t: t.strip() == "" or t.strip() in placeholders)


def _deviation(d: pd.DataFrame, r: Rules) -> dict:
    return {
        "deviation": [
            "超额完成" if o else f"未得满分（复核 {number_text(s)} / {number_text(w)} 分）"
            for o, s, w in zip(
                _needs_over_reason(d, r), d["review_score"], d["effective_weight"], strict=True
            )
        ]
    }


INDICATOR_CHECKS: list[Check] = [
    # completeness
    _unfilled("name", "", "name_cell", "三级指标名称未填写"),
    _unfilled("target_kind", "empty", "target_cell", "「{name}」的年度指标值未填写"),
    _unfilled("weight_raw", "", "weight_cell", "「{name}」的分值未填写"),
    Check(
        "not-a-number",
        "indicators",
        _bad_weight,
        "「{name}」的分值「{weight_raw}」不是数字",
        "weight_cell",
        "name",
    ),
    Check(
        "missing-actual",
        "indicators",
        lambda d, r: (d["actual_kind"] == "empty") & (d["target_kind"] != "na"),
        "「{name}」的实际完成值{how}",
        "actual_cell",
        "name",
        values=lambda d, r: {
            "how": [
                "是公式但没有计算结果，请在 Excel 中打开并保存后重新提交" if f else "未填写"
                for f in d["actual_formula"]
            ]
        },
    ),
    Check(
        "not-a-number",
        "indicators",
        _actual_not_comparable,
        "「{name}」的实际完成值「{actual}」不是可比较的数值（目标为「{target}」）",
        "actual_cell",
        "name",
    ),
    Check(
        "not-a-number",
        "indicators",
        lambda d, r: (d["self_raw"] != "") & d["self_score"].isna() & ~d["self_marker"],
        "「{name}」的得分「{self_raw}」不是数字",
        "score_cell",
        "name",
    ),
    Check(
        "level-missing",
        "indicators",
        lambda d, r: (d["level1"] == "") | (d["level2"] == ""),
        "「{name}」没有{level}（合并单元格展开后仍为空）",
        "name_cell",
        "name",
        values=lambda d, r: {
            "level": d["level1"].map(lambda l1: "一级指标" if l1 == "" else "二级指标")
        },
    ),
    # notation
    Check(
        "unparsable-target",
        "indicators",
        lambda d, r: d["target_kind"] == "unparsable",
        "「{name}」的年度指标值「{target}」无法识别（既不是数值目标也不是定性描述）",
        "target_cell",
        "name",
    ),
    Check(
        "unit-mismatch",
        "indicators",
        _unit_mismatch,
        "「{name}」目标单位为「{target_unit}」，实际完成值单位为「{actual_unit}」，无法直接比较",
        "actual_cell",
        "name",
    ),
    Check(
        "qualitative-unknown",
        "indicators",
        lambda d, r: (
            (d["actual_kind"] == "qualitative")
            & d["band"].isna()
            & ~d["target_kind"].isin(NUMERIC_TARGET)
        ),
        "「{name}」的实际完成值「{actual}」不在定性评级词表中，暂按自评得分计，请复核",
        "actual_cell",
        "name",
    ),
    Check(
        "ambiguous-percent",
        "indicators",
        lambda d, r: d["ambiguous_percent"].astype(bool),
        "「{name}」的实际完成值 {actual} 按百分比 {actual_number:num}% 理解",
        "actual_cell",
        "name",
    ),
    # scores
    outside_weight(
        "indicators",
        "self_score",
        "weight",
        "score_cell",
        "name",
        "「{name}」的得分 {self_score:num} 超出 0～{weight:num} 分的范围",
    ),
    differs_from_review(
        "indicators",
        "self_score",
        "review_score",
        "score_cell",
        "name",
        "「{name}」自评得分 {self_score:num}，复核得分 {review_score:num}",
        only=_scored,
    ),
    Check(
        "qualitative-band",
        "indicators",
        _outside_band,
        "「{name}」实际完成为「{band}」，自评得分 {self_score:num} 应在 {lo:num}～{hi:num} 分之间",
        "score_cell",
        "name",
        values=_band_values,
    ),
    Check(
        "over-achievement",
        "indicators",
        lambda d, r: d["over_achieved"].astype(bool),
        "「{name}」实际完成值 {actual} 达到目标 {target} 的 {ratio:num} 倍以上，目标可能设置偏低",
        "actual_cell",
        "name",
        values=lambda d, r: {"ratio": r.indicators.over_achievement_ratio},
    ),
    Check(
        "missing-deviation-reason",
        "indicators",
        _no_reason,
        "「{name}」{deviation}，但未填写偏差原因分析及改进措施",
        "reason_cell",
        "name",
        values=_deviation,
    ),
    # categories
    Check(
        "empty-category",
        "categories",
        lambda c, r: (c["level2"] != "") & ~c["filled"].astype(bool),
        "二级指标「{level2}」（{level1}）下没有填写三级指标",
        "cell",
        "level2",
    ),
]
