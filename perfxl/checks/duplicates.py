"""The batch-level check: the same project (name + implementing unit + year)
filed more than once in one batch. It needs every form at once, so the batch
runs it after the per-form checks, over the slim key table of all forms."""

from __future__ import annotations

import pandas as pd

from perfxl.checks.runner import Check
from perfxl.rules.schema import Rules

DUPLICATES_LISTED = 5
KEY = ["project_name", "implementer", "year"]


def _listing(files: list[str]) -> str:
    """The files of a duplicate group, the first few by name: every member's
    message lists them, so a long list would grow with the square of the group."""
    names = list(dict.fromkeys(files))
    if len(names) <= DUPLICATES_LISTED:
        return "、".join(names)
    return "、".join(names[:DUPLICATES_LISTED]) + f" 等 {len(names)} 个文件"


def _duplicated(f: pd.DataFrame, r: Rules) -> pd.Series:
    """Named forms sharing name, unit and year (an unnamed form's key differs
    from every named one, so it never makes a named one a duplicate)."""
    return (f["project_name"].fillna("") != "") & f.duplicated(KEY, keep=False)


def _group_values(f: pd.DataFrame, r: Rules) -> dict:
    # transform keeps each row's own group, also when a key is missing (no year)
    listing = f.groupby(KEY, dropna=False, sort=False)["file"].transform(
        lambda s: _listing(list(s))
    )
    return {
        "unit": [i or "实施单位未填" for i in f["implementer"]],
        "year_text": ["年度未填" if pd.isna(y) else f"{int(y)}年度" for y in f["year"]],
        "files": listing,
    }


DUPLICATE_PROJECT = Check(
    "duplicate-project",
    "forms",
    _duplicated,
    "同一项目（{project_name}，{unit}，{year_text}）在本批中出现多次：{files}",
    "project_cell",
    "项目名称",
    values=_group_values,
)
