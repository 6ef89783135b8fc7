"""``perfxl watch``: runs after the inbox settles, never on a half-copied file,
and stops cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from loopkit import form

from perfxl.batch.run import InboxError
from perfxl.inbox.watch import looks_complete, watch
from perfxl.pipeline import run_inbox


def wait_for(condition, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_half_copied_workbook_is_not_read(tmp_path: Path) -> None:
    inbox, out = tmp_path / "收件箱", tmp_path / "输出"
    inbox.mkdir()
    data = form(tmp_path / "src" / "乙.xlsx", "乙项目", "乙单位").read_bytes()
    results = []
    stop = threading.Event()

    def run() -> None:
        try:
            results.append(run_inbox(inbox, out, jobs=1, completed=False))
        except InboxError:  # nothing to read yet: a run all the same
            results.append(None)

    thread = threading.Thread(
        target=watch, args=(inbox, run), kwargs={"exclude": out, "interval": 0.05,
                                                "settle": 0.3, "give_up": 60, "stop": stop},
    )  # fmt: skip
    thread.start()
    try:
        assert wait_for(lambda: len(results) == 1)  # the first run, over the empty inbox
        with open(inbox / "乙.xlsx", "wb") as fh:  # a copy in progress: half the bytes
            fh.write(data[: len(data) // 2])
            fh.flush()
            time.sleep(1.0)  # well past the settle time: quiet, but incomplete
            assert len(results) == 1
            fh.write(data[len(data) // 2 :])
        assert wait_for(lambda: len(results) == 2)
        time.sleep(0.5)
        assert len(results) == 2  # one run for one arrival
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    batch = results[1].batch
    assert list(batch.projects["project_name"]) == ["乙项目"]
    assert not (batch.problems["severity"] == "error").any()


def test_many_files_arriving_together_cause_one_run(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    runs = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(inbox, lambda: runs.append(time.monotonic())),
        kwargs={"interval": 0.05, "settle": 0.4, "stop": stop},
    )  # fmt: skip
    thread.start()
    try:
        assert wait_for(lambda: len(runs) == 1)
        for k in range(5):
            form(inbox / f"{k}.xlsx", f"项目{k}", "甲单位")
            time.sleep(0.1)
        assert wait_for(lambda: len(runs) == 2)
        time.sleep(0.8)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert len(runs) == 2


def test_looks_complete_needs_the_end_of_a_zip(tmp_path: Path) -> None:
    data = form(tmp_path / "a.xlsx", "甲项目", "甲单位").read_bytes()
    (tmp_path / "half.xlsx").write_bytes(data[:-30])
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert looks_complete(tmp_path / "a.xlsx")
    assert not looks_complete(tmp_path / "half.xlsx")
    assert not looks_complete(tmp_path / "empty.xlsx")
    assert looks_complete(tmp_path / "old.xls")  # not zip-based: stability alone decides


def test_ctrl_c_stops_the_command_cleanly(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    form(inbox / "a.xlsx", "甲项目", "甲单位")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from perfxl.cli import console; console()", "watch", str(inbox),
         "-o", str(tmp_path / "out"), "--interval", "0.1", "--settle", "0.1", "-j", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert wait_for(lambda: (tmp_path / "out" / "汇总表.xlsx").exists(), timeout=30)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "已停止监视" in stdout and "Traceback" not in stderr


def test_an_empty_note_does_not_hold_up_a_run(tmp_path: Path) -> None:
    (tmp_path / "新建文本文档.txt").write_bytes(b"")
    assert looks_complete(tmp_path / "新建文本文档.txt")
