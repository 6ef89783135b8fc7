"""Return lists (退回修改): one workbook per unit with what it must fix, and
the same text as a short ``.txt`` to paste into a chat message.

Written for the unit's clerk, not for perfxl's users: plain Chinese titles
and a "what to do" phrase per problem (the registry's titles, the actions
table beside it), the English code only in the last column. The unit's own
填报人/联系电话 head its own file and appear nowhere else. A4 landscape, one
page wide, the header row repeated, every text written as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from perfxl.loop.names import safe_filename
from perfxl.loop.units import UNKNOWN_UNIT, ReturnLine, UnitReturn
from perfxl.model import SEVERITY_ZH
from perfxl.write.atomic import atomic_path, atomic_write_bytes

TITLE = "退回修改通知"
HEADERS = [("序号", 6), ("项目名称", 24), ("源文件", 24), ("位置", 16), ("问题", 20),
           ("说明", 44), ("修改要求", 30), ("级别", 6), ("代码", 18)]  # fmt: skip
FIXED_CREATED = datetime(2000, 1, 1)
ASK = "请按下表修改后重新报送（文件名中可注明“修改稿”）。"
PROGRESS = (("fixed", "已改正"), ("remaining", "仍未改正"), ("new", "新出现"))


def where(line: ReturnLine) -> str:
    """'工作表「X」F23', or what there is of it."""
    sheet = f"工作表「{line.sheet}」" if line.sheet else ""
    return f"{sheet}{line.cell}" or "整个文件"


def summary_text(ret: UnitReturn) -> str:
    errors = sum(1 for x in [*ret.lines, *ret.unreadable] if x.severity == "error")
    total = len(ret.lines) + len(ret.unreadable)
    projects = len({p for p, _ in ret.projects})
    text = f"共 {projects} 个项目，" if projects else ""
    text += f"需修改的问题 {total} 条（错误 {errors} 条、警告 {total - errors} 条）。"
    if ret.unreadable:
        text += f"其中 {len({x.file for x in ret.unreadable})} 个文件无法读取。"
    return text


def header_lines(ret: UnitReturn) -> list[str]:
    lines = [f"{TITLE}：{ret.name}"]
    if ret.department:
        lines.append(f"主管部门：{ret.department}")
    if ret.filler or ret.phone:
        lines.append(f"填报人：{ret.filler or '—'}　联系电话：{ret.phone or '—'}")
    lines.append(summary_text(ret) + ASK)
    return lines


def progress_lines(ret: UnitReturn) -> list[str]:
    if not ret.progress:
        return []
    counts = "，".join(f"{zh} {len(ret.progress.get(k, []))} 条" for k, zh in PROGRESS)
    out = [f"整改情况（与上一轮相比）：{counts}。"]
    for key, zh in PROGRESS[1:]:
        for i, x in enumerate(ret.progress.get(key, []), 1):
            out.append(f"  {zh} {i}. {x.project or x.file} {where(x)}：{x.title}")
    return out


def return_text(ret: UnitReturn) -> str:
    """The chat version: short lines, grouped by project."""
    out = header_lines(ret)
    groups: dict[tuple[str, str], list[ReturnLine]] = {}
    for x in ret.lines:
        groups.setdefault((x.project, x.file), []).append(x)
    for n, ((project, file), lines) in enumerate(groups.items(), 1):
        out += ["", f"{_ordinal(n)}、{project or '（未填项目名称）'}（文件：{file}）"]
        for i, x in enumerate(lines, 1):
            out.append(f"{i}.【{SEVERITY_ZH[x.severity]}】{x.title}（{where(x)}）：{x.message}")
            out.append(f"   修改要求：{x.action}")
    if ret.unreadable:
        out += ["", "无法读取的文件："]
        for i, x in enumerate(ret.unreadable, 1):
            out.append(f"{i}. {x.file}：{x.message}")
            out.append(f"   修改要求：{x.action}")
    extra = progress_lines(ret)
    if extra:
        out += ["", *extra]
    return "\n".join(out) + "\n"


_DIGITS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    if n <= 10:
        return _DIGITS[n - 1]
    if n < 20:
        return "十" + _DIGITS[n - 11]
    return str(n)


def _rows(lines: Iterable[ReturnLine]) -> list[list[str]]:
    return [
        [str(i), x.project, x.file, where(x), x.title, x.message, x.action,
         SEVERITY_ZH.get(x.severity, x.severity), x.code]
        for i, x in enumerate(lines, 1)
    ]  # fmt: skip


def _write_xlsx(path: Path, ret: UnitReturn, created: datetime) -> None:
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },  # fmt: skip
        )
        # a fixed creation time (the inputs' newest): the same inbox gives the same bytes
        wb.set_properties({"title": f"{TITLE}：{ret.name}", "author": "perfxl", "created": created})
        _sheet(wb, ret)
        wb.close()


def _sheet(wb: Any, ret: UnitReturn) -> None:
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                          "valign": "vcenter", "align": "center"})  # fmt: skip
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("退回修改")
    for c, (_, width) in enumerate(HEADERS):
        ws.set_column(c, c, width)
    r = 0
    for i, text in enumerate(header_lines(ret)):
        ws.merge_range(r, 0, r, len(HEADERS) - 1, text, title if i == 0 else None)
        r += 1
    r += 1
    table_top = r
    r = _table(ws, r, [h for h, _ in HEADERS], _rows(ret.lines), head, wrap)
    if ret.unreadable:
        r += 1
        ws.write_string(r, 0, "无法读取的文件", bold)
        r = _table(ws, r + 1, [h for h, _ in HEADERS], _rows(ret.unreadable), head, wrap)
    for text in progress_lines(ret):
        r += 1
        ws.write_string(r, 0, text.strip(), bold if text.startswith("整改") else None)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(table_top)
    ws.set_footer(f"&L{_footer_safe(ret.name)}&C第 &P 页，共 &N 页")
    ws.freeze_panes(table_top + 1, 0)


def _footer_safe(text: str) -> str:
    return text.replace("&", "&&")[:60]


def _table(ws: Any, r: int, headers: list[str], rows: list[list[str]], head: Any, wrap: Any) -> int:
    for c, h in enumerate(headers):
        ws.write_string(r, c, h, head)
    for row in rows:
        r += 1
        for c, v in enumerate(row):
            ws.write_string(r, c, v, wrap)
    return r + 1


def write_returns(
    folder: Path, returns: list[UnitReturn], created: datetime | None = None
) -> list[Path]:
    """``folder/<实施单位>.xlsx`` and ``.txt`` for every unit with something to
    fix (the unknown unit as 未识别单位); a unit with nothing gets no file.
    Returns the paths written, workbooks first then texts, per unit."""
    written: list[Path] = []
    used: set[str] = set()
    for ret in returns:
        if not ret.has_returns:
            continue
        stem = safe_filename(ret.name, UNKNOWN_UNIT)
        base, k = stem, 2
        while stem.lower() in used:
            stem, k = f"{base}({k})", k + 1
        used.add(stem.lower())
        xlsx, txt = folder / f"{stem}.xlsx", folder / f"{stem}.txt"
        _write_xlsx(xlsx, ret, created or FIXED_CREATED)
        atomic_write_bytes(txt, return_text(ret).encode("utf-8-sig"))
        written += [xlsx, txt]
    return written
