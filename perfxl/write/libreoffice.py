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

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["convert_many", "convert_to_xlsx", "soffice"]

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
    program = soffice()
    if program is None or not sources:
        return {}
    out: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="perfxl-lo-") as tmp:
        folder, done = Path(tmp, "in"), Path(tmp, "out")
        folder.mkdir()
        names = {}
        for i, src in enumerate(sources):
            # plain names: the sources may share a name in different folders
            name = folder / f"f{i}.xls"
            try:
                shutil.copyfile(src, name)
            except OSError:
                continue
            names[name.stem] = src
        cmd = [
            program, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
            "--outdir", str(done), *(str(folder / f"{stem}.xls") for stem in names),
        ]  # fmt: skip
        try:
            subprocess.run(
                cmd, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.SubprocessError):
            return {}
        for stem, src in names.items():
            made = done / f"{stem}.xlsx"
            if made.is_file() and made.stat().st_size > 0:
                out[src] = made.read_bytes()
    return out
