"""The two checks a unit's own score gets wherever it stands (the budget row
of a form, every indicator): within 0…分值, and close to perfxl's review score.
Declared once here, for any table that has a self score, its 分值 and its
review score."""

from __future__ import annotations

from perfxl.checks.runner import Check

EPS = 1e-9


def outside_weight(
    table: str, score: str, weight: str, cell: str, field: str, message: str
) -> Check:
    """score-above-weight: a self score above its 分值 or below 0."""
    return Check(
        "score-above-weight",
        table,
        lambda d, r: d[score].notna() & ((d[score] > d[weight] + EPS) | (d[score] < 0)),
        message,
        cell,
        field,
    )


def differs_from_review(
    table: str, score: str, review: str, cell: str, field: str, message: str, *, only=None
) -> Check:
    """self-score-differs: a self score further than ``tolerances.self_score``
    from the review score (``only``: a further condition on the rows)."""

    def when(d, r):
        far = d[score].notna() & ((d[score] - d[review]).abs() > r.tolerances.self_score + EPS)
        return far & only(d) if only else far

    return Check("self-score-differs", table, when, message, cell, field)
