"""Convert .xls workbooks to .xlsx with LibreOffice, where it is installed.

LibreOffice keeps what calamine cannot see in an .xls (formatting, number
formats, comments, validation, conditional formats, charts, hidden rows and
sheets), so the completed copy of an .xls is the converted package, patched.
Each call runs ``soffice --headless`` with its own throw-away profile (two
instances sharing one profile block each other) and a time limit; any
failure means "not converted" and the caller writes the values-only copy.
``PERFXL_LIBREOFFICE=0`` switches conversion off; ``PERFXL_SOFFICE`` names
the program.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["Conversion", "convert_many", "convert_to_xlsx", "soffice"]

TIMEOUT_S = 180


@functools.cache
def soffice() -> str | None:
    if os.environ.get("PERFXL_LIBREOFFICE", "1").strip() in ("0", "no", "false", "off"):
        return None
    named = os.environ.get("PERFXL_SOFFICE")
    if named:
        return shutil.which(named)
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_xlsx(src: Path) -> bytes | None:
    return convert_many([Path(src)]).get(Path(src))


def convert_many(sources: list[Path], timeout: float = TIMEOUT_S) -> dict[Path, bytes]:
    """The .xlsx bytes of each source LibreOffice converted (one process for all)."""
    return Conversion(sources, timeout).result()


class Conversion:
    """One ``soffice`` process converting many .xls, started at once and
    collected later: a run starts it before reading its inbox, so that
    LibreOffice (≈ 0.1 s of CPU an .xls) works while the review pass does and
    keeps a core busy through the parent's serial steps, instead of holding
    up the completed copies. No thread is involved: the process runs on its
    own and :meth:`result` waits for it (forked pool workers only inherit a
    handle they never use)."""

    def __init__(self, sources: list[Path], timeout: float = TIMEOUT_S) -> None:
        self.names: dict[str, Path] = {}
        self.process: subprocess.Popen | None = None
        self.deadline = time.monotonic() + timeout
        self.tmp: tempfile.TemporaryDirectory | None = None
        program = soffice()
        if program is None or not sources:
            return
        self.tmp = tempfile.TemporaryDirectory(prefix="perfxl-lo-")
        folder, self.done = Path(self.tmp.name, "in"), Path(self.tmp.name, "out")
        folder.mkdir()
        for i, src in enumerate(sources):
            # plain names: the sources may share a name in different folders
            name = folder / f"f{i}.xls"
            try:
                shutil.copyfile(src, name)
            except OSError:
                continue
            self.names[name.stem] = Path(src)
        cmd = [
            program, f"-env:UserInstallation={Path(self.tmp.name, 'profile').as_uri()}",
            "--headless", "--norestore", "--nolockcheck", "--convert-to",
            "xlsx:Calc MS Excel 2007 XML", "--outdir", str(self.done),
            *(str(folder / f"{stem}.xls") for stem in self.names),
        ]  # fmt: skip
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError:
            self.process = None

    def result(self) -> dict[Path, bytes]:
        """Wait for LibreOffice (up to the time limit) and return what it made;
        any failure means "not converted" for the files concerned."""
        out: dict[Path, bytes] = {}
        if self.process is not None:
            try:
                self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            else:
                for stem, src in self.names.items():
                    made = self.done / f"{stem}.xlsx"
                    with contextlib.suppress(OSError):
                        if made.is_file() and made.stat().st_size > 0:
                            out[src] = made.read_bytes()
            self.process = None
        if self.tmp is not None:
            self.tmp.cleanup()
            self.tmp = None
        return out

    def cancel(self) -> None:
        """Stop LibreOffice if it is still working and remove its files."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None
        if self.tmp is not None:
            self.tmp.cleanup()
            self.tmp = None

    def sources(self) -> set[Path]:
        """The files handed to LibreOffice."""
        return set(self.names.values())
