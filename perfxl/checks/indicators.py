"""The per-indicator checks of spec/checks.md, vectorised over the batch's
indicator frame (one row per 三级 indicator of every form)."""

from __future__ import annotations

import pandas as pd

from perfxl.batch.frames import PROBLEM_COLUMNS, Frames, problem_rows
from perfxl.batch.frames import fmt as _f
from perfxl.rules.schema import Rules


def _out(df, code, severity, cell, messages, field="name"):
    return problem_rows(df, code, severity, cell, field, messages)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=PROBLEM_COLUMNS)


def completeness(fr: Frames, rules: Rules) -> pd.DataFrame:
    d = fr.indicators
    if d.empty:
        return _empty()
    parts = []
    no_name = d[d["name"] == ""]
    parts.append(
        _out(no_name, "missing-field", "error", "name_cell", ["三级指标名称未填写"] * len(no_name))
    )
    no_target = d[d["target_kind"] == "empty"]
    parts.append(
        _out(
            no_target,
            "missing-field",
            "error",
            "target_cell",
            [f"「{n}」的年度指标值未填写" for n in no_target["name"]],
        )
    )
    no_weight = d[d["weight_raw"] == ""]
    parts.append(
        _out(
            no_weight,
            "missing-field",
            "error",
            "weight_cell",
            [f"「{n}」的分值未填写" for n in no_weight["name"]],
        )
    )
    bad_weight = d[
        (d["weight_raw"] != "")
        & (d["weight"] == 0)
        & ~d["weight_raw"].str.fullmatch(r"[0０]+(\.0*)?")
    ]
    parts.append(
        _out(
            bad_weight,
            "not-a-number",
            "error",
            "weight_cell",
            [
                f"「{n}」的分值「{w}」不是数字"
                for n, w in zip(bad_weight["name"], bad_weight["weight_raw"], strict=True)
            ],
        )
    )
    no_actual = d[(d["actual_kind"] == "empty") & (d["target_kind"] != "na")]
    parts.append(
        _out(
            no_actual,
            "missing-actual",
            "error",
            "actual_cell",
            [
                (
                    "「{}」的实际完成值{}".format(
                        n,
                        "是公式但没有计算结果，请在 Excel 中打开并保存后重新提交"
                        if f
                        else "未填写",
                    )
                )
                for n, f in zip(no_actual["name"], no_actual["actual_formula"], strict=True)
            ],
        )
    )
    numeric_target = d["target_kind"].isin(["number", "time"])
    nan_actual = d[
        numeric_target
        & (
            (d["actual_kind"] == "unparsable")
            | ((d["actual_kind"] == "qualitative") & d["band"].isna())
        )
    ]
    parts.append(
        _out(
            nan_actual,
            "not-a-number",
            "error",
            "actual_cell",
            [
                f"「{n}」的实际完成值「{a}」不是可比较的数值（目标为「{t}」）"
                for n, a, t in zip(
                    nan_actual["name"], nan_actual["actual"], nan_actual["target"], strict=True
                )
            ],
        )
    )
    bad_self = d[(d["self_raw"] != "") & d["self_score"].isna() & ~d["self_marker"]]
    parts.append(
        _out(
            bad_self,
            "not-a-number",
            "error",
            "score_cell",
            [
                f"「{n}」的得分「{s}」不是数字"
                for n, s in zip(bad_self["name"], bad_self["self_raw"], strict=True)
            ],
        )
    )
    no_level = d[(d["level1"] == "") | (d["level2"] == "")]
    parts.append(
        _out(
            no_level,
            "level-missing",
            "error",
            "name_cell",
            [
                f"「{n}」没有{'一级指标' if l1 == '' else '二级指标'}（合并单元格展开后仍为空）"
                for n, l1 in zip(no_level["name"], no_level["level1"], strict=True)
            ],
        )
    )
    return pd.concat(parts, ignore_index=True)


def notation(fr: Frames, rules: Rules) -> pd.DataFrame:
    d = fr.indicators
    if d.empty:
        return _empty()
    parts = []
    un = d[d["target_kind"] == "unparsable"]
    parts.append(
        _out(
            un,
            "unparsable-target",
            "warning",
            "target_cell",
            [
                f"「{n}」的年度指标值「{t}」无法识别（既不是数值目标也不是定性描述）"
                for n, t in zip(un["name"], un["target"], strict=True)
            ],
        )
    )
    both = d[
        d["target_kind"].eq("number")
        & d["actual_kind"].eq("number")
        & (d["target_unit"] != "")
        & (d["actual_unit"] != "")
    ]
    mm = both[both["target_unit"] != both["actual_unit"]]
    parts.append(
        _out(
            mm,
            "unit-mismatch",
            "warning",
            "actual_cell",
            [
                f"「{n}」目标单位为「{tu}」，实际完成值单位为「{au}」，无法直接比较"
                for n, tu, au in zip(mm["name"], mm["target_unit"], mm["actual_unit"], strict=True)
            ],
        )
    )
    qu = d[
        (d["actual_kind"] == "qualitative")
        & d["band"].isna()
        & ~d["target_kind"].isin(["number", "time"])
    ]
    parts.append(
        _out(
            qu,
            "qualitative-unknown",
            "warning",
            "actual_cell",
            [
                f"「{n}」的实际完成值「{a}」不在定性评级词表中，暂按自评得分计，请复核"
                for n, a in zip(qu["name"], qu["actual"], strict=True)
            ],
        )
    )
    amb = d[d["ambiguous_percent"].astype(bool)]
    parts.append(
        _out(
            amb,
            "ambiguous-percent",
            "info",
            "actual_cell",
            [
                f"「{n}」的实际完成值 {a} 按百分比 {_f(x)}% 理解"
                for n, a, x in zip(amb["name"], amb["actual"], amb["actual_number"], strict=True)
            ],
        )
    )
    return pd.concat(parts, ignore_index=True)


def scores(fr: Frames, rules: Rules) -> pd.DataFrame:
    d = fr.indicators
    if d.empty:
        return _empty()
    parts = []
    has_self = d[d["self_score"].notna()]
    above = has_self[
        (has_self["self_score"] > has_self["weight"] + 1e-9) | (has_self["self_score"] < 0)
    ]
    parts.append(
        _out(
            above,
            "score-above-weight",
            "error",
            "score_cell",
            [
                f"「{n}」的得分 {_f(s)} 超出 0～{_f(w)} 分的范围"
                for n, s, w in zip(above["name"], above["self_score"], above["weight"], strict=True)
            ],
        )
    )
    tol = rules.tolerances.self_score
    cmp_ = has_self[~has_self["rule"].isin(["na", "unscored"])]
    diff = cmp_[(cmp_["self_score"] - cmp_["review_score"]).abs() > tol + 1e-9]
    parts.append(
        _out(
            diff,
            "self-score-differs",
            "warning",
            "score_cell",
            [
                f"「{n}」自评得分 {_f(s)}，复核得分 {_f(r)}"
                for n, s, r in zip(
                    diff["name"], diff["self_score"], diff["review_score"], strict=True
                )
            ],
        )
    )
    ranges = rules.indicators.band_ranges
    q = has_self[(has_self["rule"] == "qualitative") & has_self["band"].notna()]
    if not q.empty:
        lo = q["band"].map(lambda b: ranges.get(b, [0, 1])[0]) * q["effective_weight"]
        hi = q["band"].map(lambda b: ranges.get(b, [0, 1])[1]) * q["effective_weight"]
        out_of = q[(q["self_score"] < lo - 1e-9) | (q["self_score"] > hi + 1e-9)]
        lo, hi = lo[out_of.index], hi[out_of.index]
        parts.append(
            _out(
                out_of,
                "qualitative-band",
                "warning",
                "score_cell",
                [
                    f"「{n}」实际完成为「{b}」，自评得分 {_f(s)} 应在 {_f(a)}～{_f(z)} 分之间"
                    for n, b, s, a, z in zip(
                        out_of["name"], out_of["band"], out_of["self_score"], lo, hi, strict=True
                    )
                ],
            )
        )
    over = d[d["over_achieved"].astype(bool)]
    ratio = rules.indicators.over_achievement_ratio
    parts.append(
        _out(
            over,
            "over-achievement",
            "warning",
            "actual_cell",
            [
                f"「{n}」实际完成值 {a} 达到目标 {t} 的 {_f(ratio)} 倍以上，目标可能设置偏低"
                for n, a, t in zip(over["name"], over["actual"], over["target"], strict=True)
            ],
        )
    )
    no_reason = set(rules.words.no_reason)
    over_reason = _needs_over_reason(d, rules)
    needs = d[
        (d["achieved"].eq(False) | over_reason)
        & d["reason"].map(lambda r: r.strip() == "" or r.strip() in no_reason)
    ]
    parts.append(
        _out(
            needs,
            "missing-deviation-reason",
            "warning",
            "reason_cell",
            [
                f"「{n}」{'超额完成' if o else '未得满分（复核 ' + _f(r) + ' / ' + _f(w) + ' 分）'}，但未填写偏差原因分析及改进措施"
                for n, o, r, w in zip(
                    needs["name"],
                    over_reason[needs.index],
                    needs["review_score"],
                    needs["effective_weight"],
                    strict=True,
                )
            ],
        )
    )
    return pd.concat(parts, ignore_index=True)


def _needs_over_reason(d: pd.DataFrame, rules: Rules) -> pd.Series:
    """Over-achieved rows that need a deviation reason: by default the flagged
    over-achievement (≥ 1.2 × target on an at-least indicator); with
    ``indicators.over_reason_ratio`` (广西 1.3) any at-least or exactly
    indicator whose actual reaches that multiple of its target."""
    ratio = rules.indicators.over_reason_ratio
    if not ratio:
        return d["over_achieved"].astype(bool)
    t, a = d["target_number"].astype(float), d["actual_number"].astype(float)
    return (d["rule"].isin([">=", "="]) & (t > 0) & (a >= ratio * t - 1e-9)).fillna(False)


def categories(fr: Frames, rules: Rules) -> pd.DataFrame:
    c = fr.categories
    if c.empty:
        return _empty()
    empty = c[(c["level2"] != "") & ~c["filled"].astype(bool)]
    return _out(
        empty,
        "empty-category",
        "info",
        "cell",
        [
            f"二级指标「{b}」（{a}）下没有填写三级指标"
            for a, b in zip(empty["level1"], empty["level2"], strict=True)
        ],
        field="level2",
    )


indicator_rules = [completeness, notation, scores, categories]
