"""Turn reviewed forms into the batch tables everything downstream works on.

One row per indicator, per fund row and per form, keyed by file and sheet,
with the Excel address of every value kept: the checks in :mod:`perfxl.checks` are
vectorised over these frames, and the summary workbook is written from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from perfxl.batch.records import FRAME_NAMES, columns, review_records
from perfxl.model import ProjectForm, ProjectScore
from perfxl.rules.schema import DEFAULT, Rules


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
