"""Resubmissions: when a unit sends a corrected form, the latest one counts.

Forms share a project when 项目名称 + 实施单位 + 年度 agree after the name
normalisation of :mod:`perfxl.loop.names`. Within such a group the latest
*file* wins: a marker in its name (``修改稿``, ``更正``, ``修订``, ``第N版``,
``(2)``) first, then the newer modification time, then the later name (so the
choice never depends on the order of discovery). The other files' forms are
taken out of every total and listed as replaced (``replaced-submission``);
their problems are set aside (their completed copies still show them), and
the duplicate check runs again over what is left, so two forms of one file,
or two files the order cannot tell apart, still warn. ``--keep-all`` skips
all of this (every form counted, duplicates warned as before).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from perfxl.loop.names import norm_name

if TYPE_CHECKING:
    import pandas as pd

    from perfxl.batch.run import BatchResult
    from perfxl.rules.schema import Rules

_CN = {ch: i for i, ch in enumerate("一二三四五六七八九十", 1)}
_EDITION = re.compile(r"第\s*(\d+|[一二三四五六七八九十])\s*[版稿次]")
_COPY = re.compile(r"[(（]\s*(\d+)\s*[)）]\s*$")
_WORDS = re.compile(r"修改稿|修改版|更正|修订|修正|改正")
REPLACED_COLUMNS = ["file", "sheet", "project_name", "implementer", "year", "by"]


def marker_rank(display: str) -> int:
    """How late a file name says it is: 0 for none, 1 for 修改稿/更正/修订,
    N for 第N版 or a trailing (N)."""
    stem = PurePosixPath(display).stem
    rank = 1 if _WORDS.search(stem) else 0
    for m in _EDITION.finditer(stem):
        n = m.group(1)
        rank = max(rank, int(n) if n.isdigit() else _CN[n])
    m = _COPY.search(stem)
    if m:
        rank = max(rank, int(m.group(1)))
    return rank


def _key(frame: pd.DataFrame) -> pd.Series:
    import pandas as pd

    year = frame["year"].map(lambda y: "" if pd.isna(y) else str(int(y)))
    return (
        frame["project_name"].fillna("").map(norm_name)
        + "|"
        + frame["implementer"].fillna("").map(norm_name)
        + "|"
        + year
    )


def resolve(batch: BatchResult, mtimes: dict[str, float], rules: Rules) -> pd.DataFrame:
    """Take replaced forms out of ``batch`` (in place); return them
    (REPLACED_COLUMNS, ``by`` = the file that replaced them)."""
    import pandas as pd

    ident = batch.identity
    empty = pd.DataFrame(columns=REPLACED_COLUMNS)
    if ident is None or ident.empty:
        return empty
    named = ident[ident["project_name"].fillna("") != ""]
    keys = _key(named)
    # only a project sent in two or more files has a resubmission to settle:
    # found at once, so the loop below sees those few groups, not every project
    shared = named["file"].groupby(keys).transform("nunique") >= 2
    named, keys = named[shared], keys[shared]
    losers: list[dict] = []
    for _, group in named.groupby(keys, sort=True):
        files = list(dict.fromkeys(group["file"]))
        if len(files) < 2:
            continue
        winner = max(files, key=lambda f: (marker_rank(f), mtimes.get(f, 0.0), f))
        for row in group[group["file"] != winner].to_dict("records"):
            losers.append({**row, "by": winner})
    if not losers:
        return empty
    replaced = pd.DataFrame(losers)
    _take_out(batch, replaced, rules)
    return replaced.reindex(columns=REPLACED_COLUMNS)


def _take_out(batch: BatchResult, replaced: pd.DataFrame, rules: Rules) -> None:
    import pandas as pd

    from perfxl.batch.run import KEY_COLUMNS
    from perfxl.checks.catalog import check_batch
    from perfxl.checks.codes import problem
    from perfxl.checks.runner import apply_check_rules, problems_frame

    gone = set(zip(replaced["file"], replaced["sheet"], strict=True))

    def keep(frame: pd.DataFrame) -> pd.Series:
        pairs = zip(frame["file"], frame["sheet"].fillna(""), strict=True)
        return pd.Series([p not in gone for p in pairs], index=frame.index, dtype=bool)

    ident = batch.identity
    assert ident is not None
    batch.identity = ident[keep(ident)].reset_index(drop=True)
    batch.projects = batch.projects[keep(batch.projects)].reset_index(drop=True)
    batch.indicators = batch.indicators[keep(batch.indicators)].reset_index(drop=True)
    left = set(batch.identity["file"])
    probs = batch.problems
    whole_file = probs["sheet"].fillna("").eq("") & probs["file"].isin(set(replaced["file"]) - left)
    aside = ~keep(probs) | whole_file
    batch.set_aside = probs[aside & probs["code"].ne("duplicate-project")]
    rest = probs[~aside & probs["code"].ne("duplicate-project")]
    again = check_batch(batch.identity[KEY_COLUMNS], rules)
    notes = [
        problem(
            "replaced-submission",
            f"已被 {r['by']} 替代（同一项目的更新报送），本份不计入汇总",
            file=r["file"],
            sheet=r["sheet"],
            cell=str(r.get("project_cell") or ""),
        )
        for r in replaced.to_dict("records")
    ]
    batch.problems = rest.iloc[0:0]
    found = [
        f for f in (rest, again, apply_check_rules(problems_frame(notes), rules)) if not f.empty
    ]
    if found:
        batch.add_problems(pd.concat(found))
