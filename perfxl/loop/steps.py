"""The loop's steps around one run (pipeline.run_inbox calls them in order):
settle the batch (wrong year, resubmissions), build the units' returns and
the extra 汇总表 sheets (报送情况, 整改情况), write the return lists, keep
the record, and keep the output folder true to the inbox.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfxl.inbox.resubmit import resolve
from perfxl.loop.record import RECORD_NAME, read_record, stamp
from perfxl.loop.roster import RosterRow, read_roster, submission_status
from perfxl.loop.rounds import STATUS_ZH, compare
from perfxl.loop.units import UnitReturn, unit_returns

if TYPE_CHECKING:
    import pandas as pd

    from perfxl.batch.run import BatchResult
    from perfxl.rules.schema import Rules

RETURNS_DIR = "退回"


@dataclass(frozen=True)
class LoopOptions:
    """What the loop adds to ``perfxl run``; the defaults are a plain run."""

    returns: bool = False  # write 退回/<实施单位>.xlsx + .txt
    roster: Path | None = None  # 名单.xlsx: adds 报送情况
    keep_all: bool = False  # count every form, resubmissions too (duplicates warned)
    previous: Path | None = None  # an earlier output folder: adds 整改情况
    year: int | None = None  # forms of another year: wrong-year


@dataclass
class LoopResult:
    units: list[UnitReturn] = field(default_factory=list)
    returns: list[Path] = field(default_factory=list)
    roster: list[RosterRow] = field(default_factory=list)
    status: pd.DataFrame | None = None
    progress: list[dict[str, Any]] | None = None  # None: no --previous

    @property
    def units_returned(self) -> int:
        return sum(1 for u in self.units if u.has_returns)


def settle(batch: BatchResult, opts: LoopOptions, rules: Rules) -> None:
    """Checks that need the whole batch and the command line: wrong year,
    then resubmissions replacing earlier forms (unless --keep-all)."""
    if opts.year is not None:
        from perfxl.checks.runner import apply_check_rules, problems_frame
        from perfxl.checks.year import wrong_year

        found = wrong_year(batch, opts.year)
        if found:  # a rules file may switch the code off or change its severity
            batch.add_problems(apply_check_rules(problems_frame(found), rules))
    if not opts.keep_all:
        mtimes: dict[str, float] = {}
        for display, path in batch.sources.items():
            with contextlib.suppress(OSError):
                mtimes[display] = Path(path).stat().st_mtime
        batch.replaced = resolve(batch, mtimes, rules)


def loop_inputs(opts: LoopOptions) -> tuple[list[RosterRow], dict | None]:
    """The roster and the previous record, read (and refused) before any
    output is written."""
    roster = read_roster(opts.roster) if opts.roster is not None else []
    previous = read_record(opts.previous) if opts.previous is not None else None
    return roster, previous


def loop_tables(
    batch: BatchResult,
    opts: LoopOptions,
    inputs: tuple[list[RosterRow], dict | None] | None = None,
) -> LoopResult:
    """The units' returns and the extra sheets' tables, from the roster and
    the previous record (:func:`loop_inputs`, read here unless given)."""
    out = LoopResult()
    out.roster, previous = inputs if inputs is not None else loop_inputs(opts)
    out.units = unit_returns(batch, [r.implementer for r in out.roster])
    replaced = batch.replaced
    if out.roster or (replaced is not None and not replaced.empty):
        out.status = submission_status(out.roster, batch.identity, replaced)
    if previous is not None:
        out.progress = compare(previous, out.units)
    return out


def extra_sheets(result: LoopResult) -> list[tuple[str, list]]:
    sheets: list[tuple[str, list]] = []
    s = result.status
    if s is not None:
        heads = ("主管部门", "实施单位", "项目名称", "报送状态", "源文件", "说明")
        sheets.append(("报送情况", [(h, "text", [str(v) for v in s[k]])
                                   for h, k in zip(heads, s.columns, strict=True)]))  # fmt: skip
    if result.progress is not None:
        rows = result.progress
        cols = [("实施单位", "unit"), ("项目名称", "project"), ("整改状态", "status"),
                ("源文件", "file"), ("工作表", "sheet"), ("单元格", "cell"), ("问题", "title"),
                ("说明", "message"), ("代码", "code")]  # fmt: skip
        values = {k: [STATUS_ZH.get(r[k], r[k]) if k == "status" else r[k] for r in rows]
                  for _, k in cols}  # fmt: skip
        sheets.append(("整改情况", [(h, "text", values[k]) for h, k in cols]))
    return sheets


def write_unit_returns(outdir: Path, result: LoopResult, created: datetime) -> list[Path]:
    from perfxl.write.returns import write_returns

    result.returns = write_returns(outdir / RETURNS_DIR, result.units, created)
    return result.returns


# -- the output folder stays true to the inbox ---------------------------------


def prune(outdir: Path, written_now: set[Path]) -> list[Path]:
    """Remove outputs of an earlier run that this run did not write again
    (a completed copy whose input left the inbox, the return list of a unit
    with nothing left to fix): only files the record says perfxl wrote, and
    only while they are exactly as perfxl left them (same content), so
    a file someone edited or put there is never touched."""
    try:
        record = read_record(outdir / RECORD_NAME)
    except Exception:  # noqa: BLE001 - no record (first run, or not ours): remove nothing
        return []
    removed = []
    now = {p.resolve() for p in written_now}
    for rel, remembered in (record.get("written") or {}).items():
        path = outdir / rel
        if not isinstance(rel, str) or ".." in Path(rel).parts or Path(rel).is_absolute():
            continue
        with contextlib.suppress(OSError):
            if path.resolve() in now or not path.is_file() or stamp(path) != remembered:
                continue
            path.unlink()
            removed.append(path)
            _remove_empty_parents(path.parent, outdir)
    return removed


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    stop = stop.resolve()
    while folder.resolve() != stop and stop in folder.resolve().parents:
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = folder.parent
