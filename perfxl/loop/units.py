"""Who each problem goes back to: the 实施单位 of the form it is on.

A problem on a sheet belongs to that form's unit; a file-level problem to
every unit with a form in that file. A file that gave no form at all (broken,
encrypted, not a form) names no unit, so its path is searched for a known
unit name (the units of this batch and the roster's): the longest one
contained in it wins, otherwise the file goes to 未识别单位. Only errors and
warnings go back; notes (提示) stay in the 问题清单.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from perfxl.checks.actions import action_for
from perfxl.checks.codes import CODES
from perfxl.loop.names import norm_name
from perfxl.model import cell_sort_key

if TYPE_CHECKING:
    import pandas as pd

    from perfxl.batch.run import BatchResult

UNKNOWN_UNIT = "未识别单位"
RETURNED = ("error", "warning")


@dataclass(frozen=True)
class ReturnLine:
    """One thing a unit must fix, in words it can act on."""

    project: str
    file: str
    sheet: str
    cell: str
    severity: str
    code: str
    title: str
    message: str
    action: str


@dataclass
class UnitReturn:
    """Everything one unit gets back: its projects, its problems, its unreadable files."""

    unit: str  # '' when the unit cannot be known
    department: str = ""
    filler: str = ""
    phone: str = ""
    projects: list[tuple[str, str]] = field(default_factory=list)  # (project, file)
    lines: list[ReturnLine] = field(default_factory=list)
    unreadable: list[ReturnLine] = field(default_factory=list)
    progress: dict[str, list[ReturnLine]] = field(default_factory=dict)  # fixed/remaining/new

    @property
    def name(self) -> str:
        return self.unit or UNKNOWN_UNIT

    @property
    def has_returns(self) -> bool:
        return bool(self.lines or self.unreadable)


def _line(row: pd.Series | dict, project: str) -> ReturnLine:
    code = str(row["code"])
    info = CODES.get(code)
    fld = str(row.get("field") or "")
    message = str(row["message"])
    return ReturnLine(
        project=project,
        file=str(row["file"]),
        sheet=str(row.get("sheet") or ""),
        cell=str(row.get("cell") or ""),
        severity=str(row["severity"]),
        code=code,
        title=info.title if info else code,
        message=f"【{fld}】{message}" if fld and fld not in message else message,
        action=action_for(code),
    )


def unit_of_path(display: str, known: list[str]) -> str:
    """The longest known unit name contained in a file's path, or ''."""
    path = norm_name(display)
    best = ""
    for unit in known:
        n = norm_name(unit)
        if n and n in path and len(n) > len(norm_name(best)):
            best = unit
    return best


def unit_returns(batch: BatchResult, known_units: list[str] = ()) -> list[UnitReturn]:
    """One :class:`UnitReturn` per unit that has forms or problems, sorted by
    unit name (the unknown unit last)."""
    ident = batch.identity
    forms = [] if ident is None else ident.fillna("").to_dict("records")
    by_unit: dict[str, UnitReturn] = {}
    form_unit: dict[tuple[str, str], tuple[str, str]] = {}  # (file, sheet) -> (unit, project)
    file_units: dict[str, list[str]] = {}
    for f in forms:
        unit = str(f["implementer"]).strip()
        ret = by_unit.setdefault(unit, UnitReturn(unit))
        ret.department = ret.department or str(f["department"])
        ret.filler = ret.filler or str(f["filler"])
        ret.phone = ret.phone or str(f["phone"])
        ret.projects.append((str(f["project_name"]), str(f["file"])))
        form_unit[(str(f["file"]), str(f["sheet"]))] = (unit, str(f["project_name"]))
        file_units.setdefault(str(f["file"]), [])
        if unit not in file_units[str(f["file"])]:
            file_units[str(f["file"])].append(unit)
    known = sorted({u for u in [*by_unit, *known_units] if u})
    probs = batch.problems
    if not probs.empty:
        probs = probs[probs["severity"].isin(RETURNED)].fillna("")
        for row in probs.to_dict("records"):
            at = form_unit.get((row["file"], row["sheet"]))
            if at is not None:
                unit, project = at
                by_unit[unit].lines.append(_line(row, project))
                continue
            units = file_units.get(row["file"])
            if units:  # a file-level problem concerns every form of its file
                for unit in units:
                    by_unit[unit].lines.append(_line(row, ""))
                continue
            unit = unit_of_path(row["file"], known)
            ret = by_unit.setdefault(unit, UnitReturn(unit))
            ret.unreadable.append(_line(row, ""))
    for ret in by_unit.values():
        ret.lines.sort(key=lambda x: (x.project, x.file, x.sheet, cell_sort_key(x.cell), x.code))
        ret.unreadable.sort(key=lambda x: (x.file, x.code))
    return sorted(by_unit.values(), key=lambda r: (r.unit == "", r.unit))
