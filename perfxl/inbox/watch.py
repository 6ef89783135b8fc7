"""Keep the outputs up to date while units' files arrive (``perfxl watch``).

Polling, not OS notifications: it works the same on a shared network folder,
where notifications are unreliable, and needs no extra package. A run starts
once the inbox has been quiet for ``settle`` seconds (a unit dropping ten
files causes one run, not ten) and no file in it still looks half-copied: a
file whose size or time changed within ``settle``, or a zip-based file
(.xlsx/.xlsm/.zip) without its end-of-archive record yet, which Windows'
Explorer copies write last. A file that stays incomplete for ``give_up``
seconds is read anyway, so its unit is told it is broken. Every run is the
incremental ``run_inbox``: only new or changed files are read.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EOCD = b"PK\x05\x06"
INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".zip", ".7z", ".rar")
TAIL = 65536 + 22  # the end record and the longest comment it may carry

Snapshot = dict[str, tuple[int, int]]


def snapshot(inbox: Path, exclude: Path | None = None) -> Snapshot:
    """relative path -> (size, mtime_ns) of every file under the inbox."""
    out: Snapshot = {}
    ex = exclude.resolve() if exclude else None
    for root, dirs, names in os.walk(inbox):
        root_p = Path(root)
        dirs[:] = [d for d in dirs if ex is None or (root_p / d).resolve() != ex]
        for name in names:
            p = root_p / name
            try:
                st = p.stat()
            except OSError:
                continue
            out[p.relative_to(inbox).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


def looks_complete(path: Path) -> bool:
    """False for a file still being written: empty, or a zip (.xlsx, .xlsm,
    .zip, a zip-based .et) whose end-of-archive record is not there yet."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - TAIL))
            tail = fh.read()
    except OSError:
        return False
    if not head:  # a copy that has not started writing (an empty note is just empty)
        return path.suffix.lower() not in INPUT_SUFFIXES
    return not head.startswith(b"PK") or EOCD in tail


def watch(
    inbox: Path,
    run: Callable[[], Any],
    *,
    exclude: Path | None = None,
    interval: float = 2.0,
    settle: float = 5.0,
    give_up: float = 120.0,
    stop: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Call ``run()`` now and after every settled change until ``stop`` is
    set (or KeyboardInterrupt). Returns how many runs there were."""
    stop = stop or threading.Event()
    runs = 0
    done: Snapshot | None = None
    seen = snapshot(inbox, exclude)
    changed_at = clock() - settle
    waiting_since: float | None = None
    while True:
        now = clock()
        if seen != done and now - changed_at >= settle:
            incomplete = [k for k in seen if not looks_complete(inbox / k)]
            if incomplete and waiting_since is None:
                waiting_since = now
            if not incomplete or now - (waiting_since or now) >= give_up:
                run()
                runs += 1
                done, waiting_since = seen, None
        if stop.wait(interval):
            return runs
        current = snapshot(inbox, exclude)
        if current != seen:
            seen, changed_at = current, clock()
