"""Run the pipeline over many files: read → score → check → tables.

Per-file work is a pure function of the path (:mod:`perfxl.batch.worker`), done in chunks by
a process pool; each chunk comes back as column lists, never workbooks or
form objects. The parent gathers them and, every few thousand forms and at
the end, builds the batch frames and runs every vectorised check once over
them (:mod:`perfxl.checks.catalog`), keeping only the slim tables the outputs need, so memory
stays bounded and pandas' fixed cost is paid per block, not per chunk.
Batch-level checks (duplicate-project) run once over all forms at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfxl.batch.records import FRAME_NAMES
from perfxl.batch.worker import review_file, work_chunk
from perfxl.rules.schema import DEFAULT, Rules

if TYPE_CHECKING:
    import pandas as pd

    from perfxl.batch.frames import Frames

# pandas, frames.py and the checks are imported inside the functions that use
# them: run_batch forks its pool workers first (they never need pandas), so the
# parent's ≈ 0.25 s import overlaps the workers' first chunks instead of
# delaying them.

__all__ = ["BatchResult", "InboxError", "collect", "discover", "review_file", "run_batch"]

PROJECT_COLUMNS = [
    "file", "sheet", "year", "department", "implementer", "project_name", "initial_budget", "budget",
    "executed", "rate", "budget_score", "level1_count", "level2_count", "level3_count", "achieved_count",
    "completion_rate", "self_total", "review_total", "grade", "budget_explanation",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "file", "sheet", "project_name", "level1", "level2", "name", "target", "actual", "op", "unit",
    "weight", "self_score", "review_score", "achieved", "reason", "explanation",
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
    # display name -> member chain inside the archive at sources[display] (archives only)
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # file, sheet, project, unit, year … of every form (IDENTITY_COLUMNS); not for the 汇总表
    identity: pd.DataFrame | None = None
    # forms not counted because a later submission replaced them, and their problems
    replaced: pd.DataFrame | None = None
    set_aside: pd.DataFrame | None = None
    # display name -> pickled CopyPlan (write/completed.py), when completed copies are wanted
    plans: dict[str, Any] = field(default_factory=dict)

    def add_problems(self, problems: pd.DataFrame | list) -> None:
        """Add findings (a frame or Problems), keep the report order and the
        per-project error/warning counts right."""
        import pandas as pd

        from perfxl.checks.runner import problems_frame, sort_problems

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


class _Gatherer:
    """Collects chunk results in the parent; checks them block by block."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.pending: dict[str, dict[str, list]] = {name: {} for name in FRAME_NAMES}
        self.pending_rows = 0
        self.done: dict[str, list[pd.DataFrame]] = {"projects": [], "indicators": [], "keys": []}
        self.problems: list[pd.DataFrame] = []
        self.read_problems: list = []
        self.files: list[tuple[str, str, int]] = []
        self.plans: dict[str, Any] = {}

    def add(self, chunk: dict[str, Any]) -> None:
        for name in FRAME_NAMES:
            target = self.pending[name]
            for key, values in chunk[name].items():
                target.setdefault(key, []).extend(values)
        self.pending_rows += len(chunk["indicators"].get("file", ()))
        self.read_problems.extend(chunk["problems"])
        self.files.extend(chunk["files"])
        self.plans.update(chunk.get("plans", ()))
        if self.pending_rows >= BLOCK_ROWS:
            self.check()

    def check(self) -> None:
        """Frames of the pending forms, every per-form check, slim tables kept."""
        from perfxl.batch.frames import frames_from_columns
        from perfxl.checks.catalog import check_forms

        if not self.pending["forms"]:
            return
        frames = frames_from_columns(self.pending)
        self.pending = {name: {} for name in FRAME_NAMES}
        self.pending_rows = 0
        self.problems.append(check_forms(frames, self.rules))
        self.done["projects"].append(_projects(frames))
        self.done["indicators"].append(_indicator_rows(frames.indicators))
        self.done["keys"].append(frames.forms.reindex(columns=IDENTITY_COLUMNS))

    def result(self, inbox: str, sources: dict[str, Path]) -> BatchResult:
        import pandas as pd

        from perfxl.checks.catalog import check_batch
        from perfxl.checks.runner import PROBLEM_COLUMNS, apply_check_rules, problems_frame

        self.check()
        projects = _concat(self.done["projects"], PROJECT_COLUMNS)
        indicators = _concat(self.done["indicators"], INDICATOR_COLUMNS)
        keys = _concat(self.done["keys"], IDENTITY_COLUMNS)
        found = [problems_frame(self.read_problems), *self.problems]
        if not keys.empty:
            found.append(check_batch(keys[KEY_COLUMNS], self.rules))
        files = pd.DataFrame(self.files, columns=FILE_COLUMNS)
        empty = pd.DataFrame(columns=PROBLEM_COLUMNS)
        result = BatchResult(
            projects, indicators, empty, files, inbox, sources, identity=keys, plans=self.plans
        )
        result.add_problems(apply_check_rules(_concat(found, PROBLEM_COLUMNS), self.rules))
        return result


# forms are checked in blocks of about this many indicator rows (≈ 3,500 forms):
# large enough that pandas' ≈ 40 ms per check run is spread thin, small enough
# that the full frames of a block (≈ 40 columns a row) never weigh much
BLOCK_ROWS = 50_000
KEY_COLUMNS = ["file", "sheet", "project_name", "implementer", "year", "project_cell"]
# who each form is from: kept beside the batch tables, never written to the 汇总表
# (filler and phone are personal data for the unit's own return list only)
IDENTITY_COLUMNS = [*KEY_COLUMNS, "department", "year_cell", "filler", "phone"]


def _projects(frames: Frames) -> pd.DataFrame:
    import pandas as pd

    f = frames.forms
    if f.empty:
        return pd.DataFrame(columns=PROJECT_COLUMNS)
    return f.reindex(columns=PROJECT_COLUMNS).copy()


def _indicator_rows(ind: pd.DataFrame) -> pd.DataFrame:
    """The 指标明细 rows: ``op`` shows how the indicator was scored
    (>=, <=, =, time, qualitative, na; '' when it could not be scored)."""
    import pandas as pd

    if ind.empty:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    out = ind.assign(op=ind["rule"].where(ind["rule"] != "unscored", ""))
    return out.reindex(columns=INDICATOR_COLUMNS)


def discover(
    inbox: Path, exclude: Path | None = None, rules: Rules = DEFAULT
) -> list[tuple[Path, str] | tuple[Path, str, tuple[str, ...]]]:
    """Every file under inbox (recursively, sorted), with its display name; an
    archive stands for its members (``归档.zip/内部路径``, see inbox/archive.py)."""
    from perfxl.inbox.archive import expand, is_archive

    if not inbox.exists():
        raise InboxError(f"收件箱不存在：{inbox}")
    if inbox.is_file():
        return expand(inbox, inbox.name, rules) if is_archive(inbox.name) else [(inbox, inbox.name)]
    out: list = []
    ex = exclude.resolve() if exclude else None
    for root, dirs, names in os.walk(inbox):
        root_p = Path(root)
        dirs[:] = sorted(d for d in dirs if ex is None or (root_p / d).resolve() != ex)
        for name in sorted(names):
            p = root_p / name
            display = p.relative_to(inbox).as_posix()
            if is_archive(name) and p.is_file():
                out.extend(expand(p, display, rules))
            else:
                out.append((p, display))
    return out


def collect(paths: Sequence[Path], rules: Rules = DEFAULT) -> tuple[list, str]:
    """Files for a list of PATH arguments (files or folders) and a label for the inbox.

    One PATH: names relative to it, as ``perfxl run`` gives them. Several: each
    name starts with its PATH as given (``a/收件箱/表.xlsx``, ``b/收件箱/表.xlsx``),
    so two inputs never share a name; a file reached twice is read once. An
    archive stands for its members, as in :func:`discover`."""
    from perfxl.inbox.archive import expand, is_archive

    items: list = []
    seen: set[tuple] = set()

    def add(path: Path, display: str, *rest: tuple[str, ...]) -> None:
        key = (path.resolve(), *rest)
        if key not in seen:
            seen.add(key)
            items.append((path, display, *rest))

    for p in paths:
        given = Path(os.path.normpath(p)).as_posix()
        if p.is_dir():
            for f, d, *rest in discover(p, rules=rules):
                add(f, d if len(paths) == 1 else f"{given}/{d}", *rest)
        elif p.exists():
            display = p.name if len(paths) == 1 else given
            for f, d, *rest in expand(p, display, rules) if is_archive(p.name) else [(p, display)]:
                add(f, d, *rest)
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
    items: Sequence[tuple[Path, str] | tuple[Path, str, tuple[str, ...]]],
    *,
    rules: Rules = DEFAULT,
    jobs: int | None = None,
    inbox: str = "",
    progress: Callable[[int, int], None] | None = None,
    start_method: str | None = None,
    plans: bool = False,
) -> BatchResult:
    """Review every file; ``progress(done, total)`` is called as files finish.

    An item is (path, display name), or (archive path, display name, member
    chain) for a form inside an archive (see :mod:`perfxl.inbox.archive`).
    ``start_method``: how pool workers start (:mod:`perfxl.batch.pool`; default
    fork where the platform has it). With ``plans``, each read file's
    completed-copy plan is kept (BatchResult.plans)."""
    jobs = jobs or os.cpu_count() or 1
    plain = [(str(item[0]), *item[1:]) for item in items]
    chunks = list(_chunks(plain, jobs))
    gathered = _Gatherer(rules)
    if jobs == 1 or len(chunks) <= 1:
        results: Iterator[dict[str, Any]] = (work_chunk(c, rules, plans) for c in chunks)
        _gather(gathered, chunks, results, progress, len(plain))
    else:
        from perfxl.batch.pool import worker_pool

        with worker_pool(min(jobs, len(chunks)), start_method) as pool:
            results = pool.map(work_chunk, chunks, [rules] * len(chunks), [plans] * len(chunks))
            import pandas  # noqa: F401 - the workers have started: import while they work

            _gather(gathered, chunks, results, progress, len(plain))
    result = gathered.result(inbox, {item[1]: item[0] for item in items})
    result.members = {item[1]: tuple(item[2]) for item in items if len(item) > 2 and item[2]}
    return result


def _gather(gathered: _Gatherer, chunks: list, results: Any, progress: Any, total: int) -> None:
    done = 0
    for chunk, tables in zip(chunks, results, strict=True):
        gathered.add(tables)
        done += len(chunk)
        if progress:
            progress(done, total)


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def count_problems(projects: pd.DataFrame, problems: pd.DataFrame, severity: str) -> list[int]:
    """Problems of that severity per project row: those on its sheet plus the
    file-level ones (no sheet), which concern every form of the file."""
    import pandas as pd

    if projects.empty:
        return []
    p = problems[problems["severity"] == severity]
    sheet = p["sheet"].fillna("")
    on_sheet = p.groupby([p["file"], sheet]).size()
    on_file = p[sheet == ""].groupby("file").size()
    keys = pd.MultiIndex.from_arrays([projects["file"], projects["sheet"].fillna("")])
    both = (
        on_sheet.reindex(keys, fill_value=0).to_numpy()
        + on_file.reindex(projects["file"], fill_value=0).to_numpy()
    )
    return [int(n) for n in both]


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
