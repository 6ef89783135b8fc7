"""Atomic output files: a reader never sees half a file, a failure keeps the old one.

Every writer (completed workbooks, 汇总表, reports, .eml, generated forms) goes
through here, so the rules live in one place: the temp file sits in the
destination folder (``os.replace`` is only atomic within one file system),
keeps the destination's suffix (libraries that check it stay happy), starts
with ``.~`` (the inbox scan skips such names, like Excel's lock files) and is
created fresh rather than with ``mkstemp``, so the result gets the usual
permissions of the umask instead of 0600.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

TOKEN_BYTES = 6
_TEMP_NAME = re.compile(rf"\.~.+-[0-9a-f]{{{2 * TOKEN_BYTES}}}\.[A-Za-z]+")


LOCKED_ADVICE = "如果它正在 Excel 或 WPS 中打开，请关闭后重新运行"


class OutputLocked(OSError):
    """The finished file could not take the place of the old one.

    On Windows this is what a file open in Excel or WPS gives (a sharing
    violation, PermissionError); elsewhere a directory in the way or a folder
    without write permission. The message names the final file, never the
    temp file the user has not heard of, and says what to do.
    """

    def __init__(self, dst: str | Path, cause: OSError | None = None) -> None:
        why = (cause.strerror or str(cause)) if cause is not None else ""
        text = (
            f"无法写入 {dst}（{why}）：{LOCKED_ADVICE}"
            if why
            else f"无法写入 {dst}：{LOCKED_ADVICE}"
        )
        super().__init__(text)
        self.filename = str(dst)

    def __reduce__(self):  # picklable across the process pool, message intact
        return (_locked_from_text, (self.filename, str(self)))

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _locked_from_text(dst: str, text: str) -> OutputLocked:
    err = OutputLocked(dst)
    err.args = (text,)
    return err


@contextlib.contextmanager
def atomic_path(dst: str | Path) -> Iterator[Path]:
    """Yield a fresh, not yet existing temp path next to ``dst``; on a clean exit
    it replaces ``dst``, on any exception it is removed and the error goes on.

    The writer creates the file itself (open it with mode ``"x"`` to be sure it
    is new), so libraries that want a file name rather than bytes can write to it.
    """
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.parent / f".~{dst.stem}-{secrets.token_hex(TOKEN_BYTES)}{dst.suffix}"
    try:
        yield tmp
        try:
            os.replace(tmp, dst)
        except OSError as exc:
            raise OutputLocked(dst, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):  # never hide the error that got us here
            tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`)."""
    with atomic_path(path) as tmp, open(tmp, "xb") as fh:
        fh.write(data)


def remove_stale_temps(folder: str | Path, older_than: float = 600.0) -> int:
    """Remove what a killed run left behind in an output folder (recursively):
    only files named exactly as :func:`atomic_path` names its temp files, and
    only once untouched for ``older_than`` seconds, so that another run writing
    into the same folder right now keeps its files. Returns how many went."""
    removed = 0
    limit = time.time() - older_than
    for root, _, names in os.walk(folder):
        for name in names:
            if not _TEMP_NAME.fullmatch(name):
                continue
            path = os.path.join(root, name)
            with contextlib.suppress(OSError):
                if os.stat(path).st_mtime < limit:
                    os.unlink(path)
                    removed += 1
    return removed
