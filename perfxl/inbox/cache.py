"""Incremental runs: what each inbox item gave last time, kept in the output
folder (``.perfxl-cache/``), so a second run re-reads only new or changed files.

An entry is the per-file work's whole answer for one item — the column lists
the batch tables are built from, its read problems, its file row — stored as
deflated JSON (never pickle: an output folder on a shared drive is not trusted code).
Its key is the SHA-256 of perfxl's version, the effective rules, the item's
display name and member chain, and the *content* of its file, so a touched
but unchanged file is still a hit and any change of rules or version misses
everything. The batch is then gathered from entries and fresh results in
inbox order and checked as one, which is why a second run's outputs are
identical to a full run's (tests/test_incremental.py compares the bytes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from perfxl import __version__
from perfxl.batch.gc_pause import paused_gc
from perfxl.batch.run import BatchResult, _chunks, _Gatherer
from perfxl.batch.worker import work_chunk
from perfxl.checks.codes import problem
from perfxl.rules.schema import DEFAULT, Rules

CACHE_DIR = ".perfxl-cache"
SUFFIX = ".json.z"  # deflated JSON
_TIME_TYPES = {"datetime": dt.datetime, "date": dt.date, "time": dt.time}


def rules_digest(rules: Rules) -> str:
    """The effective rules as one hash: the typed rules' repr is made of
    frozen dataclasses, tuples and dicts in load order, so equal rules give
    equal text (the file's own text is added for what the repr leaves out)."""
    text = f"{rules!r}\0{rules.text}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return ""  # unreadable now: never a hit, the worker reports why
    return h.hexdigest()


def item_keys(items: Sequence[tuple], rules: Rules) -> dict[str, str]:
    """display name -> cache key, hashing each file once (an archive's
    members share their archive's hash)."""
    prefix = f"{__version__}\0{rules_digest(rules)}\0"
    contents: dict[str, str] = {}
    keys = {}
    for path, display, *rest in items:
        content = contents.get(str(path))
        if content is None:
            content = contents[str(path)] = file_digest(Path(path))
        chain = "\0".join(rest[0]) if rest else ""
        raw = f"{prefix}{display}\0{chain}\0{content}"
        keys[display] = hashlib.sha256(raw.encode("utf-8")).hexdigest() if content else ""
    return keys


def _encode(v: Any) -> Any:
    for name, kind in _TIME_TYPES.items():
        if isinstance(v, kind):
            return {"__time__": name, "iso": v.isoformat()}
    if isinstance(v, dt.timedelta):
        return {"__time__": "timedelta", "seconds": v.total_seconds()}
    raise TypeError(f"not cacheable: {type(v).__name__}")


def _decode(d: dict) -> Any:
    kind = d.get("__time__")
    if kind == "timedelta":
        return dt.timedelta(seconds=d["seconds"])
    if kind in _TIME_TYPES:
        return _TIME_TYPES[kind].fromisoformat(d["iso"])
    return d


def _compress(data: bytes) -> bytes:
    """zlib format (read back with zlib); ISA-L's deflate where it is installed:
    the parent writes an entry per file while the workers read, ≈ 4 times faster."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - isal is a dependency
        return zlib.compress(data, 1)
    return isal_zlib.compress(data, 1)


def dumps(entry: dict[str, Any]) -> bytes:
    """JSON, deflated (≈ 14 KB a form as text, a few KB stored)."""
    plain = {**entry, "problems": [p.as_dict() for p in entry["problems"]]}
    text = json.dumps(plain, ensure_ascii=False, default=_encode, separators=(",", ":"))
    return _compress(text.encode("utf-8"))


def loads(data: bytes) -> dict[str, Any]:
    entry = json.loads(zlib.decompress(data), object_hook=_decode)
    # read problems carry their registry severity (the [checks] rules apply later)
    entry["problems"] = [
        problem(p["code"], p["message"], file=p["file"], sheet=p["sheet"], cell=p["cell"],
                field=p["field"])
        for p in entry["problems"]
    ]  # fmt: skip
    entry["files"] = [tuple(f) for f in entry["files"]]
    return entry


class Cache:
    """The entries of one output folder."""

    def __init__(self, outdir: Path) -> None:
        self.folder = outdir / CACHE_DIR

    def has(self, key: str) -> bool:
        return bool(key) and (self.folder / f"{key}{SUFFIX}").is_file()

    def get(self, key: str) -> dict[str, Any] | None:
        if not key:
            return None
        try:
            return loads((self.folder / f"{key}{SUFFIX}").read_bytes())
        except (OSError, ValueError, KeyError, TypeError, zlib.error):
            return None  # missing or damaged: read the file again

    def put(self, key: str, entry: dict[str, Any]) -> None:
        if not key:
            return
        from perfxl.write.atomic import atomic_write_bytes

        with contextlib.suppress(OSError, TypeError, ValueError):
            atomic_write_bytes(self.folder / f"{key}{SUFFIX}", dumps(entry))

    def keep_only(self, keys: set[str]) -> None:
        """Drop entries no item of this run needs (the folder stays small)."""
        with contextlib.suppress(OSError):
            for name in os.listdir(self.folder):
                if name.endswith(SUFFIX) and name[: -len(SUFFIX)] not in keys:
                    with contextlib.suppress(OSError):
                        os.unlink(self.folder / name)


def review_each(
    items: Sequence[tuple], rules: Rules = DEFAULT, plans: bool = False
) -> list[dict[str, Any]]:
    """Worker: the per-file answers of a chunk, one entry per item (with
    ``plans``, each with its completed-copy plan, which is never cached)."""
    # one GC pause for the whole chunk (work_chunk's own pause nests inside):
    # a collection per file cost ≈ 5 % of a 1,000-file run
    with paused_gc():
        return [work_chunk([item], rules, plans) for item in items]


def _import_while_workers_read() -> None:
    """The parent's own modules for after the review (pandas ≈ 0.3 s, the
    frames and the checks), imported while the forked workers read the inbox
    instead of after the last file, when both cores would wait for it."""
    import pandas  # noqa: F401

    import perfxl.batch.frames  # noqa: F401
    import perfxl.checks.catalog  # noqa: F401


def run_cached(
    items: Sequence[tuple],
    outdir: Path,
    *,
    rules: Rules = DEFAULT,
    jobs: int | None = None,
    inbox: str = "",
    progress: Callable[[int, int], None] | None = None,
    start_method: str | None = None,
    plans: bool = False,
    before_read: Callable[[list[tuple]], None] | None = None,
) -> tuple[BatchResult, list[str]]:
    """The batch of ``items`` as :func:`perfxl.batch.run.run_batch` gives it,
    reading only the items the cache has no entry for. Returns the batch and
    the display names actually read. ``before_read`` is given the items about
    to be read, before the pool starts (the run starts LibreOffice on them).

    Entries are gathered in inbox order as they come (a cached one loaded
    when its turn comes, a fresh one as the pool delivers it), so the parent
    holds one block of pending rows at a time, as run_batch does."""
    cache = Cache(outdir)
    plain = [(str(item[0]), *item[1:]) for item in items]
    keys = item_keys(plain, rules)
    hits = {item[1] for item in plain if cache.has(keys[item[1]])}
    todo = [item for item in plain if item[1] not in hits]
    read = [item[1] for item in todo]
    if before_read is not None:
        before_read(todo)
    jobs = jobs or os.cpu_count() or 1
    chunks = list(_chunks(todo, jobs))
    gathered = _Gatherer(rules)

    def feed(results: Any) -> None:
        fresh = (entry for answers in results for entry in answers)  # in todo order
        for done, item in enumerate(plain, 1):
            key = keys[item[1]]
            entry = cache.get(key) if item[1] in hits else None
            if entry is None:
                if item[1] in hits:  # damaged since it was listed: read it now
                    entry = review_each([item], rules, plans)[0]
                    read.append(item[1])
                else:
                    entry = next(fresh)
                # the plan (pickled, for this run's completed copy) stays out of the cache
                gathered.plans.update(entry.pop("plans", None) or {})
                cache.put(key, entry)
            gathered.add(entry)
            if progress and (done % 16 == 0 or done == len(plain)):
                progress(done, len(plain))

    if jobs == 1 or len(chunks) <= 1:
        feed(review_each(c, rules, plans) for c in chunks)
    else:
        from perfxl.batch.pool import worker_pool

        with worker_pool(min(jobs, len(chunks)), start_method) as pool:
            results = pool.map(review_each, chunks, [rules] * len(chunks), [plans] * len(chunks))
            _import_while_workers_read()
            # the parent keeps every answer until the batch is built: nothing to
            # collect, and the collector walking the growing heap cost ≈ 0.3 s
            with paused_gc():
                feed(results)
    with paused_gc():
        batch = gathered.result(inbox, {item[1]: Path(item[0]) for item in plain})
    batch.members = {item[1]: tuple(item[2]) for item in plain if len(item) > 2 and item[2]}
    cache.keep_only(set(keys.values()))
    return batch, read
