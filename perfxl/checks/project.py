"""The reviewer's checks of spec/checks.md, each a small vectorised rule.

Every rule takes the batch :class:`Frames` and returns a problems frame (one
row per finding, located to file, sheet and cell). All rules run; none stops
the others. Batch-level rules (duplicate-project) see every form at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from perfxl.batch.frames import PROBLEM_COLUMNS, Frames
from perfxl.batch.frames import fmt as _f
from perfxl.batch.frames import pct as _pct
from perfxl.batch.frames import problem_rows as _out
from perfxl.model import SEVERITY_ORDER, Problem, cell_sort_key
from perfxl.rules.schema import DEFAULT, Rules

Rule = Callable[[Frames, Rules], pd.DataFrame]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


# -- identity and funds -------------------------------------------------------
@rule
def missing_identity(fr: Frames, rules: Rules) -> pd.DataFrame:
    parts = []
    for col, cell, label in (
        ("project_name", "project_cell", "项目名称"),
        ("department", "department_cell", "主管部门"),
        ("implementer", "implementer_cell", "实施单位"),
    ):
        bad = fr.forms[fr.forms[col].fillna("") == ""]
        msg = [f"「{label}」未填写" if c else f"表中找不到「{label}」栏" for c in bad[cell]]
        parts.append(_out(bad, "missing-field", "error", cell, label, msg))
    for col, cell, label in (
        ("budget", "budget_cell", "全年预算数"),
        ("executed", "executed_cell", "全年执行数"),
    ):
        bad = fr.forms[fr.forms[col].isna()]
        msg = [
            f"年度资金总额行的「{label}」未填写"
            if has
            else "表中找不到「年度资金总额」行，无法计算预算执行率"
            for has in bad["has_total_row"]
        ]
        parts.append(_out(bad, "missing-field", "error", cell, label, msg))
    return pd.concat(parts, ignore_index=True)


@rule
def fund_numbers(fr: Frames, rules: Rules) -> pd.DataFrame:
    parts = []
    if fr.funds.empty:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    for attr, label in (
        ("initial", "年初预算数"),
        ("budget", "全年预算数"),
        ("executed", "全年执行数"),
    ):
        bad = fr.funds[fr.funds[f"{attr}_bad"]]
        msg = [
            f"「{lab}」的{label}「{t}」不是数字"
            for lab, t in zip(bad["label"], bad[f"{attr}_text"], strict=True)
        ]
        parts.append(_out(bad, "not-a-number", "error", f"{attr}_cell", label, msg))
    return pd.concat(parts, ignore_index=True)


@rule
def execution(fr: Frames, rules: Rules) -> pd.DataFrame:
    f = fr.forms
    parts = []
    over = f[(f["executed"] > f["budget"] + 1e-9) & f["budget"].notna()]
    parts.append(
        _out(
            over,
            "over-budget",
            "warning",
            "executed_cell",
            "全年执行数",
            [
                f"全年执行数 {_f(e)} 万元超过全年预算数 {_f(b)} 万元（执行率 {_pct(e / b)}），请核实"
                for e, b in zip(over["executed"], over["budget"], strict=True)
            ],
        )
    )
    low_at = rules.budget.low_execution
    low = f[f["rate"].notna() & (f["rate"] < low_at - 1e-12)]
    low = low.assign(
        rate_or_executed_cell=low["rate_cell"].where(low["rate_cell"] != "", low["executed_cell"])
    )
    parts.append(
        _out(
            low,
            "low-execution",
            "warning",
            "rate_or_executed_cell",
            "执行率",
            [f"预算执行率 {_pct(r)} 低于 {_pct(low_at)}" for r in low["rate"]],
        )
    )
    tol = rules.budget.rate_tolerance
    rd = f[f["rate"].notna() & f["rate_written"].notna()]
    rd = rd[(rd["rate"] - rd["rate_written"]).abs() > tol + 1e-12]
    parts.append(
        _out(
            rd,
            "rate-differs",
            "warning",
            "rate_cell",
            "执行率",
            [
                f"填写的执行率 {_pct(w)} 与 全年执行数/全年预算数 = {_pct(r)} 不一致"
                for w, r in zip(rd["rate_written"], rd["rate"], strict=True)
            ],
        )
    )
    return pd.concat(parts, ignore_index=True)


@rule
def fund_structure(fr: Frames, rules: Rules) -> pd.DataFrame:
    d = fr.funds
    if d.empty:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    parts = []
    key = ["file", "sheet"]
    totals = d[d["kind"] == "total"].drop_duplicates(key)
    sources = d[d["kind"] != "total"]
    for attr, label in (
        ("initial", "年初预算数"),
        ("budget", "全年预算数"),
        ("executed", "全年执行数"),
    ):
        s = sources.groupby(key, sort=False)[attr].agg(["sum", "count"]).reset_index()
        m = totals.merge(s, on=key, how="inner")
        # a total that is an uncached SUM formula was computed from the sources: not a finding
        m = m[
            (m["count"] > 0)
            & ~m[f"{attr}_formula"]
            & ((m[attr].fillna(0) - m["sum"]).abs() > 0.005)
        ]
        msg = [
            f"{label}：其中各项资金合计 {_f(sm)} 万元，与年度资金总额 {_f(t)} 万元不一致"
            for sm, t in zip(m["sum"], m[attr], strict=True)
        ]
        parts.append(_out(m, "sources-not-sum", "warning", f"{attr}_cell", label, msg))
    ch = totals[
        totals["initial"].notna()
        & totals["budget"].notna()
        & ((totals["initial"] - totals["budget"]).abs() > 1e-9)
    ]
    parts.append(
        _out(
            ch,
            "budget-changed",
            "info",
            "budget_cell",
            "全年预算数",
            [
                f"全年预算数 {_f(b)} 万元与年初预算数 {_f(i)} 万元不同（年中有预算调整）"
                for b, i in zip(ch["budget"], ch["initial"], strict=True)
            ],
        )
    )
    return pd.concat(parts, ignore_index=True)


# -- weights and totals ---------------------------------------------------------
@rule
def weights(fr: Frames, rules: Rules) -> pd.DataFrame:
    f = fr.forms[fr.forms["level3_count"] > 0]
    tol = rules.weights.tolerance
    total = rules.weights.total
    bad = f[(f["weights_sum"] - total).abs() > tol]
    parts = [
        _out(
            bad,
            "weights-not-100",
            "error",
            "weights_cell",
            "分值",
            [
                f"预算执行分值与各指标分值合计为 {_f(w)}，应为 {_f(total)}"
                for w in bad["weights_sum"]
            ],
        )
    ]
    std = {k: float(v) for k, v in rules.weights.level1.items()}
    if not rules.weights.check_level1_split:
        return parts[0]
    # only a three-一级 form with the standard budget weight and the standard 一级 names
    eligible = f[
        (f["level1_count"] == len(std))
        & ((f["budget_weight"] - rules.budget.default_weight).abs() < 1e-9)
        & f["level1_weights"].map(lambda d: set(d) == set(std))
    ]
    got = pd.DataFrame(eligible["level1_weights"].tolist(), index=eligible.index, columns=list(std))
    off = eligible[(got - pd.Series(std)).abs().gt(tol).any(axis=1)] if not got.empty else eligible
    standard = "/".join(_f(v) for v in std.values())
    msgs = [
        "一级指标分值为 "
        + "、".join(f"{k}{_f(d[k])}分" for k in std)
        + f"，与标准的 {standard} 不同（调整需经批准）"
        for d in off["level1_weights"]
    ]
    parts.append(_out(off, "level1-weights", "warning", "weights_cell", "分值", msgs))
    return pd.concat(parts, ignore_index=True)


@rule
def totals(fr: Frames, rules: Rules) -> pd.DataFrame:
    f = fr.forms
    parts = []
    tol_sum = rules.tolerances.total_sum
    s = f[f["self_total_written"].notna() & f["self_sum"].notna()]
    s = s[(s["self_total_written"] - s["self_sum"]).abs() > tol_sum]
    parts.append(
        _out(
            s,
            "total-differs",
            "warning",
            "self_total_cell",
            "总分",
            [
                f"填写的总分 {_f(t)} 与各项自评得分之和 {_f(x)} 不一致"
                for t, x in zip(s["self_total_written"], s["self_sum"], strict=True)
            ],
        )
    )
    high = rules.tolerances.total_high
    t = f[f["self_total"].notna()]
    gap = t["self_total"] - t["review_total"]
    hi = t[gap > high + 1e-9]
    parts.append(
        _out(
            hi,
            "total-differs",
            "warning",
            "self_total_cell",
            "总分",
            [
                f"自评得分偏高：自评总分 {_f(a)}，复核总分 {_f(b)}"
                for a, b in zip(hi["self_total"], hi["review_total"], strict=True)
            ],
        )
    )
    lo = t[gap < -high - 1e-9]
    parts.append(
        _out(
            lo,
            "total-differs",
            "info",
            "self_total_cell",
            "总分",
            [
                f"自评总分 {_f(a)} 低于复核总分 {_f(b)}"
                for a, b in zip(lo["self_total"], lo["review_total"], strict=True)
            ],
        )
    )
    tol = rules.tolerances.self_score
    b = f[f["budget_self"].notna()]
    above = b[(b["budget_self"] > b["budget_weight"] + 1e-9) | (b["budget_self"] < 0)]
    parts.append(
        _out(
            above,
            "score-above-weight",
            "error",
            "budget_score_cell",
            "预算执行得分",
            [
                f"预算执行得分 {_f(x)} 超出 0～{_f(w)} 分的范围"
                for x, w in zip(above["budget_self"], above["budget_weight"], strict=True)
            ],
        )
    )
    b = b[(b["budget_self"] - b["budget_score"]).abs() > tol + 1e-9]
    parts.append(
        _out(
            b,
            "self-score-differs",
            "warning",
            "budget_score_cell",
            "预算执行得分",
            [
                f"预算执行自评得分 {_f(x)}，复核得分 {_f(y)}"
                for x, y in zip(b["budget_self"], b["budget_score"], strict=True)
            ],
        )
    )
    return pd.concat(parts, ignore_index=True)


# -- indicators -------------------------------------------------------------------
from perfxl.checks.indicators import indicator_rules  # noqa: E402
from perfxl.checks.selfeval import selfeval_checks  # noqa: E402

RULES.extend(indicator_rules)
RULES.extend(selfeval_checks)


@rule
def duplicates(fr: Frames, rules: Rules) -> pd.DataFrame:
    f = fr.forms[fr.forms["project_name"].fillna("") != ""]
    key = ["project_name", "implementer", "year"]
    dup = f[f.duplicated(key, keep=False)]
    if dup.empty:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    # transform keeps each row's own group, also when a key is missing (no year)
    listing = dup.groupby(key, dropna=False, sort=False)["file"].transform(
        lambda s: _listing(list(s))
    )
    msgs = [
        f"同一项目（{n}，{i or '实施单位未填'}，{'年度未填' if pd.isna(y) else f'{int(y)}年度'}）在本批中出现多次：{files}"
        for n, i, y, files in zip(
            dup["project_name"], dup["implementer"], dup["year"], listing, strict=True
        )
    ]
    return _out(dup, "duplicate-project", "warning", "project_cell", "项目名称", msgs)


DUPLICATES_LISTED = 5


def _listing(files: list[str]) -> str:
    """The files of a duplicate group, the first few by name: every member's
    message lists them, so a long list would grow with the square of the group."""
    names = list(dict.fromkeys(files))
    if len(names) <= DUPLICATES_LISTED:
        return "、".join(names)
    return "、".join(names[:DUPLICATES_LISTED]) + f" 等 {len(names)} 个文件"


def validate(
    frames: Frames, rules: Rules = DEFAULT, rules_list: list[Rule] | None = None
) -> pd.DataFrame:
    """Run every rule (or those given) over the batch; one sorted problems frame."""
    parts = [r(frames, rules) for r in (rules_list or RULES)] if not frames.forms.empty else []
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    df = pd.concat(parts, ignore_index=True)
    return sort_problems(df)


def sort_problems(df: pd.DataFrame) -> pd.DataFrame:
    df = df.assign(
        _sev=df["severity"].map(SEVERITY_ORDER),
        _cell=df["cell"].fillna("").map(cell_sort_key),
    )
    return (
        df.sort_values(["_sev", "file", "sheet", "_cell", "code"], kind="stable")
        .drop(columns=["_sev", "_cell"])
        .reset_index(drop=True)
    )


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    return pd.DataFrame([p.as_dict() for p in problems], columns=PROBLEM_COLUMNS)


def to_problems(df: pd.DataFrame) -> list[Problem]:
    return [
        Problem(
            code=r.code,
            severity=r.severity,
            message=r.message,
            file=r.file,
            sheet=r.sheet,
            cell=r.cell or "",
            field=r.field or "",
        )
        for r in df.itertuples(index=False)
    ]
