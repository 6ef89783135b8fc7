"""``python -m perfxl``: the same as the ``perfxl`` command (for PCs where
Python's Scripts folder is not on PATH)."""

from perfxl.cli import console

if __name__ == "__main__":
    console()
