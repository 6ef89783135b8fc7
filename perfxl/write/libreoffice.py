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
    """``soffice`` processes converting many .xls, started at once and
    collected later: a run starts them before reading its inbox, so that
    LibreOffice (≈ 0.1 s of CPU an .xls) works while the review pass does and
    keeps the cores busy through the parent's serial steps, instead of
    holding up the completed copies. With ``processes`` > 1 the files are
    shared among that many LibreOffice instances (each with its own profile):
    one instance uses one core, and once the other work is done it would be
    the run's tail with the other cores idle. No thread is involved: the
    processes run on their own and :meth:`result` waits for them (forked pool
    workers only inherit handles they never use)."""

    def __init__(self, sources: list[Path], timeout: float = TIMEOUT_S, processes: int = 1) -> None:
        self.names: dict[str, Path] = {}
        self.processes: list[subprocess.Popen] = []
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
        stems = list(self.names)
        count = max(1, min(processes, len(stems)))
        for k in range(count):
            cmd = [
                program, f"-env:UserInstallation={Path(self.tmp.name, f'profile{k}').as_uri()}",
                "--headless", "--norestore", "--nolockcheck", "--convert-to",
                "xlsx:Calc MS Excel 2007 XML", "--outdir", str(self.done),
                *(str(folder / f"{stem}.xls") for stem in stems[k::count]),
            ]  # fmt: skip
            try:
                self.processes.append(
                    subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                        cmd,
                        stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )  # fmt: skip
                )
            except OSError:
                continue

    def result(self) -> dict[Path, bytes]:
        """Wait for LibreOffice (up to the time limit) and return what it made;
        any failure means "not converted" for the files concerned."""
        out: dict[Path, bytes] = {}
        finished = bool(self.processes)
        for process in self.processes:
            try:
                process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                finished = False
        if finished:
            for stem, src in self.names.items():
                made = self.done / f"{stem}.xlsx"
                with contextlib.suppress(OSError):
                    if made.is_file() and made.stat().st_size > 0:
                        out[src] = made.read_bytes()
        self.processes = []
        self._clean()
        return out

    def cancel(self) -> None:
        """Stop LibreOffice if it is still working and remove its files."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.processes = []
        self._clean()

    def _clean(self) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()
            self.tmp = None

    def sources(self) -> set[Path]:
        """The files handed to LibreOffice."""
        return set(self.names.values())
