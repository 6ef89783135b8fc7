"""What a worker process does for one run: ``python -m perfxl.web.job RUN_DIR``.

It calls the same :func:`perfxl.pipeline.run_inbox` as ``perfxl run`` with the
run's inbox and options, then saves the batch tables the pages render
(``results.json``) and the zips offered for download. Progress goes to
``status.json`` (atomically, at most a few times a second) for the page to
poll. A separate process rather than a thread: the pipeline uses a process
pool and pandas, and the server must answer while it works; a worker that
dies is noticed by the server from its exit code.
"""

from __future__ import annotations

import inspect
import json
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from perfxl.web.store import read_json, write_json


class Progress:
    """Throttled progress writes: files read and copies written."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / "status.json"
        self.state: dict[str, Any] = {"state": "running", "stage": "准备", "read": 0, "written": 0}
        self.last = 0.0
        self.flush()

    def flush(self) -> None:
        write_json(self.path, self.state)
        self.last = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        key = "read" if stage == "读取与复核" else "written" if stage == "写入完成稿" else "other"
        self.state.update({"stage": stage, key: done, f"{key}_total": total})
        if done == total or time.monotonic() - self.last > 0.25:
            self.flush()


def load_rules(run_dir: Path, options: dict[str, Any]):
    """The uploaded rules file, else the chosen named set, else the server's
    rules (``perfxl serve --rules``), else the defaults."""
    from perfxl.rules.schema import Rules
    from perfxl.web.rulesets import load_named

    uploaded = sorted((run_dir / "rules").glob("*"))
    if uploaded:
        return Rules.load(uploaded[0])
    if options.get("rules_name"):
        return load_named(options["rules_name"])
    return Rules.load(options.get("server_rules") or None)


def loop_supported() -> bool:
    """Whether this version's pipeline takes the loop's options (return lists,
    roster, previous run): ``run_inbox(..., loop=LoopOptions(...))``."""
    from perfxl.pipeline import run_inbox

    return "loop" in inspect.signature(run_inbox).parameters


def pipeline_extras(run_dir: Path, options: dict[str, Any]) -> dict[str, Any]:
    """The loop's options for ``run_inbox`` when the pipeline takes them: return
    lists always, the uploaded roster, the chosen previous run's output folder."""
    if not loop_supported():
        return {}
    from perfxl.loop.steps import LoopOptions

    roster = sorted((run_dir / "roster").glob("*"))
    previous = options.get("previous_out")
    return {
        "loop": LoopOptions(
            returns=True,
            roster=roster[0] if roster else None,
            previous=Path(previous) if previous else None,
        )
    }


def zip_folder(folder: Path, dst: Path) -> Path | None:
    """Every file under ``folder`` into ``dst`` (names relative to it)."""
    from perfxl.write.atomic import atomic_path

    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    if not files:
        return None
    with atomic_path(dst) as tmp, zipfile.ZipFile(tmp, "x", zipfile.ZIP_DEFLATED) as zf:
        for p in files:
            zf.write(p, p.relative_to(folder).as_posix())
    return dst


def records(frame) -> list[dict[str, Any]]:
    """A frame as JSON-ready rows (NaN → None, numpy scalars → Python)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in clean.to_dict("records")
    ]


def summary_sheets(summary: Path, names: tuple[str, ...]) -> dict[str, list[list[Any]]]:
    """The rows of the 汇总表's loop sheets (报送情况, 整改情况) when present:
    the page shows what the pipeline wrote, it does not recompute it."""
    from openpyxl import load_workbook

    wb = load_workbook(summary, read_only=True, data_only=True)
    try:
        return {
            name: [
                ["" if v is None else v for v in row]
                for row in wb[name].iter_rows(values_only=True)
                if any(v is not None for v in row)
            ]
            for name in names
            if name in wb.sheetnames
        }
    finally:
        wb.close()


def project_key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (str(row.get("file")), str(row.get("sheet") or ""), str(row.get("project_name") or ""))


def write_indicators(path: Path, projects: list[dict], indicators) -> list[int]:
    """indicators.jsonl: line i holds project i's indicators; returns each line's
    byte offset, so a project page reads its own line only (10,000 forms are
    ≈ 150,000 indicators: the server never loads them all)."""
    from perfxl.write.atomic import atomic_path

    groups: dict[tuple[str, str, str], list[dict]] = {}
    for row in records(indicators):
        groups.setdefault(project_key(row), []).append(row)
    offsets = []
    with atomic_path(path) as tmp, open(tmp, "xb") as fh:
        for p in projects:
            offsets.append(fh.tell())
            line = json.dumps(groups.get(project_key(p), []), ensure_ascii=False)
            fh.write(line.encode("utf-8") + b"\n")
    return offsets


def save_results(run_dir: Path, result, rules) -> dict[str, Any]:
    """results.json: the batch tables, projects in the 汇总 sheet's order (so a
    project's 序号 on the page is its 序号 in the workbook), and the downloads;
    the indicators beside it, one line a project."""
    from perfxl.write.summary import _sorted_projects

    batch = result.batch
    counts = batch.counts()
    grades = batch.projects["grade"].value_counts().to_dict() if not batch.projects.empty else {}
    out = run_dir / "out"
    downloads = run_dir / "downloads"
    made = {
        name: zip_folder(out / folder, downloads / name) is not None
        for name, folder in (
            ("completed.zip", "completed"),
            ("returns.zip", "退回"),
            ("reports.zip", "reports"),
        )
    }
    returns_dir = out / "退回"
    projects = records(_sorted_projects(batch.projects))
    offsets = write_indicators(run_dir / "indicators.jsonl", projects, batch.indicators)
    data = {
        "counts": counts,
        "grades": {str(k): int(v) for k, v in grades.items()},
        "grade_order": [g for _, g in rules.grade_thresholds] + [rules.grades.lowest],
        "rules": rules.title,
        "projects": projects,
        "indicator_offsets": offsets,
        "problems": records(batch.problems),
        "files": records(batch.files),
        "downloads": made,
        "returns": sorted(p.name for p in returns_dir.iterdir() if p.is_file())
        if returns_dir.is_dir()
        else [],
        "return_texts": {
            p.stem: p.read_text(encoding="utf-8-sig")
            for p in sorted(returns_dir.glob("*.txt"))
            if p.stat().st_size < 1_000_000
        }
        if returns_dir.is_dir()
        else {},
        "sheets": summary_sheets(result.summary, ("报送情况", "整改情况")),
    }
    write_json(run_dir / "results.json", data)
    return counts


def main(argv: list[str]) -> int:
    run_dir = Path(argv[0])
    jobs = int(argv[1]) if len(argv) > 1 and argv[1] != "0" else None
    progress = Progress(run_dir)
    try:
        from perfxl.batch.run import InboxError
        from perfxl.pipeline import run_inbox
        from perfxl.rules.schema import RulesError

        options = read_json(run_dir / "meta.json").get("options", {})
        try:
            rules = load_rules(run_dir, options)
            result = run_inbox(
                run_dir / "inbox",
                run_dir / "out",
                rules=rules,
                jobs=jobs,
                reports=bool(options.get("reports")),
                progress=progress,
                **pipeline_extras(run_dir, options),
            )
            counts = save_results(run_dir, result, rules)
        except (InboxError, RulesError) as exc:
            write_json(run_dir / "status.json", {"state": "failed", "error": str(exc)})
            return 0
        except MemoryError:
            write_json(
                run_dir / "status.json", {"state": "failed", "error": "内存不足，请分批上传"}
            )
            return 0
        except Exception as exc:  # noqa: BLE001 - one Chinese line for the page
            error = f"内部错误：{type(exc).__name__}：{exc}"
            write_json(run_dir / "status.json", {"state": "failed", "error": error})
            print(json.dumps({"error": error}, ensure_ascii=False), file=sys.stderr)
            return 1
        state = {**progress.state, "state": "done", "stage": "完成", "counts": counts}
        write_json(run_dir / "status.json", state)
        return 0
    except KeyboardInterrupt:
        write_json(run_dir / "status.json", {"state": "failed", "error": "运行被中断"})
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
