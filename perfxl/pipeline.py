"""The finance bureau's one job: an inbox in, a completed copy of every
workbook and one summary workbook out (the README's quick start).

The CLI only calls :func:`run_inbox`; everything here is a library function
so that it can be tested and reused without a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from perfxl import __version__
from perfxl.batch.copies import (
    complete_file,
    completed_names,
    problems_by_file,
    start_conversion,
    start_copies,
    write_completed_all,
)
from perfxl.batch.run import (
    BatchResult,
    InboxError,
    collect,
    discover,
    inputs_time,
    review_file,
    run_batch,
)
from perfxl.loop.record import outputs_record, run_record, write_record
from perfxl.loop.steps import (
    LoopOptions,
    LoopResult,
    extra_sheets,
    loop_inputs,
    loop_tables,
    prune,
    settle,
    write_unit_returns,
)
from perfxl.read.sniff import WORKBOOK_SUFFIXES
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.write.atomic import OutputLocked, remove_stale_temps

if TYPE_CHECKING:
    from perfxl.write.libreoffice import Conversion

__all__ = [
    "NO_WORKBOOKS",
    "SUMMARY_NAME",
    "RunResult",
    "check_outdir",
    "check_paths",
    "complete_file",  # the completed copies of a batch: batch/copies.py
    "completed_names",
    "run_inbox",
    "summary_meta",
    "write_completed_all",
    "write_reports",
    "write_summary_for",
]

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
    with ExitStack() as stack:
        conversion: Conversion | None = None

        def convert_early(todo: list[tuple]) -> None:
            # LibreOffice converts the .xls files while the pool reads the inbox
            nonlocal conversion
            conversion = start_conversion(todo, jobs) if completed else None
            if conversion is not None:
                stack.callback(conversion.cancel)

        batch, read = run_cached(
            items,
            outdir,
            rules=rules,
            jobs=jobs,
            inbox=str(inbox),
            progress=(lambda d, t: progress("读取与复核", d, t)) if progress else None,
            start_method=start_method,
            plans=completed,
            before_read=convert_early,
        )
        settle(batch, loop, rules)
        inputs = loop_inputs(loop)  # roster and previous record: fail before writing
        record = outputs_record(outdir)
        by_file = problems_by_file(batch)
        fresh = set(read)
        locked: list[str] = []
        # the copies are written by the pool while the parent writes the 汇总表
        pending = None
        if completed:
            pending = start_copies(
                batch, outdir, rules, jobs, progress, start_method, by_file, record, fresh,
                conversion,
            )  # fmt: skip
            stack.callback(pending.abandon, conversion)  # a no-op once finished
        tables = loop_tables(batch, loop, inputs)  # while the pool writes the copies
        summary: Path | None = outdir / SUMMARY_NAME
        try:
            write_summary_for(batch, summary, rules, bureau, extra_sheets(tables))
        except OutputLocked as exc:
            locked.append(str(exc))
            summary = None
        copies = pending.finish(locked) if pending is not None else []
        if pending is not None and pending.added_problems and summary is not None:
            # a copy that failed is a problem the 汇总表 must list
            write_summary_for(batch, summary, rules, bureau, extra_sheets(tables))
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


def write_reports(
    batch: BatchResult, folder: Path, rules: Rules, locked: list[str] | None = None
) -> list[Path]:
    """One draft 自评报告 per form (python-docx); a report open in Word/WPS is
    skipped and added to ``locked``, the others are written."""
    from perfxl.write.report import report_filename, write_report

    out: list[Path] = []
    used: set[str] = set()
    by_file = problems_by_file(batch)
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
