"""Checks as data, and the one runner that turns their hits into problem rows.

A :class:`Check` declares which batch table it reads (``forms``, ``indicators``,
``funds`` or ``categories``), a vectorised condition over that table, the
message template and where the finding sits (cell and field columns). Its
severity is its code's, from the registry (:mod:`perfxl.checks.codes`); a
rules file may switch codes off (``[checks] skip``) or change their severity
(``[checks] severity``) — for every problem, the reader's included
(:func:`apply_check_rules`).

Message templates are ``str.format`` fields over the table's columns and the
check's ``values``; ``{x:num}`` writes a number as a message does (2 decimals
without trailing zeros, "空" when missing) and ``{x:pct}`` a fraction as a
percentage. A template is parsed once and filled column by column, so a
check over 100,000 rows costs a few list operations, not 100,000 format calls.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from perfxl.batch.frames import Frames
from perfxl.checks.codes import CODES, SEVERITY_ORDER, check_severity
from perfxl.model import Problem
from perfxl.rules.schema import Rules
from perfxl.text import cell_sort_key, number_text, percent_text

PROBLEM_COLUMNS = ["file", "sheet", "cell", "severity", "code", "field", "message"]

Condition = Callable[[pd.DataFrame, Rules], "pd.Series[bool]"]
Values = Callable[[pd.DataFrame, Rules], Mapping[str, Any]]


@dataclass(frozen=True)
class Check:
    """One check: rows of ``table`` where ``when`` holds become problems.

    ``cell`` and ``field`` name one of the ``values`` or a column of the table,
    or are written as given when there is no such column. ``values`` computes, for the hit rows
    only, extra figures the message names (a Series per row or one scalar).
    ``milder``: report at the code's milder severity (a self total *below* the
    review total is worth a note, one above it a warning).
    """

    code: str
    table: str
    when: Condition
    message: str
    cell: str
    field: str
    values: Values | None = None
    milder: bool = False
    needs: tuple[str, ...] = field(default=())  # columns without which the check cannot run

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"check of an unregistered code: {self.code}")
        if self.table not in TABLES:
            raise ValueError(f"check {self.code} reads an unknown table: {self.table}")


def fund_totals(frames: Frames) -> pd.DataFrame:
    """The total row of every form's funds (the first, if it has several), with
    the sum and count of its source rows' amounts: ``budget_sum``, ``budget_count`` …"""
    d = frames.funds
    if d.empty:
        return d
    key = ["file", "sheet"]
    totals = d[d["kind"] == "total"].drop_duplicates(key)
    sources = d[d["kind"] != "total"]
    for attr in ("initial", "budget", "executed"):
        sums = sources.groupby(key, sort=False)[attr].agg(["sum", "count"])
        sums.columns = [f"{attr}_sum", f"{attr}_count"]
        totals = totals.merge(sums.reset_index(), on=key, how="left")
    return totals


# the tables a check may read: the batch frames and the views derived from them
TABLES: dict[str, Callable[[Frames], pd.DataFrame]] = {
    "forms": lambda fr: fr.forms,
    "indicators": lambda fr: fr.indicators,
    "funds": lambda fr: fr.funds,
    "categories": lambda fr: fr.categories,
    "fund_totals": fund_totals,
}


def run_checks(frames: Frames, rules: Rules, checks: Iterable[Check]) -> pd.DataFrame:
    """Every check not skipped by the rules, over its table; one sorted problems frame."""
    if frames.forms.empty:
        return empty_problems()
    skip = set(rules.checks.skip)
    built: dict[str, pd.DataFrame] = {}

    def table(name: str) -> pd.DataFrame:
        if name not in built:
            built[name] = TABLES[name](frames)
        return built[name]

    parts = [hits(c, table(c.table), rules) for c in checks if c.code not in skip]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty_problems()
    return sort_problems(pd.concat(parts, ignore_index=True))


def hits(check: Check, table: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """The problem rows of one check over its table."""
    if table.empty or any(c not in table for c in check.needs):
        return empty_problems()
    mask = check.when(table, rules)
    rows = table[mask.fillna(False).astype(bool)] if len(mask) else table.iloc[0:0]
    if rows.empty:
        return empty_problems()
    values = dict(check.values(rows, rules)) if check.values else {}
    n = len(rows)
    return pd.DataFrame(
        {
            "file": rows["file"].to_numpy(),
            "sheet": rows["sheet"].to_numpy(),
            "cell": _column(rows, values, check.cell, n),
            "severity": [check_severity(check.code, check.milder)] * n,
            "code": [check.code] * n,
            "field": _column(rows, values, check.field, n),
            "message": fill(check.message, rows, values),
        }
    )


def _column(rows: pd.DataFrame, values: Mapping[str, Any], name: str, n: int) -> Any:
    """A cell or field: one of the check's values, a column, or the name as written."""
    if name in values:
        found = values[name]
        return found.to_numpy() if isinstance(found, pd.Series) else list(found)
    return rows[name].to_numpy() if name in rows else [name] * n


_FORMATS: dict[str, Callable[[Any], str]] = {
    "num": number_text,
    "pct": percent_text,
    "": lambda v: "" if v is None else str(v),
}


def fill(template: str, rows: pd.DataFrame, values: Mapping[str, Any]) -> list[str]:
    """The template filled for every row: literal text and formatted columns,
    joined row by row."""
    n = len(rows)
    pieces: list[list[str]] = []
    for literal, name, spec, _ in string.Formatter().parse(template):
        if literal:
            pieces.append([literal] * n)
        if name is None:
            continue
        source = values[name] if name in values else rows[name]
        fmt = _FORMATS[spec or ""]
        if isinstance(source, (pd.Series, list, tuple)):
            items = source.tolist() if isinstance(source, pd.Series) else list(source)
            pieces.append([fmt(v) for v in items])
        else:
            pieces.append([fmt(source)] * n)
    return ["".join(parts) for parts in zip(*pieces, strict=True)] if pieces else [""] * n


def empty_problems() -> pd.DataFrame:
    return pd.DataFrame(columns=PROBLEM_COLUMNS)


def sort_problems(df: pd.DataFrame) -> pd.DataFrame:
    """Report order: severity, file, sheet, cell (A2 before A10), code."""
    df = df.assign(
        _sev=df["severity"].map(SEVERITY_ORDER),
        _cell=df["cell"].fillna("").map(cell_sort_key),
    )
    return (
        df.sort_values(["_sev", "file", "sheet", "_cell", "code"], kind="stable")
        .drop(columns=["_sev", "_cell"])
        .reset_index(drop=True)
    )


def apply_check_rules(problems: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """The rules file's ``[checks]`` over any problems frame: skipped codes
    dropped, changed severities applied (to every finding of the code)."""
    skip = set(rules.checks.skip)
    severity = dict(rules.checks.severity)
    if problems.empty or not (skip or severity):
        return problems
    out = problems[~problems["code"].isin(skip)]
    if severity:
        changed = out["code"].map(severity)
        out = out.assign(severity=changed.where(changed.notna(), out["severity"]))
    return out.reset_index(drop=True)


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
