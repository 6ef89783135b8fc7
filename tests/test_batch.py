"""The batch machinery: block-wise checks in the parent, the pool, the GC pause."""

from __future__ import annotations

import gc
from pathlib import Path

import pandas as pd
import pytest

import perfxl.batch.run as batch
from perfxl.batch.gc_pause import paused_gc
from perfxl.batch.run import discover, run_batch
from perfxl.forms.generate import generate_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    generate_corpus(folder, 40, seed=3)
    (folder / "~$锁定.xlsx").write_bytes(b"owner")  # a skipped file among them
    (folder / "坏.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    return folder


def _tables(result: batch.BatchResult) -> list[pd.DataFrame]:
    return [
        t.reset_index(drop=True)
        for t in (result.projects, result.indicators, result.problems, result.files)
    ]


def test_checks_in_many_blocks_find_what_one_block_finds(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = discover(corpus)
    whole = run_batch(items, jobs=1)
    assert len(whole.projects) >= 40 and not whole.problems.empty
    monkeypatch.setattr(batch, "MIN_CHUNK", 3)
    monkeypatch.setattr(batch, "BLOCK_ROWS", 30)  # a block every chunk or two
    checked: list[int] = []
    check = batch._Gatherer.check

    def counting(self: batch._Gatherer) -> None:
        checked.append(len(self.pending["forms"].get("file", ())))
        check(self)

    monkeypatch.setattr(batch._Gatherer, "check", counting)
    blocks = run_batch(items, jobs=1)
    assert len([n for n in checked if n]) >= 4, checked
    for a, b in zip(_tables(whole), _tables(blocks), strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_pool_gives_the_same_tables_as_one_process(corpus: Path) -> None:
    items = discover(corpus)
    one, two = run_batch(items, jobs=1), run_batch(items, jobs=2)
    for a, b in zip(_tables(one), _tables(two), strict=True):
        pd.testing.assert_frame_equal(a, b)
    statuses = dict(zip(one.files["file"], one.files["status"], strict=True))
    assert statuses["~$锁定.xlsx"] == "skipped" and statuses["坏.xlsx"] == "failed"


def test_gc_pause_restores_the_collector_and_nests() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves it to the outer one
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("restored on errors too")
    assert gc.isenabled()


def test_sources_from_several_paths_keep_unique_names(tmp_path: Path) -> None:
    """`perfxl check a/收件箱 b/收件箱`: the same file name in two inboxes of the
    same name gives two names; a file given twice (or through its folder too)
    is read once."""
    from perfxl.batch.run import collect

    a, b = tmp_path / "a" / "收件箱", tmp_path / "b" / "收件箱"
    for folder in (a, b):
        generate_corpus(folder, 2, seed=5)
    items, _ = collect([a, b, a / sorted(p.name for p in a.iterdir())[0]])
    names = [d for _, d in items]
    assert len(items) == 4 and len(set(names)) == 4, names
    assert all(d.startswith((a.as_posix(), b.as_posix())) for d in names)
    assert sorted(p.resolve() for p, _ in items) == sorted(
        p.resolve() for p in [*a.iterdir(), *b.iterdir()]
    )
    result = run_batch(items, jobs=1)
    assert len(result.files) == 4 and result.files["file"].is_unique


def test_pool_start_is_asked_for_and_spawned_workers_give_the_same_outputs(
    corpus: Path, tmp_path: Path
) -> None:
    """Fork where the platform has it (workers start before pandas is imported);
    spawned workers, as on Windows, give the same tables and the same files."""
    import multiprocessing

    from perfxl.batch.pool import start_context
    from perfxl.pipeline import run_inbox

    expected = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    assert start_context().get_start_method() == expected
    assert start_context("spawn").get_start_method() == "spawn"
    with pytest.raises(ValueError):
        start_context("threads")
    items = discover(corpus)
    one, spawned = run_batch(items, jobs=1), run_batch(items, jobs=2, start_method="spawn")
    for a, b in zip(_tables(one), _tables(spawned), strict=True):
        pd.testing.assert_frame_equal(a, b)
    small = tmp_path / "收件箱"
    generate_corpus(small, 4, seed=11)
    outputs = {}
    for method in ("fork", "spawn"):
        if method in multiprocessing.get_all_start_methods():
            run_inbox(small, tmp_path / method, jobs=2, start_method=method)
            outputs[method] = {
                p.relative_to(tmp_path / method): p.read_bytes()
                for p in sorted((tmp_path / method).rglob("*.xls[xm]"))
            }
    assert len(outputs["spawn"]) == 5  # four completed copies and the 汇总表
    assert outputs.get("fork", outputs["spawn"]) == outputs["spawn"]
