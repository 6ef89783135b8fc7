"""How perfxl starts its worker processes, and the two start-up tricks that
depend on it, asked for explicitly rather than assumed.

- **Fork before pandas.** Pool workers never import pandas (a chunk comes back
  as column lists, :mod:`perfxl.batch.worker`). Where the platform can fork,
  the workers are forked from a parent that has not imported pandas yet, so
  they start in milliseconds with a small heap, and the parent's ≈ 0.25 s
  pandas import overlaps their first chunks. Where it cannot (Windows, and
  macOS where fork is unsafe with some system libraries), workers are
  spawned: each starts a fresh interpreter and imports only what the worker
  needs; the results are the same (tests/test_batch.py runs both).
- **Frozen heap.** A forked worker shares the parent's memory pages until the
  parent's garbage collector writes to every object header; objects frozen
  with :func:`gc.freeze` before the fork are left alone (≈ 85 MB less PSS for
  1,000 forms in the completed-copy pool). Spawned workers share nothing, so
  freezing is skipped there.

Python 3.14 changes the default start method on Linux to forkserver; asking
for fork here keeps the measured behaviour on every version.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.context import BaseContext

START_METHODS = ("fork", "spawn")


def start_context(method: str | None = None) -> BaseContext:
    """The start method asked for, else fork where the platform has it, else spawn."""
    if method is None:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method not in START_METHODS:
        raise ValueError(f"unknown start method: {method}")
    return multiprocessing.get_context(method)


@contextmanager
def worker_pool(
    workers: int, method: str | None = None, *, freeze: bool = False
) -> Iterator[ProcessPoolExecutor]:
    """A process pool started the chosen way; ``freeze``: keep the parent's
    current objects out of the collector's reach while forked workers live."""
    context = start_context(method)
    frozen = freeze and context.get_start_method() == "fork"
    if frozen:
        gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield pool
    finally:
        if frozen:
            gc.unfreeze()
