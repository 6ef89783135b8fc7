"""``python -m perfxl``: the same as the ``perfxl`` command (for PCs where
Python's Scripts folder is not on PATH), and the entry point of the one-file
executable (packaging/perfxl.spec).

``freeze_support`` lets the process pool start its workers inside a frozen
Windows executable (spawn re-runs the executable; without it every worker
would run the command line again); elsewhere it does nothing.
"""

import multiprocessing

from perfxl.cli import console

if __name__ == "__main__":
    multiprocessing.freeze_support()
    console()
