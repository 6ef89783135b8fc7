"""The finance bureau's one job: an inbox in, a completed copy of every
workbook and one summary workbook out (the README's quick start).

The CLI only calls :func:`run_inbox`; everything here is a library function
so that it can be tested and reused without a terminal.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from perfxl import __version__
from perfxl.batch.gc_pause import paused_gc
from perfxl.batch.run import (
    BatchResult,
    InboxError,
    collect,
    discover,
    inputs_time,
    review_file,
    run_batch,
)
from perfxl.checks.codes import problem
from perfxl.loop.record import outputs_record, run_record, up_to_date, write_record
from perfxl.loop.steps import (
    LoopOptions,
    LoopResult,
    extra_sheets,
    loop_tables,
    prune,
    settle,
    write_unit_returns,
)
from perfxl.read.sniff import WORKBOOK_SUFFIXES
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.write.atomic import OutputLocked, remove_stale_temps

SUMMARY_NAME = "汇总表.xlsx"
NO_WORKBOOKS = "收件箱中没有 Excel 文件"


@dataclass
class RunResult:
    batch: BatchResult
    summary: Path | None
    completed: list[Path] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    # outputs that could not replace the file already there (open in Excel/WPS):
    # one Chinese line each, naming the final file; the other outputs are written
    locked: list[str] = field(default_factory=list)
    loop: LoopResult = field(default_factory=LoopResult)
    read: list[str] = field(default_factory=list)  # items read this run (not from the cache)
    removed: list[Path] = field(default_factory=list)  # stale outputs of an earlier run


def check_outdir(inbox: Path, outdir: Path) -> None:
    """Refuse an output folder inside the inbox (or the inbox itself): a second
    run would read its own outputs, and inputs must never be written over."""
    try:
        inbox_r, out_r = inbox.resolve(), outdir.resolve()
    except OSError as exc:
        raise InboxError(f"无法访问路径：{exc}") from None
    if inbox.is_dir() and (out_r == inbox_r or inbox_r in out_r.parents):
        raise InboxError(f"输出文件夹不能位于收件箱内：{outdir}")
    if out_r.exists() and not out_r.is_dir():
        raise InboxError(f"输出路径已存在且不是文件夹：{outdir}")
    try:
        out_r.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InboxError(f"无法创建输出文件夹 {outdir}：{exc.strerror or exc}") from None
    if not os.access(out_r, os.W_OK):
        raise InboxError(f"输出文件夹不可写：{outdir}")


def summary_meta(batch: BatchResult, rules: Rules, sources: list[Path], bureau: str = ""):
    from perfxl.write.summary import SummaryMeta

    c = batch.counts()
    return SummaryMeta(
        version=__version__,
        rules_source=rules.title,
        rules_text=rules.text,
        inbox=batch.inbox,
        files_total=c["files"],
        files_read=c["read"],
        files_failed=c["failed"],
        files_skipped=c["skipped"],
        forms=c["forms"],
        generated_at=inputs_time(sources),
        rules=rules,
        bureau=bureau,
    )


def write_summary_for(
    batch: BatchResult, path: Path, rules: Rules, bureau: str = "", extra: list | None = None
) -> Path:
    """Write the 汇总表; ``bureau`` (the unit producing it) goes into the print title,
    ``extra`` sheets (报送情况, 整改情况) after the 问题清单."""
    from perfxl.write.summary import write_summary

    sources = list(batch.sources.values())
    meta = summary_meta(batch, rules, sources, bureau)
    write_summary(path, batch.projects, batch.indicators, batch.problems, meta, extra=extra or ())
    return path


def complete_file(
    src: str,
    dst: str,
    display: str,
    rules: Rules,
    problems: list,
    member: tuple[str, ...] = (),
    plan: bytes | object | None = None,
    converted: bytes | None = None,
) -> tuple[str, str] | OutputLocked | None:
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


def run_inbox(
    inbox: Path,
    outdir: Path,
    *,
    rules: Rules = DEFAULT,
    jobs: int | None = None,
    completed: bool = True,
    reports: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    bureau: str = "",
    loop: LoopOptions | None = None,
    returns: bool | None = None,
    roster: Path | None = None,
    previous: Path | None = None,
    start_method: str | None = None,
) -> RunResult:
    """Review every workbook under ``inbox`` and write the outputs to ``outdir``
    (``start_method``: how pool workers start, see :mod:`perfxl.batch.pool`).

    An output that cannot replace its old file (open in Excel/WPS) is listed in
    ``RunResult.locked``; every other output is still written.

    Incremental: items whose content perfxl already reviewed into this output
    folder come from its cache (inbox/cache.py), and a completed copy that is
    still what this run would write is left in place. ``loop`` adds the steps
    of perfxl/loop (return lists, roster, resubmissions, rounds); ``returns``,
    ``roster`` and ``previous`` set the same options one by one (perfxl serve).
    """
    from perfxl.inbox.archive import is_archive
    from perfxl.inbox.cache import run_cached

    given = {"returns": returns, "roster": roster, "previous": previous}
    loop = replace(loop or LoopOptions(), **{k: v for k, v in given.items() if v is not None})
    if inbox.is_file():
        raise InboxError(f"{NO_WORKBOOKS}：{inbox} 是一个文件，请指定存放自评表的文件夹")
    check_outdir(inbox, outdir)
    remove_stale_temps(outdir)  # a killed earlier run's half-written files
    items = discover(inbox, exclude=outdir, rules=rules)
    if not any(
        Path(item[1]).suffix.lower() in WORKBOOK_SUFFIXES or is_archive(item[1]) for item in items
    ):
        raise InboxError(f"{NO_WORKBOOKS}：{inbox}")
    batch, read = run_cached(
        items,
        outdir,
        rules=rules,
        jobs=jobs,
        inbox=str(inbox),
        progress=(lambda d, t: progress("读取与复核", d, t)) if progress else None,
        start_method=start_method,
        plans=completed,
    )
    settle(batch, loop, rules)
    tables = loop_tables(batch, loop)  # roster and previous record: fail before writing
    record = outputs_record(outdir)
    by_file = _problems_by_file(batch)
    fresh = set(read)
    locked: list[str] = []
    copies = (
        write_completed_all(
            batch, outdir, rules, jobs, progress, locked, start_method, by_file, record, fresh
        )
        if completed
        else []
    )
    summary: Path | None = outdir / SUMMARY_NAME
    try:
        write_summary_for(batch, summary, rules, bureau, extra_sheets(tables))
    except OutputLocked as exc:
        locked.append(str(exc))
        summary = None
    result = RunResult(batch, summary, completed=copies, locked=locked, loop=tables, read=read)
    if loop.returns:
        try:
            write_unit_returns(outdir, tables, inputs_time(list(batch.sources.values())))
        except OutputLocked as exc:
            locked.append(str(exc))
    if reports:
        result.reports = write_reports(batch, outdir / "reports", rules, result.locked)
    kept = [p for p in (summary, *copies, *tables.returns, *result.reports) if p is not None]
    result.removed = prune(outdir, set(kept))
    write_record(outdir, run_record(outdir, batch, tables, by_file, kept))
    return result


def _problems_by_file(batch: BatchResult) -> dict[str, list]:
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


def write_completed_all(
    batch: BatchResult,
    outdir: Path,
    rules: Rules,
    jobs: int | None,
    progress=None,
    locked: list[str] | None = None,
    start_method: str | None = None,
    by_file: dict[str, list] | None = None,
    record: dict | None = None,
    fresh: set[str] | None = None,
) -> list[Path]:
    """One completed copy per read workbook, in a process pool. A copy that
    cannot be written becomes a located problem of its file (and so appears
    in 问题清单), never a crashed batch; one whose old copy is open in
    Excel/WPS is also added to ``locked``. A copy the ``record`` of the last
    run says is up to date (input not ``fresh``, same problems, untouched
    since) is kept as it is."""
    by_file = _problems_by_file(batch) if by_file is None else by_file
    read = list(batch.files[batch.files["status"] == "read"]["file"])
    names = completed_names(read)
    kept, tasks = [], []
    for d in read:
        dst = outdir / "completed" / names[d]
        if (
            fresh is not None
            and d not in fresh
            and up_to_date(record or {}, outdir, d, dst, by_file)
        ):
            kept.append(dst)
            continue
        tasks.append((str(batch.sources[d]), str(dst), d, rules, by_file.get(d, []),
                      batch.members.get(d, ()), batch.plans.get(d)))  # fmt: skip
    legacy = _legacy([Path(t[0]) for t in tasks if not t[5]])
    converted = _convert(legacy)
    tasks = [(*t, converted.get(Path(t[0])) if not t[5] else None) for t in tasks]
    results: list[tuple[str, str] | OutputLocked | None] = []
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks, 1):
            results.append(complete_file(*task))
            if progress:
                progress("写入完成稿", i, len(tasks))
    else:
        from perfxl.batch.pool import worker_pool

        # forked workers share the parent's heap while it is frozen (batch/pool.py)
        with worker_pool(jobs, start_method, freeze=True) as pool:
            futures = [pool.submit(complete_file, *task) for task in tasks]
            for i, fut in enumerate(futures, 1):
                results.append(fut.result())
                if progress:
                    progress("写入完成稿", i, len(tasks))
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
        batch.add_problems(apply_check_rules(problems_frame(found), rules))
    failed = [(t[2], r) for t, r in zip(tasks, results, strict=True) if not isinstance(r, tuple)]
    if failed:
        from perfxl.checks.runner import apply_check_rules, problems_frame

        unwritten = "无法写出该工作簿的完成稿"
        found = [
            problem("completed-failed", f"{r or unwritten}（复核结果见汇总表）", file=d)
            for d, r in failed
        ]
        batch.add_problems(apply_check_rules(problems_frame(found), rules))
    if locked is not None:
        locked.extend(str(r) for _, r in failed if r is not None)
    return kept + [Path(r[0]) for r in results if isinstance(r, tuple)]


def _legacy(sources: list[Path]) -> set[Path]:
    """The .xls inputs, by content (an .xls renamed .xlsx is one)."""
    from perfxl.read.sniff import OLE_MAGIC

    out = set()
    for path in sources:
        try:
            with open(path, "rb") as fh:
                if fh.read(8) == OLE_MAGIC:
                    out.add(path)
        except OSError:
            continue
    return out


def _convert(legacy: set[Path]) -> dict[Path, bytes]:
    """The .xls inputs converted to .xlsx by one LibreOffice run, where
    LibreOffice is installed (write/libreoffice.py)."""
    from perfxl.write.libreoffice import convert_many, soffice

    if soffice() is None or not legacy:
        return {}
    return convert_many(sorted(legacy))


def write_reports(
    batch: BatchResult, folder: Path, rules: Rules, locked: list[str] | None = None
) -> list[Path]:
    """One draft 自评报告 per form (python-docx); a report open in Word/WPS is
    skipped and added to ``locked``, the others are written."""
    from perfxl.write.report import report_filename, write_report

    out: list[Path] = []
    used: set[str] = set()
    by_file = _problems_by_file(batch)
    for display in batch.files[batch.files["status"] == "read"]["file"]:
        member = batch.members.get(display, ())
        _, reviews = review_file(batch.sources[display], display, rules, member)
        probs = by_file.get(display, [])
        for form, score in reviews:
            name = report_filename(form)
            stem, k = Path(name).stem, 2
            while name in used:
                name = f"{stem}({k}).docx"
                k += 1
            used.add(name)
            path = folder / name
            try:
                write_report(
                    path, form, score, [p for p in probs if p.sheet in ("", form.sheet)], rules
                )
            except OutputLocked as exc:
                if locked is None:
                    raise
                locked.append(str(exc))
                continue
            out.append(path)
    return out


def check_paths(
    paths: list[Path], *, rules: Rules = DEFAULT, jobs: int | None = None, progress=None
) -> BatchResult:
    """Review files or folders without writing anything (``perfxl check``)."""
    items, label = collect(paths, rules)
    return run_batch(items, rules=rules, jobs=jobs, inbox=label, progress=progress)
