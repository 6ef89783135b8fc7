"""One round against the next: perfxl's record of a run, and what changed.

Every run writes ``复核记录.json`` beside the 汇总表: the problems sent back
to each unit (no personal data), the inputs it read (content hashes) and the
outputs it wrote. ``--previous 上次输出/`` reads that record and sorts every
problem into 已改正 (in the last round, not now), 仍未改正 (both) and 新出现
(now only), per unit and project. A problem is the same problem when unit,
project, code, sheet and cell agree after name normalisation; a file that
could not be read is matched by its file name instead of a project.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from perfxl.loop.names import norm_name
from perfxl.loop.units import ReturnLine, UnitReturn
from perfxl.write.atomic import atomic_write_bytes

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


def _key(unit: str, kind: str, x: dict[str, Any]) -> tuple[str, ...]:
    where = x["file"] if kind == "file" else x["project"]
    return (norm_name(unit), kind, norm_name(where), x["code"], x["sheet"], x["cell"])


FIELDS = tuple(ReturnLine.__dataclass_fields__)


def compare(previous: dict[str, Any], returns: list[UnitReturn]) -> list[dict[str, Any]]:
    """Attach fixed/remaining/new to each unit's return (in place) and give
    the 整改情况 rows: unit, project, status, and the problem."""
    before: dict[tuple, dict] = {}
    for p in previous.get("problems", []):
        if isinstance(p, dict) and all(k in p for k in ("unit", "kind", *FIELDS)):
            before.setdefault(_key(p["unit"], p["kind"], p), p)
    by_unit = {norm_name(r.unit): r for r in returns}
    rows: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for ret in returns:
        prog: dict[str, list[ReturnLine]] = {"fixed": [], "remaining": [], "new": []}
        for kind, lines in (("form", ret.lines), ("file", ret.unreadable)):
            for x in lines:
                k = _key(ret.unit, kind, asdict(x))
                status = "remaining" if k in before else "new"
                seen.add(k)
                prog[status].append(x)
                rows.append({"unit": ret.name, "status": status, **asdict(x)})
        ret.progress = prog
    for k, p in before.items():
        if k in seen:
            continue
        line = ReturnLine(**{f: str(p[f]) for f in FIELDS})
        ret = by_unit.get(norm_name(p["unit"]))
        if ret is not None:
            ret.progress.setdefault("fixed", []).append(line)
        rows.append({"unit": p["unit"] or "未识别单位", "status": "fixed", **asdict(line)})
    order = {"fixed": 0, "remaining": 1, "new": 2}
    rows.sort(key=lambda r: (r["unit"], r["project"], order[r["status"]], r["file"], r["cell"]))
    return rows


STATUS_ZH = {"fixed": "已改正", "remaining": "仍未改正", "new": "新出现"}


def problems_digest(problems: list[Any]) -> str:
    """A short fingerprint of one file's problems (what its completed copy shows)."""
    import hashlib

    text = json.dumps([p.as_dict() for p in problems], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def outputs_record(outdir: Path) -> dict[str, Any]:
    """The record an earlier run left in this output folder, or {}."""
    try:
        return read_record(outdir / RECORD_NAME)
    except RecordError:
        return {}
