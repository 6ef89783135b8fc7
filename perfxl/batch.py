"""Run the pipeline over many files: read → score → check → tables.

Per-file work is a pure function of the path, done in chunks by a process
pool; each chunk comes back as small tables (vectorised checks already run),
so the parent never holds thousands of workbooks or form objects. Batch-level
checks (duplicate-project) run once over the forms table at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .frames import PROBLEM_COLUMNS, Frames, build_frames
from .model import ProjectForm, ProjectScore
from .read import read_workbook
from .rules import DEFAULT, Rules
from .score import score_form
from .validate import RULES, duplicates, problems_frame, sort_problems, validate

PROJECT_COLUMNS = [
    "file", "sheet", "year", "department", "implementer", "project_name", "initial_budget", "budget",
    "executed", "rate", "budget_score", "level1_count", "level2_count", "level3_count", "achieved_count",
    "completion_rate", "self_total", "review_total", "grade",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "file", "sheet", "project_name", "level1", "level2", "name", "target", "actual", "op", "unit",
    "weight", "self_score", "review_score", "achieved", "reason",
]  # fmt: skip
FILE_COLUMNS = ["file", "status", "forms"]


class InboxError(Exception):
    """The inbox or output folder cannot be used (missing, unreadable, nested)."""


@dataclass
class BatchResult:
    """Everything a batch produced, as tables (see the column lists above)."""

    projects: pd.DataFrame
    indicators: pd.DataFrame
    problems: pd.DataFrame
    files: pd.DataFrame
    inbox: str = ""
    sources: dict[str, Path] = field(default_factory=dict)  # display name -> path

    def add_problems(self, problems: pd.DataFrame | list) -> None:
        """Add findings (a frame or Problems), keep the report order and the
        per-project error/warning counts right."""
        if isinstance(problems, list):
            problems = problems_frame(problems)
        if not problems.empty:
            both = [f for f in (self.problems, problems) if not f.empty]
            self.problems = sort_problems(pd.concat(both, ignore_index=True))
        for severity, column in (("error", "errors"), ("warning", "warnings")):
            self.projects[column] = count_problems(self.projects, self.problems, severity)

    @property
    def has_errors(self) -> bool:
        return (
            bool((self.problems["severity"] == "error").any()) if not self.problems.empty else False
        )

    def counts(self) -> dict[str, int]:
        f, p = self.files, self.problems
        return {
            "files": len(f),
            "read": int((f["status"] == "read").sum()),
            "failed": int((f["status"] == "failed").sum()),
            "skipped": int((f["status"] == "skipped").sum()),
            "forms": len(self.projects),
            "errors": int((p["severity"] == "error").sum()),
            "warnings": int((p["severity"] == "warning").sum()),
            "infos": int((p["severity"] == "info").sum()),
        }


def review_file(path: Path, display: str, rules: Rules = DEFAULT):
    """Read and score one file: (ReadResult, [(form, score)]). Pure in the path."""
    result = read_workbook(path, display=display, rules=rules)
    return result, [(form, score_form(form, rules)) for form in result.forms]


def _chunk_tables(items: Sequence[tuple[str, str]], rules: Rules) -> dict[str, pd.DataFrame]:
    """Worker: review a chunk of files and return its tables, checks run."""
    reviews: list[tuple[ProjectForm, ProjectScore]] = []
    read_problems = []
    files = []
    for path, display in items:
        result, scored = review_file(Path(path), display, rules)
        reviews.extend(scored)
        read_problems.extend(result.problems)
        files.append((display, result.status, len(result.forms)))
    frames = build_frames(reviews, rules)
    local = [r for r in RULES if r is not duplicates]
    found = validate(frames, rules, rules_list=local)
    problems = pd.concat([problems_frame(read_problems), found], ignore_index=True)
    tables = {
        "projects": _projects(frames),
        "indicators": _indicator_rows(frames.indicators),
        "problems": problems,
        "files": pd.DataFrame(files, columns=FILE_COLUMNS),
        "forms_keys": frames.forms.reindex(
            columns=["file", "sheet", "project_name", "implementer", "year", "project_cell"]
        ),
    }
    memo: dict[str, str] = {}
    return {k: _share_strings(t, memo) for k, t in tables.items()}


def _share_strings(df: pd.DataFrame, memo: dict[str, str]) -> pd.DataFrame:
    """Make equal strings one object (in place; values and dtypes unchanged).

    The tables repeat a few thousand distinct texts (file and project names,
    indicator levels, names, units, codes) over hundreds of thousands of
    cells, each read from its own workbook as its own object: at 10,000 forms
    that is ~100 MB of duplicates in the parent, which must stay small while
    the summary is written. Done in the worker, pickling sends each text once
    per chunk; done again in the parent, once per batch.
    """
    for c in df.columns:
        col = df[c]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            shared = [memo.setdefault(v, v) if type(v) is str else v for v in col.tolist()]
            df[c] = pd.Series(shared, index=df.index, dtype=col.dtype)
    return df


def _projects(frames: Frames) -> pd.DataFrame:
    f = frames.forms
    if f.empty:
        return pd.DataFrame(columns=PROJECT_COLUMNS)
    return f.reindex(columns=PROJECT_COLUMNS).copy()


def _indicator_rows(ind: pd.DataFrame) -> pd.DataFrame:
    """The 指标明细 rows: ``op`` shows how the indicator was scored
    (>=, <=, =, time, qualitative, na; '' when it could not be scored)."""
    if ind.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    out = ind.assign(op=ind["rule"].where(ind["rule"] != "unscored", ""))
    return out.reindex(columns=INDICATOR_COLUMNS)


def discover(inbox: Path, exclude: Path | None = None) -> list[tuple[Path, str]]:
    """Every file under inbox (recursively, sorted), with its display name."""
    if not inbox.exists():
        raise InboxError(f"收件箱不存在：{inbox}")
    if inbox.is_file():
        return [(inbox, inbox.name)]
    out = []
    ex = exclude.resolve() if exclude else None
    for root, dirs, names in os.walk(inbox):
        root_p = Path(root)
        dirs[:] = sorted(d for d in dirs if ex is None or (root_p / d).resolve() != ex)
        for name in sorted(names):
            p = root_p / name
            out.append((p, p.relative_to(inbox).as_posix()))
    return out


def collect(paths: Sequence[Path]) -> tuple[list[tuple[Path, str]], str]:
    """Files for a list of PATH arguments (files or folders) and a label for the inbox."""
    items: list[tuple[Path, str]] = []
    for p in paths:
        if p.is_dir():
            items.extend((f, d if len(paths) == 1 else f"{p.name}/{d}") for f, d in discover(p))
        elif p.exists():
            items.append((p, p.name if len(paths) == 1 else str(p)))
        else:
            raise InboxError(f"文件或文件夹不存在：{p}")
    label = str(paths[0]) if len(paths) == 1 else "、".join(str(p) for p in paths)
    return items, label


# Every chunk costs ~40 ms of pandas work (frames and checks) on top of ~8 ms a
# file, so chunks should be large; but the last chunks decide when the pool
# finishes, so they should be small. Guided scheduling does both: each chunk is
# the remaining work split 2×jobs ways, clamped to [MIN_CHUNK, MAX_CHUNK].
MIN_CHUNK, MAX_CHUNK = 16, 256


def _chunks(items: list, jobs: int) -> Iterator[list]:
    i = 0
    while i < len(items):
        left = len(items) - i
        size = max(MIN_CHUNK, min(MAX_CHUNK, -(-left // (2 * jobs))))
        yield items[i : i + size]
        i += size


def run_batch(
    items: Sequence[tuple[Path, str]],
    *,
    rules: Rules = DEFAULT,
    jobs: int | None = None,
    inbox: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    """Review every file; ``progress(done, total)`` is called as files finish."""
    jobs = jobs or os.cpu_count() or 1
    plain = [(str(p), d) for p, d in items]
    chunks = list(_chunks(plain, jobs))
    parts: list[dict[str, pd.DataFrame]] = []
    done = 0
    if jobs == 1 or len(chunks) <= 1:
        for chunk in chunks:
            parts.append(_chunk_tables(chunk, rules))
            done += len(chunk)
            if progress:
                progress(done, len(plain))
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks))) as pool:
            results = pool.map(_chunk_tables, chunks, [rules] * len(chunks))
            memo: dict[str, str] = {}
            for chunk, tables in zip(chunks, results, strict=True):
                parts.append({k: _share_strings(t, memo) for k, t in tables.items()})
                done += len(chunk)
                if progress:
                    progress(done, len(plain))
    return _assemble(parts, rules, inbox, {d: p for p, d in items})


def _concat(parts: list[dict[str, pd.DataFrame]], key: str, columns: list[str]) -> pd.DataFrame:
    frames = [p[key] for p in parts if not p[key].empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def _assemble(parts, rules: Rules, inbox: str, sources: dict[str, Path]) -> BatchResult:
    projects = _concat(parts, "projects", PROJECT_COLUMNS)
    indicators = _concat(parts, "indicators", INDICATOR_COLUMNS)
    files = _concat(parts, "files", FILE_COLUMNS)
    keys = _concat(parts, "forms_keys", ["file", "sheet"])
    problems = _concat(parts, "problems", PROBLEM_COLUMNS)
    if not keys.empty:
        dup = duplicates(Frames(keys, pd.DataFrame(), pd.DataFrame(), pd.DataFrame()), rules)
        if not dup.empty:
            problems = pd.concat([problems, dup], ignore_index=True)
    result = BatchResult(
        projects, indicators, pd.DataFrame(columns=PROBLEM_COLUMNS), files, inbox, sources
    )
    result.add_problems(problems)
    return result


def count_problems(projects: pd.DataFrame, problems: pd.DataFrame, severity: str) -> list[int]:
    """Problems of that severity per project row: those on its sheet plus the
    file-level ones (no sheet), which concern every form of the file."""
    p = problems[problems["severity"] == severity]
    on_sheet = p.groupby(["file", "sheet"]).size()
    on_file = p[p["sheet"].fillna("") == ""].groupby("file").size()
    return [
        int(on_sheet.get((f, s), 0)) + int(on_file.get(f, 0))
        for f, s in zip(projects["file"], projects["sheet"], strict=True)
    ]


def inputs_time(paths: Sequence[Path]) -> datetime:
    """The newest input modification time (UTC, naive): outputs carry it as their
    creation time so that a second run over the same inbox writes the same bytes."""
    times = []
    for p in paths:
        try:
            times.append(p.stat().st_mtime)
        except OSError:
            continue
    ts = max(times) if times else 0.0
    return datetime.fromtimestamp(int(ts), UTC).replace(tzinfo=None)
