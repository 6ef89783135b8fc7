"""Server settings: where runs are kept, the upload bounds, the access token.

Runs live under the user's data directory (platformdirs), so the server writes
nowhere else; ``PERFXL_DATA_DIR`` or ``--data-dir`` moves them (tests do).
The upload bounds come from the rules file's ``[limits]`` table, like every
other limit perfxl applies to untrusted input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from perfxl.rules.schema import DEFAULT, Rules

DATA_DIR_ENV = "PERFXL_DATA_DIR"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def default_data_dir() -> Path:
    """``$PERFXL_DATA_DIR`` when set, else the platform's user data folder."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("perfxl", appauthor=False))


@dataclass(frozen=True)
class ServeConfig:
    """Everything the app needs to know; the CLI builds it from options."""

    data_dir: Path
    token: str | None = None  # required from every request when set
    host: str = "127.0.0.1"
    port: int = 8765
    jobs: int | None = None  # worker processes of one run (None: all cores)
    rules: Rules = DEFAULT  # the default rule set and the upload limits
    max_parallel_runs: int = 1  # more runs wait in a queue (2-core office PCs)
    page_rows: int = 200  # project-table rows a page: 10,000 forms stay quick to show

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK_HOSTS

    @property
    def max_upload_bytes(self) -> int:
        return int(self.rules.limits.upload_max_total_mb * 1024 * 1024)

    @property
    def max_upload_files(self) -> int:
        return int(self.rules.limits.upload_max_files)

    @property
    def runs_dir(self) -> Path:
        return self.data_dir / "runs"
