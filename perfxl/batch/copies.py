"""The completed copies of a batch: one per read workbook, written in a
process pool while the parent goes on with the 汇总表.

A run used to write every copy and then the 汇总表, one after the other;
the 汇总表 is the parent's work on one core, so a core stood idle for
seconds. Now :func:`start_copies` hands the copies to the pool and returns,
the parent writes the 汇总表, and :meth:`Copies.finish` collects the copies.
A copy that could not be written adds a problem to the batch, which the
汇总表 must list: :attr:`Copies.added_problems` tells the caller to write it
again (rare: a file the patcher refused, or one open in Excel/WPS).

The .xls inputs are converted by LibreOffice (write/libreoffice.py) in one
process that the run starts before reading the inbox (:func:`start_conversion`),
so its work overlaps the review pass instead of holding up the copies.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfxl.batch.gc_pause import paused_gc
from perfxl.batch.worker import review_file
from perfxl.checks.codes import problem
from perfxl.loop.record import up_to_date
from perfxl.rules.schema import Rules
from perfxl.write.atomic import OutputLocked

if TYPE_CHECKING:
    from perfxl.batch.run import BatchResult
    from perfxl.write.libreoffice import Conversion

__all__ = [
    "Copies",
    "complete_file",
    "complete_files",
    "completed_names",
    "problems_by_file",
    "start_conversion",
    "start_copies",
    "write_completed_all",
]

Result = tuple[str, str] | OutputLocked | None


def complete_file(
    src: str,
    dst: str,
    display: str,
    rules: Rules,
    problems: list,
    member: tuple[str, ...] = (),
    plan: bytes | object | None = None,
    converted: bytes | None = None,
) -> Result:
    """Worker: write one completed copy from the plan the review pass made
    (re-reading and re-scoring the file only when there is none, e.g. for a
    file whose review came from the cache). Returns (dst, how the copy was
    made); None when the copy could not be written, so one odd workbook never
    stops the batch; the error when an old copy is open in Excel/WPS (the user
    can fix that). A form inside an archive is written to a private temporary
    folder first (never the inbox), dated like its archive."""
    import contextlib
    import tempfile

    from perfxl.inbox.archive import member_bytes
    from perfxl.write.completed import make_plan, write_copy

    folder = tempfile.TemporaryDirectory(prefix="perfxl-") if member else contextlib.nullcontext()
    try:
        with paused_gc(), folder as tmp:
            source = Path(src)
            if member:
                source = Path(tmp) / Path(member[-1]).name
                source.write_bytes(member_bytes(Path(src), member, rules))
                st = Path(src).stat()
                os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
            if isinstance(plan, bytes):  # pickled by our own review worker
                plan = pickle.loads(plan)  # noqa: S301
            if plan is None:
                _, reviews = review_file(source, display, rules)
                plan = make_plan(list(reviews), rules)
            how = write_copy(source, Path(dst), plan, problems, rules=rules, converted=converted)
    except OutputLocked as exc:
        return exc
    except Exception:  # noqa: BLE001 - reported by the caller as a located problem
        return None
    return dst, how


def complete_files(tasks: list[tuple]) -> list[Result]:
    """Worker: a few copies in one task (the rules and the pool's bookkeeping
    are paid once per task, not once per file)."""
    return [complete_file(*task) for task in tasks]


def completed_names(displays: list[str]) -> dict[str, str]:
    """The completed copy's path under ``completed/`` for every input, never two
    alike: ``表.xlsx`` keeps its name; an input whose plain .xlsx name is taken
    (``表.xls`` or ``表.xlsm`` beside ``表.xlsx``) keeps its own extension in the
    name (``表.xls.xlsx``), then a number. An ``.xlsm`` keeps its own name: its
    copy keeps its VBA, and no other input's copy ends in .xlsm. Names are
    compared case-folded, as Windows and macOS compare them."""
    plain = {
        d: d if Path(d).suffix.lower() == ".xlsm" else Path(d).with_suffix(".xlsx").as_posix()
        for d in displays
    }
    taken: set[str] = set()
    names: dict[str, str] = {}
    # .xlsx inputs claim their own names first, so adding an .xls never renames them
    for d in sorted(displays, key=lambda d: (Path(d).suffix.lower() != ".xlsx", d)):
        candidates = [plain[d], f"{d}.xlsx"] if plain[d] != d else [d]
        name, k = candidates[0], 2
        for name in candidates:
            if name.casefold() not in taken:
                break
        while name.casefold() in taken:
            name = f"{Path(candidates[-1]).with_suffix('').as_posix()}-{k}.xlsx"
            k += 1
        taken.add(name.casefold())
        names[d] = name
    return names


def problems_by_file(batch: BatchResult) -> dict[str, list]:
    """Each file's problems, as its completed copy shows them (a replaced
    form's own problems included: they were set aside, not solved)."""
    import pandas as pd

    from perfxl.checks.runner import sort_problems, to_problems

    frames = [f for f in (batch.problems, batch.set_aside) if f is not None and not f.empty]
    if not frames:
        return {}
    both = sort_problems(pd.concat(frames, ignore_index=True)) if len(frames) > 1 else frames[0]
    out: dict[str, list] = {}
    for p in to_problems(both):  # one pass: a groupby per file cost ≈ 4 ms a file
        out.setdefault(p.file, []).append(p)
    return out


def legacy_files(sources: Sequence[Path]) -> set[Path]:
    """The .xls inputs, by content (an .xls renamed .xlsx is one)."""
    from perfxl.read.sniff import OLE_MAGIC

    out = set()
    for path in sources:
        try:
            with open(path, "rb") as fh:
                if fh.read(8) == OLE_MAGIC:
                    out.add(Path(path))
        except OSError:
            continue
    return out


# .xls files per LibreOffice instance at least: each instance costs ≈ 1.5 s to start
XLS_PER_INSTANCE = 40


def start_conversion(items: Sequence[tuple], jobs: int | None = None) -> Conversion | None:
    """Start converting the plain .xls files among ``items`` (path, display
    [, member chain]) with LibreOffice, where it is installed, in up to
    ``jobs`` instances; archive members are never converted (their copy is
    made from their values)."""
    from perfxl.write.libreoffice import Conversion, soffice

    if soffice() is None:
        return None
    legacy = legacy_files([Path(item[0]) for item in items if not (len(item) > 2 and item[2])])
    if not legacy:
        return None
    cores = jobs or os.cpu_count() or 1
    return Conversion(sorted(legacy), processes=min(cores, -(-len(legacy) // XLS_PER_INSTANCE)))


class Copies:
    """Completed copies being written; :meth:`finish` waits for them."""

    def __init__(self, batch: BatchResult, rules: Rules, progress: Callable | None) -> None:
        self.batch, self.rules, self.progress = batch, rules, progress
        self.kept: list[Path] = []
        self.tasks: list[tuple] = []
        self.legacy: set[Path] = set()
        self.results: list[Result] = []
        # (task indices, their future), in the order they were handed out
        self.batches: list[tuple[list[int], Future]] = []
        self.first = 0  # how many batches were handed out before the .xls ones
        self.chunk = 1
        self.waiting: list[int] = []  # the .xls tasks handed on once LibreOffice is done
        self.stack = ExitStack()
        self.watcher: threading.Thread | None = None
        self.submitter: threading.Thread | None = None
        self.failure: BaseException | None = None  # the submitter's, raised by finish()
        self.added_problems = False

    def _hand_out(self, pool: Any, indices: list[int]) -> None:
        for at in range(0, len(indices), self.chunk):
            part = indices[at : at + self.chunk]
            future = pool.submit(complete_files, [self.tasks[i] for i in part])
            self.batches.append((part, future))

    def _watch(self) -> None:
        """Report progress as copies finish (the parent's main thread is busy
        with the 汇总表 meanwhile): the copies handed out first, then the
        .xls copies once LibreOffice's packages have been handed on."""
        done, total = 0, len(self.tasks)
        for k in range(len(self.batches) if self.submitter is None else self.first):
            done += self._wait(k, done, total)
        if self.submitter is not None:
            self.submitter.join()
            for k in range(self.first, len(self.batches)):
                done += self._wait(k, done, total)

    def _wait(self, k: int, done: int, total: int) -> int:
        part, future = self.batches[k]
        future.exception()  # waits; the results are taken in finish()
        if self.progress:
            self.progress("写入完成稿", done + len(part), total)
        return len(part)

    def _submit_converted(self, pool: Any, conversion: Conversion | None) -> None:
        """Wait for LibreOffice (its process, not the GIL) and hand the .xls
        copies on with their converted packages."""
        try:
            converted = _converted(self.legacy, conversion)
            for i in self.waiting:
                task = self.tasks[i]
                self.tasks[i] = (*task[:-1], converted.get(Path(task[0])))
            self._hand_out(pool, self.waiting)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            self.failure = exc

    def abandon(self, conversion: Conversion | None = None) -> None:
        """After an error elsewhere in the run: stop LibreOffice, let the
        pool's work end and close it (the copies are not collected). A no-op
        once :meth:`finish` has run."""
        if conversion is not None:
            conversion.cancel()
        if self.submitter is not None:
            self.submitter.join()
        self.stack.close()

    def finish(self, locked: list[str] | None = None) -> list[Path]:
        """Wait for every copy; add a located problem for each copy that could
        not be made as planned (and set :attr:`added_problems`)."""
        try:
            if self.submitter is not None:
                self.submitter.join()
            if self.failure is not None:
                raise self.failure
            if self.batches:
                results: list[Result] = [None] * len(self.tasks)
                for part, future in self.batches:
                    for i, result in zip(part, future.result(), strict=True):
                        results[i] = result
                self.results = results
            if self.watcher is not None:
                self.watcher.join()
        finally:
            self.stack.close()
        tasks, results, legacy = self.tasks, self.results, self.legacy
        # a package the patcher refused (an .xls without LibreOffice is expected to be plain)
        plain = [
            t[2]
            for t, r in zip(tasks, results, strict=True)
            if isinstance(r, tuple)
            and (r[1] == "openpyxl" or (r[1] == "values" and Path(t[0]) not in legacy and not t[5]))
        ]
        if plain:
            from perfxl.checks.runner import apply_check_rules, problems_frame
            from perfxl.write.completed import FALLBACK_NOTE

            found = [problem("completed-plain-copy", FALLBACK_NOTE, file=d) for d in plain]
            self.batch.add_problems(apply_check_rules(problems_frame(found), self.rules))
            self.added_problems = True
        failed = [
            (t[2], r) for t, r in zip(tasks, results, strict=True) if not isinstance(r, tuple)
        ]
        if failed:
            from perfxl.checks.runner import apply_check_rules, problems_frame

            unwritten = "无法写出该工作簿的完成稿"
            found = [
                problem("completed-failed", f"{r or unwritten}（复核结果见汇总表）", file=d)
                for d, r in failed
            ]
            self.batch.add_problems(apply_check_rules(problems_frame(found), self.rules))
            self.added_problems = True
        if locked is not None:
            locked.extend(str(r) for _, r in failed if r is not None)
        return self.kept + [Path(r[0]) for r in results if isinstance(r, tuple)]


def start_copies(
    batch: BatchResult,
    outdir: Path,
    rules: Rules,
    jobs: int | None,
    progress: Callable[[str, int, int], None] | None = None,
    start_method: str | None = None,
    by_file: dict[str, list] | None = None,
    record: dict | None = None,
    fresh: set[str] | None = None,
    conversion: Conversion | None = None,
) -> Copies:
    """Start one completed copy per read workbook in a process pool and
    return at once (with one job, or one copy, they are written here and
    now). A copy the ``record`` of the last run says is up to date (input not
    ``fresh``, same problems, untouched since) is kept as it is.
    ``conversion``: the LibreOffice run started for this batch's .xls files
    (an .xls it did not cover is converted here). The .xls copies are handed
    to the pool when LibreOffice is done, from a thread that waits for it, so
    the .xlsx copies and the 汇总表 do not wait."""
    copies = Copies(batch, rules, progress)
    by_file = problems_by_file(batch) if by_file is None else by_file
    read = list(batch.files[batch.files["status"] == "read"]["file"])
    names = completed_names(read)
    tasks = []
    for d in read:
        dst = outdir / "completed" / names[d]
        if (
            fresh is not None
            and d not in fresh
            and up_to_date(record or {}, outdir, d, dst, by_file)
        ):
            copies.kept.append(dst)
            continue
        tasks.append((str(batch.sources[d]), str(dst), d, rules, by_file.get(d, []),
                      batch.members.get(d, ()), batch.plans.get(d)))  # fmt: skip
    copies.legacy = legacy_files([Path(t[0]) for t in tasks if not t[5]])
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(tasks) <= 1:
        converted = _converted(copies.legacy, conversion)
        copies.tasks = [(*t, converted.get(Path(t[0])) if not t[5] else None) for t in tasks]
        for i, task in enumerate(copies.tasks, 1):
            copies.results.append(complete_file(*task))
            if progress:
                progress("写入完成稿", i, len(tasks))
        return copies
    from perfxl.batch.pool import worker_pool
    from perfxl.write.libreoffice import soffice

    copies.tasks = [(*t, None) for t in tasks]
    if copies.legacy and (conversion is not None or soffice() is not None):
        copies.waiting = [
            i for i, t in enumerate(tasks) if not t[5] and Path(t[0]) in copies.legacy
        ]
    waiting = set(copies.waiting)
    # up to 16 files a task, and at least ≈ 8 tasks a worker, so the last ones are short
    copies.chunk = max(1, min(16, len(tasks) // (jobs * 8)))
    # forked workers share the parent's heap while it is frozen (batch/pool.py)
    pool = copies.stack.enter_context(worker_pool(jobs, start_method, freeze=True))
    try:
        copies._hand_out(pool, [i for i in range(len(tasks)) if i not in waiting])
        copies.first = len(copies.batches)
        if not copies.batches:
            pool.submit(int).result()  # the workers are forked here, not from a thread
    except BaseException:
        copies.stack.close()
        raise
    if waiting:
        copies.submitter = threading.Thread(
            target=copies._submit_converted, args=(pool, conversion), name="perfxl-xls", daemon=True
        )
        copies.submitter.start()
    copies.watcher = threading.Thread(target=copies._watch, name="perfxl-copies", daemon=True)
    copies.watcher.start()
    return copies


def _converted(legacy: set[Path], conversion: Conversion | None) -> dict[Path, bytes]:
    """The .xlsx LibreOffice made of each .xls: from the run started early,
    and for the .xls it did not cover (e.g. a cached file whose copy is
    missing), from one more run now."""
    from perfxl.write.libreoffice import convert_many, soffice

    done: dict[Path, bytes] = {}
    covered: set[Path] = set()
    if conversion is not None:
        covered = conversion.sources()
        done = conversion.result()
    rest = sorted(p for p in legacy if p not in covered)
    if rest and soffice() is not None:
        done.update(convert_many(rest))
    return {p: data for p, data in done.items() if p in legacy}


def write_completed_all(
    batch: BatchResult,
    outdir: Path,
    rules: Rules,
    jobs: int | None,
    progress: Callable[[str, int, int], None] | None = None,
    locked: list[str] | None = None,
    start_method: str | None = None,
    by_file: dict[str, list] | None = None,
    record: dict | None = None,
    fresh: set[str] | None = None,
) -> list[Path]:
    """Every completed copy, written before returning (see :func:`start_copies`)."""
    copies = start_copies(
        batch, outdir, rules, jobs, progress, start_method, by_file, record, fresh
    )
    return copies.finish(locked)
