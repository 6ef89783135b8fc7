"""Worker processes: one per run, at most ``max_parallel_runs`` at a time.

A run is started as ``python -m perfxl.web.job RUN_DIR JOBS`` (a fresh
interpreter, not a fork of the server with its event loop and threads). The
server checks its workers twice a second: a worker that exited without
writing a final status failed, and its one-line reason is shown; queued runs
start as others finish.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections import deque

from perfxl.web.store import FINAL, Run, RunStore

POSIX = os.name == "posix"


class JobRunner:
    def __init__(self, store: RunStore, jobs: int | None, max_parallel: int) -> None:
        self.store = store
        self.jobs = jobs
        self.max_parallel = max(1, max_parallel)
        self.queue: deque[str] = deque()
        self.running: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()

    def submit(self, run: Run) -> None:
        with self.lock:
            self.store.set_status(run, state="queued", stage="等待开始")
            self.queue.append(run.id)
        self.tick()

    def tick(self) -> None:
        """Reap finished workers, then start queued runs while there is room."""
        with self.lock:
            for run_id, proc in list(self.running.items()):
                code = proc.poll()
                if code is None:
                    continue
                del self.running[run_id]
                run = self.store.get(run_id)
                if run is not None and run.state not in FINAL:
                    self.store.set_status(
                        run, state="failed", error=f"处理进程意外退出（代码 {code}），请重试"
                    )
            while self.queue and len(self.running) < self.max_parallel:
                run = self.store.get(self.queue.popleft())
                if run is None:  # deleted while queued
                    continue
                # temp files of the pipeline (if any) stay inside the run folder too
                tmp = run.path / "tmp"
                tmp.mkdir(exist_ok=True)
                env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp)}
                log = open(run.path / "job.log", "ab")  # noqa: SIM115 - the child owns it
                try:
                    self.running[run.id] = subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "perfxl.web.job",
                            str(run.path),
                            str(self.jobs or 0),
                        ],
                        cwd=run.path,
                        env=env,
                        stdin=subprocess.DEVNULL,
                        stdout=log,
                        stderr=log,
                        start_new_session=POSIX,  # its own group: cancel stops its pool too
                    )
                finally:
                    log.close()

    def cancel(self, run_id: str) -> None:
        """Stop a run's worker (before its folder is deleted)."""
        with self.lock:
            if run_id in self.queue:
                self.queue.remove(run_id)
            proc = self.running.pop(run_id, None)
        if proc is not None:
            if POSIX:
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, signal.SIGTERM)
            else:
                proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_all(self) -> None:
        for run_id in list(self.running):
            self.cancel(run_id)
