"""The numbers the pages show, taken from the run's saved batch tables.

``results.json`` holds the same frames the pipeline wrote the 汇总表 from
(projects, indicators, problems, files), so the page and the workbook agree by
construction; this module only filters, sorts, groups and draws. Plain Python
over lists of dicts: the server never imports pandas.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from perfxl.model import SEVERITY_ZH  # noqa: F401 - the templates' severity labels

# sortable project-table columns: query value -> (header, field)
COLUMNS = {
    "department": "主管部门",
    "implementer": "实施单位",
    "project_name": "项目名称",
    "budget": "全年预算数（万元）",
    "rate": "执行率",
    "self_total": "自评总分",
    "review_total": "复核总分",
    "grade": "复核等级",
    "errors": "错误",
    "warnings": "警告",
    "file": "源文件",
}
# the 计算过程 line, when the score model provides it (named by the scoring work)
EXPLANATION_FIELDS = ("explanation", "process", "calculation", "计算过程")


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for i, p in enumerate(data["projects"]):
        p["index"] = i
    return data


def load(run_dir: Path) -> dict[str, Any] | None:
    path = run_dir / "results.json"
    try:
        return _load(str(path), path.stat().st_mtime)
    except (OSError, ValueError):
        return None


def _sort_value(value: Any) -> tuple[int, Any]:
    if value is None:
        return (1, 0)
    return (0, value) if isinstance(value, (int, float)) else (0, str(value))


def filter_projects(projects: list[dict], query: dict[str, str]) -> list[dict]:
    """Filter by 主管部门, 实施单位, grade and has-errors; sort by one column."""
    rows = projects
    for key in ("department", "implementer", "grade"):
        want = query.get(key, "")
        if want:
            rows = [p for p in rows if str(p.get(key) or "") == want]
    errors = query.get("errors", "")
    if errors == "1":
        rows = [p for p in rows if (p.get("errors") or 0) > 0]
    elif errors == "0":
        rows = [p for p in rows if not p.get("errors")]
    sort = query.get("sort", "")
    if sort in COLUMNS:
        kinds = [type(p.get(sort)) for p in rows if p.get(sort) is not None]
        numeric = all(k in (int, float) for k in kinds)
        key = (
            (lambda p: _sort_value(p.get(sort)))
            if numeric
            else (lambda p: (p.get(sort) is None, str(p.get(sort) or "")))
        )
        rows = sorted(rows, key=key, reverse=query.get("order") == "desc")
    return rows


def choices(projects: list[dict], key: str) -> list[str]:
    return sorted({str(p.get(key)) for p in projects if p.get(key)})


def grade_rows(data: dict[str, Any]) -> list[tuple[str, int]]:
    """(grade, projects) in the rule set's order, every grade listed."""
    order = data.get("grade_order") or sorted(data["grades"])
    seen = list(dict.fromkeys([*order, *data["grades"]]))
    return [(g, int(data["grades"].get(g, 0))) for g in seen]


def grade_chart(rows: list[tuple[str, int]]) -> str:
    """A horizontal bar chart of projects per grade, as inline SVG."""
    width, bar_h, gap, left, right = 420, 26, 10, 40, 50
    most = max((n for _, n in rows), default=0) or 1
    height = len(rows) * (bar_h + gap) + gap
    colours = ["#2e7d32", "#1565c0", "#ef6c00", "#c62828", "#6d4c41"]
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="各等级项目数">'
    ]
    for i, (grade, n) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = (width - left - right) * n / most
        colour = colours[min(i, len(colours) - 1)]
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h * 0.7:.0f}" text-anchor="end">{_esc(grade)}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{left + w + 6:.1f}" y="{y + bar_h * 0.7:.0f}">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def explanation_field(indicators: list[dict]) -> str | None:
    """The name of the 计算过程 column when the batch tables carry one."""
    if not indicators:
        return None
    for name in EXPLANATION_FIELDS:
        if name in indicators[0]:
            return name
    return None


def project_detail(run_dir: Path, data: dict[str, Any], index: int) -> dict[str, Any] | None:
    """One project's row, its indicators (its line of indicators.jsonl) and its
    problems (its sheet's and its file's), problems ordered by cell."""
    from perfxl.model import cell_sort_key

    if not 0 <= index < len(data["projects"]):
        return None
    project = data["projects"][index]
    file, sheet = project.get("file"), project.get("sheet") or ""
    with open(run_dir / "indicators.jsonl", "rb") as fh:
        fh.seek(data["indicator_offsets"][index])
        indicators = json.loads(fh.readline())
    problems = [
        p
        for p in data["problems"]
        if p.get("file") == file and (p.get("sheet") or "") in ("", sheet)
    ]
    problems.sort(key=lambda p: cell_sort_key(str(p.get("cell") or "")))
    return {"project": project, "indicators": indicators, "problems": problems}


def units(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Per 实施单位: its projects and the problems that go back to it (the
    content of its return list), and its return files (退回/<单位>.xlsx and
    .txt) when the pipeline wrote them; a return file of a unit without
    projects (未识别单位, unreadable files) gets an entry of its own."""
    by_unit: dict[str, dict[str, Any]] = defaultdict(lambda: {"projects": [], "problems": []})
    file_unit: dict[str, str] = {}
    for p in data["projects"]:
        unit = str(p.get("implementer") or "未识别单位")
        by_unit[unit]["projects"].append(p)
        file_unit.setdefault(str(p.get("file")), unit)
    for prob in data["problems"]:
        if prob.get("severity") == "info":
            continue
        unit = file_unit.get(str(prob.get("file")), "未识别单位")
        by_unit[unit]["problems"].append(prob)
    files: dict[str, list[str]] = defaultdict(list)
    for name in data.get("returns", []):
        files[Path(name).stem].append(name)
    out = []
    for unit in sorted(set(by_unit) | set(files)):
        entry = by_unit[unit]
        names = sorted(files.get(unit, []), key=lambda n: (not n.endswith(".xlsx"), n))
        text = data.get("return_texts", {}).get(unit, "")
        out.append({"unit": unit, **entry, "return_files": names, "return_text": text})
    return out
