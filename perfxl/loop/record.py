"""perfxl's record of a run, ``复核记录.json`` beside the 汇总表: what the next
run (and ``--previous``) needs, and nothing personal.

It holds the problems sent back to each unit (loop/rounds.py compares two
rounds with it), each input's status and a fingerprint of its problems, and
a content hash of every output perfxl wrote: a completed copy whose input and
problems did not change is kept as it is, and an output of an earlier run is
removed only while it is still exactly what perfxl wrote (loop/steps.py prune).
Content hashes, not times, so the record is the same run after run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfxl import __version__
from perfxl.loop.units import UnitReturn
from perfxl.write.atomic import atomic_write_bytes

if TYPE_CHECKING:
    from perfxl.batch.run import BatchResult
    from perfxl.loop.steps import LoopResult

RECORD_NAME = "复核记录.json"
RECORD_FORMAT = 1


class RecordError(Exception):
    """The previous output folder has no usable record."""


def problem_records(returns: list[UnitReturn]) -> list[dict[str, Any]]:
    out = []
    for ret in returns:
        for kind, lines in (("form", ret.lines), ("file", ret.unreadable)):
            out += [{"unit": ret.unit, "kind": kind, **asdict(x)} for x in lines]
    return out


def write_record(outdir: Path, record: dict[str, Any]) -> Path:
    path = outdir / RECORD_NAME
    data = json.dumps({"format": RECORD_FORMAT, **record}, ensure_ascii=False, indent=1)
    atomic_write_bytes(path, data.encode("utf-8"))
    return path


def read_record(folder: Path) -> dict[str, Any]:
    """The record of an earlier run (a folder, or the record file itself)."""
    path = folder / RECORD_NAME if folder.is_dir() else folder
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RecordError(
            f"上次输出中没有 {RECORD_NAME}：{folder}（请指定 perfxl run 的输出文件夹）"
        ) from None
    except (OSError, ValueError) as exc:
        raise RecordError(f"无法读取 {path}：{exc}") from None
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        raise RecordError(f"{path} 不是 perfxl 的复核记录")
    return record


def stamp(path: Path) -> str:
    """What perfxl remembers of a file it wrote: a hash of its content (not
    its time, so that the record itself is the same run after run)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:32]


def problems_digest(problems: list[Any]) -> str:
    """A short fingerprint of one file's problems (what its completed copy shows)."""
    text = json.dumps([p.as_dict() for p in problems], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def outputs_record(outdir: Path) -> dict[str, Any]:
    """The record an earlier run left in this output folder, or {}."""
    try:
        return read_record(outdir / RECORD_NAME)
    except RecordError:
        return {}


def up_to_date(record: dict, outdir: Path, display: str, dst: Path, by_file: dict) -> bool:
    seen = (record.get("files") or {}).get(display) or {}
    rel = dst.relative_to(outdir).as_posix()
    if seen.get("problems") != problems_digest(by_file.get(display, [])):
        return False
    try:
        return (record.get("written") or {}).get(rel) == stamp(dst)
    except OSError:
        return False


def run_record(
    outdir: Path, batch: BatchResult, tables: LoopResult, by_file: dict, kept: list[Path]
) -> dict:
    """What this run leaves for the next one (loop/rounds.py): no personal data."""
    status = dict(zip(batch.files["file"], batch.files["status"], strict=True))
    written = {}
    for p in kept:
        try:
            written[p.relative_to(outdir).as_posix()] = stamp(p)
        except (OSError, ValueError):
            continue
    return {
        "perfxl": __version__,
        "inbox": batch.inbox,
        "files": {
            d: {"status": status.get(d, ""), "problems": problems_digest(by_file.get(d, []))}
            for d in batch.sources
        },
        "written": dict(sorted(written.items())),
        "problems": problem_records(tables.units),
    }
