"""One round against the next: what the units fixed.

Every run writes ``复核记录.json`` beside the 汇总表 (loop/record.py) with the
problems sent back to each unit. ``--previous 上次输出/`` reads it and sorts every
problem into 已改正 (in the last round, not now), 仍未改正 (both) and 新出现
(now only), per unit and project. A problem is the same problem when unit,
project, code, sheet and cell agree after name normalisation; a file that
could not be read is matched by its file name instead of a project.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from perfxl.loop.names import norm_name
from perfxl.loop.units import ReturnLine, UnitReturn


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
