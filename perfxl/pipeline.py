"""The finance bureau's one job: an inbox in, a completed copy of every
workbook and one summary workbook out (spec/outputs.md "The one command").

The CLI only calls :func:`run_inbox`; everything here is a library function
so that it can be tested and reused without a terminal.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
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
from perfxl.model import Problem
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


def write_summary_for(batch: BatchResult, path: Path, rules: Rules, bureau: str = "") -> Path:
    """Write the 汇总表; ``bureau`` (the unit producing it) goes into the print title."""
    from perfxl.write.summary import write_summary

    sources = list(batch.sources.values())
    meta = summary_meta(batch, rules, sources, bureau)
    write_summary(path, batch.projects, batch.indicators, batch.problems, meta)
    return path


def complete_file(
    src: str,
    dst: str,
    display: str,
    rules: Rules,
    problems: list,
    plan: bytes | object | None = None,
    converted: bytes | None = None,
) -> tuple[str, str] | OutputLocked | None:
    """Worker: write one completed copy from the plan the review pass made
    (re-reading and re-scoring the file only when there is none). Returns
    (dst, how the copy was made); None when the copy could not be written,
    so one odd workbook never stops the batch; the error when an old copy is
    open in Excel/WPS (the user can fix that)."""
    from perfxl.write.completed import make_plan, write_copy

    try:
        with paused_gc():
            if isinstance(plan, bytes):  # pickled by our own review worker
                plan = pickle.loads(plan)  # noqa: S301
            if plan is None:
                _, reviews = review_file(Path(src), display, rules)
                plan = make_plan(list(reviews), rules)
            how = write_copy(Path(src), Path(dst), plan, problems, rules=rules, converted=converted)
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
) -> RunResult:
    """Review every workbook under ``inbox`` and write the outputs to ``outdir``.

    An output that cannot replace its old file (open in Excel/WPS) is listed in
    ``RunResult.locked``; every other output is still written.
    """
    if inbox.is_file():
        raise InboxError(f"{NO_WORKBOOKS}：{inbox} 是一个文件，请指定存放自评表的文件夹")
    check_outdir(inbox, outdir)
    remove_stale_temps(outdir)  # a killed earlier run's half-written files
    items = discover(inbox, exclude=outdir)
    if not any(p.suffix.lower() in WORKBOOK_SUFFIXES for p, _ in items):
        raise InboxError(f"{NO_WORKBOOKS}：{inbox}")
    batch = run_batch(
        items,
        rules=rules,
        jobs=jobs,
        inbox=str(inbox),
        progress=(lambda d, t: progress("读取与复核", d, t)) if progress else None,
        plans=completed,
    )
    locked: list[str] = []
    copies = write_completed_all(batch, outdir, rules, jobs, progress, locked) if completed else []
    summary: Path | None = outdir / SUMMARY_NAME
    try:
        write_summary_for(batch, summary, rules, bureau)
    except OutputLocked as exc:
        locked.append(str(exc))
        summary = None
    result = RunResult(batch, summary, completed=copies, locked=locked)
    if reports:
        result.reports = write_reports(batch, outdir / "reports", rules, result.locked)
    return result


def _problems_by_file(batch: BatchResult) -> dict[str, list]:
    """Each file's problems, in the frame's order (one pass, not a groupby of
    small frames: that cost ≈ 1 ms a file)."""
    from perfxl.checks.project import to_problems

    out: dict[str, list] = {}
    if batch.problems.empty:
        return out
    for p in to_problems(batch.problems):
        out.setdefault(p.file, []).append(p)
    return out


def write_completed_all(
    batch: BatchResult,
    outdir: Path,
    rules: Rules,
    jobs: int | None,
    progress=None,
    locked: list[str] | None = None,
) -> list[Path]:
    """One completed copy per read workbook, in a process pool. A copy that
    cannot be written becomes a located problem of its file (and so appears
    in 问题清单), never a crashed batch; one whose old copy is open in
    Excel/WPS is also added to ``locked``."""
    by_file = _problems_by_file(batch)
    read = list(batch.files[batch.files["status"] == "read"]["file"])
    names = completed_names(read)
    legacy = _legacy([batch.sources[d] for d in read])
    converted = _convert(legacy)
    tasks = [
        (
            str(batch.sources[d]),
            str(outdir / "completed" / names[d]),
            d,
            rules,
            by_file.get(d, []),
            batch.plans.get(d),
            converted.get(batch.sources[d]),
        )
        for d in read
    ]
    results: list[tuple[str, str] | OutputLocked | None] = []
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(tasks) <= 1:
        for i, task in enumerate(tasks, 1):
            results.append(complete_file(*task))
            if progress:
                progress("写入完成稿", i, len(tasks))
    else:
        # forked workers share the parent's heap until its garbage collector writes
        # to every object header; frozen objects are left alone (≈ 85 MB less PSS
        # for 1,000 forms), and the parent unfreezes them once the workers are gone
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = [pool.submit(complete_file, *task) for task in tasks]
                for i, fut in enumerate(futures, 1):
                    results.append(fut.result())
                    if progress:
                        progress("写入完成稿", i, len(tasks))
        finally:
            gc.unfreeze()
    # a package the patcher refused (an .xls without LibreOffice is expected to be plain)
    plain = [
        t[2]
        for t, r in zip(tasks, results, strict=True)
        if isinstance(r, tuple)
        and (r[1] == "openpyxl" or (r[1] == "values" and Path(t[0]) not in legacy))
    ]
    if plain:
        from perfxl.write.completed import FALLBACK_NOTE

        batch.add_problems(
            [Problem("completed-plain-copy", "info", FALLBACK_NOTE, file=d) for d in plain]
        )
    failed = [(t[2], r) for t, r in zip(tasks, results, strict=True) if not isinstance(r, tuple)]
    if failed:
        batch.add_problems(
            [
                Problem(
                    "completed-failed",
                    "error",
                    f"{r}（复核结果见汇总表）"
                    if r
                    else "无法写出该工作簿的完成稿（复核结果见汇总表）",
                    file=d,
                )
                for d, r in failed
            ]
        )
    if locked is not None:
        locked.extend(str(r) for _, r in failed if r is not None)
    return [Path(r[0]) for r in results if isinstance(r, tuple)]


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
        _, reviews = review_file(batch.sources[display], display, rules)
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
    items, label = collect(paths)
    return run_batch(items, rules=rules, jobs=jobs, inbox=label, progress=progress)
