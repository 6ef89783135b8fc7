"""One folder per run under the data directory, named by an unguessable id.

::

    runs/<id>/meta.json     when, what was uploaded, the options (written by the server)
    runs/<id>/status.json   queued / running / done / failed, progress, counts
                            (written by the server before and after the worker,
                            by the worker while it runs: never both at once)
    runs/<id>/inbox/        the uploaded forms (the pipeline's inbox)
    runs/<id>/rules/        an uploaded rules file
    runs/<id>/roster/       an uploaded roster workbook
    runs/<id>/out/          what ``run_inbox`` wrote (汇总表.xlsx, completed/ …)
    runs/<id>/downloads/    the zips offered for download
    runs/<id>/results.json  the batch tables the pages render (projects, problems, files)
    runs/<id>/indicators.jsonl  the indicators, one line a project

The id is the only way to a run (16 random bytes): a URL with another id, or
one that is not an id at all, is simply not found.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from perfxl.write.atomic import atomic_write_bytes

RUN_ID = re.compile(r"[A-Za-z0-9_-]{22}")
FINAL = ("done", "failed")


def new_run_id() -> str:
    return secrets.token_urlsafe(16)


def write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@dataclass(frozen=True)
class Run:
    """A run folder and what its two small JSON files say."""

    id: str
    path: Path
    meta: dict[str, Any]
    status: dict[str, Any]

    @property
    def state(self) -> str:
        return str(self.status.get("state", "failed"))

    @property
    def created(self) -> str:
        return str(self.meta.get("created", ""))

    @property
    def inbox(self) -> Path:
        return self.path / "inbox"

    @property
    def out(self) -> Path:
        return self.path / "out"

    @property
    def downloads(self) -> Path:
        return self.path / "downloads"


class RunStore:
    """The history: create, find, list and delete run folders."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def create(self) -> Run:
        self.root.mkdir(parents=True, exist_ok=True)
        run_id = new_run_id()
        path = self.root / run_id
        path.mkdir()
        for sub in ("inbox", "rules", "roster"):
            (path / sub).mkdir()
        created = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
        meta = {"id": run_id, "created": created, "options": {}, "uploaded": {}}
        write_json(path / "meta.json", meta)
        status = {"state": "uploading"}
        write_json(path / "status.json", status)
        return Run(run_id, path, meta, status)

    def get(self, run_id: str) -> Run | None:
        if not RUN_ID.fullmatch(run_id):
            return None
        path = self.root / run_id
        meta = read_json(path / "meta.json")
        if not meta:
            return None
        return Run(run_id, path, meta, read_json(path / "status.json"))

    def list(self) -> list[Run]:
        """Finished and running runs, newest first (unfinished uploads left out)."""
        if not self.root.is_dir():
            return []
        runs = [self.get(p.name) for p in self.root.iterdir() if p.is_dir()]
        shown = [r for r in runs if r is not None and r.state != "uploading"]
        return sorted(shown, key=lambda r: r.created, reverse=True)

    def save_meta(self, run: Run, meta: dict[str, Any]) -> None:
        write_json(run.path / "meta.json", meta)

    def set_status(self, run: Run, **status: Any) -> None:
        write_json(run.path / "status.json", status)

    def delete(self, run: Run) -> None:
        shutil.rmtree(run.path, ignore_errors=True)

    def mark_interrupted(self) -> int:
        """At start: runs left queued or running by a stopped server failed."""
        n = 0
        for run in self.list() if self.root.is_dir() else []:
            if run.state not in FINAL:
                self.set_status(run, state="failed", error="服务器在运行过程中停止，本次运行未完成")
                n += 1
        for p in self.root.iterdir() if self.root.is_dir() else []:
            run = self.get(p.name)
            if run is not None and run.state == "uploading":
                self.delete(run)  # a half-received upload
        return n
