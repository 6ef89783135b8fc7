"""How a sheet was mapped onto the form, as data: which cell every field came
from, which header every column was recognised by (and how), which rows were
indicators, which were skipped and why, and which columns were not used.

The reader fills one :class:`Mapping` per form while it reads (a few small
objects a form, so it is always built); ``perfxl inspect`` renders it for a
clerk, ``--json`` for programs. Nothing downstream of the reader depends on it:
the model (:class:`ProjectForm`) stays what the scorer and checks see.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# roles of columns and fields, in Chinese, for messages and for ``perfxl inspect``
ROLE_ZH: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "reason": "偏差原因分析",
    "nature": "指标性质",
    "unit": "度量单位",
    "initial": "年初预算数",
    "budget": "全年预算数",
    "executed": "全年执行数",
    "fund_weight": "预算执行分值",
    "rate": "执行率",
    "fund_score": "预算执行得分",
    "fund_reason": "预算执行原因说明",
    "project_name": "项目名称",
    "department": "主管部门",
    "implementer": "实施单位",
    "year": "年度",
    "title": "标题",
    "goal_expected": "年度总体目标（预期）",
    "goal_actual": "年度总体目标（实际完成）",
    "total_self": "自评总分",
    "grade": "自评等级",
    "total": "年度资金总额",
    "fiscal": "财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}

# how a column's role was decided
HOW_ZH = {
    "label": "表头文字与同义词表一致",
    "words": "表头含有该栏的关键词",
    "group": "两行表头：上一行的合并表头",
    "content": "表头未识别，按列中内容判断",
    "position": "表头缺失，按位置判断（三级指标左侧）",
    "initial": "表中只有年初预算数，用作全年预算数",
    "inline": "没有表头行：标签与数值在同一行",
}


@dataclass
class MappedField:
    """A single value of the form (项目名称, 年度 …): where it was read, and
    the label that led to it."""

    key: str
    value: str
    cell: str
    label_cell: str = ""
    label: str = ""


@dataclass
class MappedColumn:
    """A column of the indicator table or the budget block and the role it got."""

    block: str  # "indicators" | "funds"
    role: str
    column: str  # letter
    cell: str  # header cell
    header: str  # header text as written
    how: str  # a key of HOW_ZH


@dataclass
class MappedRow:
    """A row of the indicator table or budget block that was read, with the
    cell of every value it gave."""

    block: str
    row: int
    name: str
    values: dict[str, Any]  # role -> CellValue (kept as read: addresses are taken when shown)

    def cells(self) -> dict[str, str]:
        return {k: v.cell for k, v in self.values.items() if v.cell}


@dataclass
class SkippedRow:
    """A row inside a block that was not read as data, and why (Chinese)."""

    block: str
    row: int
    cell: str
    text: str
    reason: str


@dataclass
class UnusedColumn:
    """A header cell of a block that no role claimed."""

    block: str
    column: str
    cell: str
    header: str
    has_data: bool


@dataclass
class Mapping:
    """Everything ``perfxl inspect`` shows about one form."""

    file: str
    sheet: str
    fields: list[MappedField] = field(default_factory=list)
    columns: list[MappedColumn] = field(default_factory=list)
    rows: list[MappedRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    unused: list[UnusedColumn] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain data (``perfxl inspect --json``): each read row with the cell
        and the value of every role."""
        out = asdict(self)
        out["rows"] = [
            {
                "block": r.block,
                "row": r.row,
                "name": r.name,
                "cells": {
                    k: {"cell": v.cell, "value": v.text} for k, v in r.values.items() if v.cell
                },
            }
            for r in self.rows
        ]
        return out


def _short(text: str, n: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render(mapping: Mapping) -> list[str]:
    """The mapping as Chinese lines for a clerk: what was read from where, what
    was skipped and why, what was not used."""
    out = [f"工作表「{mapping.sheet}」"]
    out.append("一、字段")
    for f in mapping.fields:
        name = ROLE_ZH.get(f.key, f.key)
        if not f.cell:
            where = f"未找到（标签 {f.label_cell}「{f.label}」）" if f.label_cell else "未找到"
            out.append(f"  {name}：{where}")
            continue
        label = f"，标签 {f.label_cell}「{_short(f.label, 12)}」" if f.label_cell else ""
        out.append(f"  {name}：{f.cell}「{_short(f.value)}」{label}")
    out.append("二、栏目")
    for block, zh in (("funds", "预算表"), ("indicators", "指标表")):
        cols = [c for c in mapping.columns if c.block == block]
        if not cols:
            out.append(f"  {zh}：未找到表头")
        for c in cols:
            head = _short(c.header, 16) or "（空）"
            out.append(
                f"  {zh} {ROLE_ZH.get(c.role, c.role)}：{c.column or c.cell} 列，"
                f"表头 {c.cell}「{head}」（{HOW_ZH.get(c.how, c.how)}）"
            )
    rows = [r for r in mapping.rows if r.block == "funds"]
    out.append(f"三、预算行（共 {len(rows)} 行）")
    out.extend(_row_line(r) for r in rows)
    rows = [r for r in mapping.rows if r.block == "indicators"]
    out.append(f"四、指标行（共 {len(rows)} 个指标）")
    out.extend(_row_line(r) for r in rows)
    out.append(f"五、跳过的行（共 {len(mapping.skipped)} 行）")
    for s in mapping.skipped:
        out.append(f"  第 {s.row} 行 {s.cell}「{_short(s.text, 16)}」：{s.reason}")
    out.append(f"六、未使用的栏（共 {len(mapping.unused)} 栏）")
    for u in mapping.unused:
        data = "有数据" if u.has_data else "无数据"
        block = "预算表" if u.block == "funds" else "指标表"
        out.append(f"  {block} {u.column} 列，表头 {u.cell}「{_short(u.header, 16)}」（{data}）")
    if mapping.notes:
        out.append("七、说明")
        out.extend(f"  {n}" for n in dict.fromkeys(mapping.notes))
    return out


def _row_line(r: MappedRow) -> str:
    parts = []
    for key, v in r.values.items():
        if key in ("level1", "level2") or not v.cell:
            continue
        value = f"={_short(v.text, 14)}" if v.text else "（空）"
        parts.append(f"{ROLE_ZH.get(key, key)} {v.cell}{value}")
    return f"  第 {r.row} 行「{_short(r.name, 18)}」：" + "｜".join(parts)
