"""``--year``: forms of another year are listed (``wrong-year``), still counted.

A batch-level check with a parameter from the command line rather than the
rules file: the year being collected changes every round, the rules do not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from perfxl.checks.codes import problem
from perfxl.model import Problem

if TYPE_CHECKING:
    from perfxl.batch.run import BatchResult


def wrong_year(batch: BatchResult, year: int) -> list[Problem]:
    """One warning per form whose 年度 is not ``year`` (an unreadable year is
    the reader's missing-field, not this)."""
    ident = batch.identity
    if ident is None or ident.empty:
        return []
    out = []
    for r in ident.to_dict("records"):
        y = r.get("year")
        if y is None or y != y or int(y) == year:  # None/NaN: no year read
            continue
        out.append(
            problem(
                "wrong-year",
                f"表单年度为 {int(y)} 年，本次汇总的是 {year} 年度",
                file=r["file"],
                sheet=r["sheet"],
                cell=str(r.get("year_cell") or ""),
                field="年度",
            )
        )
    return out
