"""The per-file work of a batch, as pool workers do it: read → score → records.

A pure function of the path. Nothing here imports pandas: a chunk of files
comes back as column lists (records.columns), which pickle small, and the
parent builds the batch frames and runs the vectorised checks once over
many chunks (:mod:`perfxl.batch.run`) instead of paying pandas' fixed cost per chunk.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from perfxl.batch.gc_pause import paused_gc
from perfxl.batch.records import columns, review_records
from perfxl.inbox.source import read_source
from perfxl.model import ProjectForm, ProjectScore, ReadResult
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.score.compute import score_form


def review_file(
    path: Path, display: str, rules: Rules = DEFAULT, member: Sequence[str] = ()
) -> tuple[ReadResult, list[tuple[ProjectForm, ProjectScore]]]:
    """Read and score one file: (ReadResult, [(form, score)]). Pure in the path
    (for a form inside an archive: the archive's path and the member chain)."""
    result = read_source(path, display, tuple(member), rules)
    return result, [(form, score_form(form, rules)) for form in result.forms]


def work_chunk(
    items: Sequence[tuple], rules: Rules = DEFAULT, plans: bool = False
) -> dict[str, Any]:
    """The pool worker: read and score a chunk of (path, display name[, member
    chain]) and return its tables as
    column lists by frame name, plus ``problems`` (the read problems, as
    Problem objects), ``files`` ((display, status, forms) per file) and, with
    ``plans``, ``plans`` (display -> the completed copy's plan: what to fill
    and the 复核 sheet's lines, so the copy needs no second read)."""
    reviews: list[tuple[ProjectForm, ProjectScore]] = []
    problems = []
    files = []
    copy_plans: dict[str, bytes] = {}
    with paused_gc():
        for path, display, *member in items:
            result, scored = review_file(Path(path), display, rules, member[0] if member else ())
            if plans and result.forms:
                from perfxl.write.completed import make_plan

                # pickled here: the parent holds 1,000s of plans, ≈ 5 KB as bytes
                # against ≈ 16 KB as objects, and only hands them on
                copy_plans[display] = pickle.dumps(make_plan(scored, rules), protocol=5)
            reviews.extend(scored)
            problems.extend(result.problems)
            files.append((display, result.status, len(result.forms)))
        records = review_records(reviews, rules)
        memo: dict[str, str] = {}
        out: dict[str, Any] = {name: _shared(columns(r), memo) for name, r in records.items()}
    out["problems"], out["files"], out["plans"] = problems, files, copy_plans
    return out


# the pool worker's former name ("review" now means only perfxl's score)
review_chunk = work_chunk


def _shared(cols: dict[str, list], memo: dict[str, str]) -> dict[str, list]:
    """Equal strings as one object. The tables repeat a few thousand distinct
    texts (file and project names, indicator levels, units, cell addresses)
    over many rows, each read from its own workbook as its own object; shared,
    pickling sends each text once per chunk and the parent holds it once per
    chunk, which keeps the parent small at 10,000 forms."""
    for values in cols.values():
        for i, v in enumerate(values):
            if type(v) is str:
                values[i] = memo.setdefault(v, v)
    return cols
