"""The roster (名单): which projects the bureau expects, from which units,
and where to write to them — and the 报送情况 that compares it with the inbox.

The roster is a workbook the bureau keeps by hand, so its headers are found
by label like the forms' (any row among the first 20, any column order, the
reader's label normalisation). Names are compared after
:func:`perfxl.loop.names.norm_name`; a submitted project that only *nearly*
matches an expected one is reported as such, never merged with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from perfxl.loop.names import near, norm_name
from perfxl.read.labels import normalize_label

if TYPE_CHECKING:
    import pandas as pd


class RosterError(Exception):
    """The roster workbook cannot be used (missing, unreadable, no header row)."""


HEADERS: dict[str, tuple[str, ...]] = {
    "department": ("主管部门", "主管单位", "部门", "部门名称"),
    "implementer": ("实施单位", "项目实施单位", "单位名称", "单位"),
    "project": ("项目名称", "项目"),
    "budget": ("全年预算数", "预算数", "预算金额", "年度预算", "预算"),
    "contact": ("联系人", "填报人", "经办人"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件地址", "email", "e-mail", "mail"),
    "year": ("年度",),
}
REQUIRED = ("department", "implementer", "project")


@dataclass(frozen=True)
class RosterRow:
    department: str
    implementer: str
    project: str
    budget: float | None = None
    contact: str = ""
    email: str = ""
    year: int | None = None
    row: int = 0  # Excel row number in the roster


def _header_map(row: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, v in enumerate(row):
        label = normalize_label(str(v)).lower() if isinstance(v, str) else ""
        for key, names in HEADERS.items():
            if key not in found and label in names:
                found[key] = c
    return found


def _number(v: object) -> float | None:
    from perfxl.notation.parse import parse_number

    return parse_number(v)


def read_roster(path: Path) -> list[RosterRow]:
    """Every project row of the roster (the first sheet with the headers)."""
    from python_calamine import CalamineWorkbook

    if not Path(path).is_file():
        raise RosterError(f"名单文件不存在：{path}")
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = [wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names]
    except Exception as exc:  # noqa: BLE001 - any parser failure: one message
        raise RosterError(f"无法读取名单 {Path(path).name}：{type(exc).__name__}") from None
    for rows in sheets:
        for at, row in enumerate(rows[:20]):
            cols = _header_map(row)
            if all(k in cols for k in REQUIRED):
                return _rows(rows, at, cols)
    raise RosterError(f"名单 {Path(path).name} 中找不到表头（需要：主管部门、实施单位、项目名称）")


def _rows(rows: list[list], at: int, cols: dict[str, int]) -> list[RosterRow]:
    def text(row: list, key: str) -> str:
        c = cols.get(key)
        v = row[c] if c is not None and c < len(row) else None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return "" if v is None else str(v).strip()

    out = []
    for r, row in enumerate(rows[at + 1 :], at + 2):
        if not text(row, "project"):
            continue
        year = _number(text(row, "year")) if "year" in cols else None
        out.append(
            RosterRow(
                department=text(row, "department"),
                implementer=text(row, "implementer"),
                project=text(row, "project"),
                budget=_number(text(row, "budget")) if "budget" in cols else None,
                contact=text(row, "contact"),
                email=text(row, "email"),
                year=int(year) if year else None,
                row=r,
            )
        )
    return out


def unit_emails(roster: list[RosterRow]) -> dict[str, str]:
    """Normalised unit name -> its address (the first one the roster gives)."""
    out: dict[str, str] = {}
    for r in roster:
        if r.email and norm_name(r.implementer) not in out:
            out[norm_name(r.implementer)] = r.email
    return out


STATUS_COLUMNS = ["department", "implementer", "project", "status", "file", "note"]
SUBMITTED, MISSING, DUPLICATE, REPLACED = "已报送", "未报送", "重复报送", "已被修改稿替代"
NEAR, UNEXPECTED = "名称相近（待核实）", "不在名单内"


def submission_status(
    roster: list[RosterRow], identity: pd.DataFrame | None, replaced: pd.DataFrame | None
) -> pd.DataFrame:
    """报送情况: every expected project with its status, then every submitted
    project not on the roster (STATUS_COLUMNS)."""
    import pandas as pd

    forms = [] if identity is None else identity.fillna("").to_dict("records")
    gone = [] if replaced is None else replaced.fillna("").to_dict("records")
    claimed: set[int] = set()
    rows: list[dict] = []

    def same(f: dict, r: RosterRow) -> bool:
        unit_ok = not r.implementer or norm_name(f["implementer"]) == norm_name(r.implementer)
        return unit_ok and norm_name(f["project_name"]) == norm_name(r.project)

    at_row: dict[int, int] = {}  # roster position -> its status row
    for k, r in enumerate(roster):
        base = {"department": r.department, "implementer": r.implementer, "project": r.project}
        at_row[k] = len(rows)
        hits = [i for i, f in enumerate(forms) if same(f, r)]
        claimed.update(hits)
        files = "、".join(dict.fromkeys(forms[i]["file"] for i in hits))
        if len(hits) == 1:
            rows.append({**base, "status": SUBMITTED, "file": files, "note": ""})
        elif hits:
            rows.append({**base, "status": DUPLICATE, "file": files,
                         "note": f"同一项目有 {len(hits)} 份表单均计入汇总"})  # fmt: skip
        else:
            rows.append({**base, "status": MISSING, "file": "", "note": ""})
        for g in gone:
            if same(g, r):
                rows.append({**base, "status": REPLACED, "file": g["file"],
                             "note": f"以 {g['by']} 为准"})  # fmt: skip
    for i, f in enumerate(forms):
        if i in claimed:
            continue
        guess = [
            (k, r) for k, r in enumerate(roster)
            if near(f["project_name"], r.project)
            and (not r.implementer or norm_name(f["implementer"]) == norm_name(r.implementer)
                 or near(f["implementer"], r.implementer))
        ]  # fmt: skip
        base = {"department": f["department"], "implementer": f["implementer"],
                "project": f["project_name"], "file": f["file"]}  # fmt: skip
        if guess:
            note = "；".join(f"与名单中的“{g.implementer} {g.project}”相近" for _, g in guess[:3])
            rows.append({**base, "status": NEAR, "note": note + "，请核实是否为同一项目"})
            for k, _ in guess:
                row = rows[at_row[k]]
                if row["status"] == MISSING:
                    row["note"] = f"有名称相近的报送：{f['file']}（{f['project_name']}），请核实"
        elif roster:
            rows.append({**base, "status": UNEXPECTED, "note": ""})
        else:
            rows.append({**base, "status": SUBMITTED, "note": ""})
    if not roster:
        for g in gone:
            rows.append({"department": g.get("department", ""), "implementer": g["implementer"],
                         "project": g["project_name"], "status": REPLACED, "file": g["file"],
                         "note": f"以 {g['by']} 为准"})  # fmt: skip
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)
