"""Turn reviewed forms into the batch tables everything downstream works on.

One row per indicator, per fund row and per form, keyed by file and sheet,
with the Excel address of every value kept: the checks in validate.py are
vectorised over these frames, and the summary workbook is written from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from perfxl.batch.records import FRAME_NAMES, columns, review_records
from perfxl.model import ProjectForm, ProjectScore
from perfxl.rules.schema import DEFAULT, Rules

PROBLEM_COLUMNS = ["file", "sheet", "cell", "severity", "code", "field", "message"]


@dataclass
class Frames:
    forms: pd.DataFrame
    indicators: pd.DataFrame
    funds: pd.DataFrame
    categories: pd.DataFrame


def frames_from_columns(tables: dict[str, dict[str, list]]) -> Frames:
    """Frames from column lists (records.columns); a missing table is empty."""

    def frame(name: str) -> pd.DataFrame:
        cols = tables.get(name) or {}
        return pd.DataFrame(cols) if cols else pd.DataFrame(columns=["file", "sheet"])

    return Frames(*(frame(name) for name in FRAME_NAMES))


def build_frames(reviews: list[tuple[ProjectForm, ProjectScore]], rules: Rules = DEFAULT) -> Frames:
    recs = review_records(reviews, rules)
    return frames_from_columns({name: columns(r) for name, r in recs.items()})


def problem_rows(
    df: pd.DataFrame, code: str, severity: str, cell, field, messages: Iterable[str]
) -> pd.DataFrame:
    """A problems frame for the rows of df (cell/field: column name or constant)."""
    if df.empty:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    n = len(df)
    return pd.DataFrame(
        {
            "file": df["file"].to_numpy(),
            "sheet": df["sheet"].to_numpy(),
            "cell": df[cell].to_numpy() if cell in df else [cell] * n,
            "severity": [severity] * n,
            "code": [code] * n,
            "field": df[field].to_numpy() if field in df else [field] * n,
            "message": list(messages),
        }
    )


def fmt(x: float | None) -> str:
    if x is None or pd.isna(x):
        return "空"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x, 2)) < 1e-9 else f"{x:.4g}"


def pct(x: float) -> str:
    return f"{x * 100:.2f}".rstrip("0").rstrip(".") + "%"
