"""Incremental runs: a second run into the same output folder reads only what
changed and writes what a full run writes; outputs of inputs that left the
inbox go, and nothing perfxl did not write is touched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from loopkit import form

from perfxl.forms.generate import generate_corpus
from perfxl.inbox.cache import CACHE_DIR
from perfxl.loop.steps import LoopOptions
from perfxl.pipeline import run_inbox
from perfxl.rules.schema import Rules

LOOP = LoopOptions(returns=True)


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and CACHE_DIR not in p.parts
    }


def times(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.xlsx")}


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "收件箱"
    generate_corpus(root / "各县", 12, seed=11)
    form(root / "乙.xlsx", "乙项目", "乙单位", served="90人")
    return root


def test_second_run_reads_only_the_changed_file_and_equals_a_full_run(
    inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "输出"
    first = run_inbox(inbox, out, jobs=2, loop=LoopOptions(returns=True))
    assert len(first.read) == len(first.batch.sources) > 10
    before = times(out / "completed")
    form(inbox / "乙.xlsx", "乙项目", "乙单位", served="80人")  # a new figure, still a problem
    second = run_inbox(inbox, out, jobs=2, loop=LoopOptions(returns=True))
    assert second.read == ["乙.xlsx"]
    after = times(out / "completed")
    assert [k for k in after if after[k] != before.get(k)] == ["乙.xlsx"]
    full = tmp_path / "全量"
    run_inbox(inbox, full, jobs=1, loop=LoopOptions(returns=True))
    assert digest(out) == digest(full)
    assert (out / "退回" / "乙单位.txt").read_text(encoding="utf-8-sig").count("80人") == 0
    assert "复核 40 / 50 分" in (out / "退回" / "乙单位.txt").read_text(encoding="utf-8-sig")


def test_an_unchanged_inbox_reads_nothing(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "输出"
    run_inbox(inbox, out, jobs=1, completed=False)
    again = run_inbox(inbox, out, jobs=1, completed=False)
    assert again.read == []


def test_other_rules_read_everything_again(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "输出"
    run_inbox(inbox, out, jobs=1, completed=False)
    strict = tmp_path / "严格.toml"
    strict.write_text("[budget]\nlow_execution = 0.95\n", encoding="utf-8")
    again = run_inbox(inbox, out, jobs=1, completed=False, rules=Rules.load(strict))
    assert len(again.read) == len(again.batch.sources)


def test_outputs_follow_the_inbox_and_leave_foreign_files(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "输出"
    run_inbox(inbox, out, jobs=1, loop=LOOP)
    sources = sorted((inbox / "各县").glob("*.xlsx"))  # an .xlsx keeps its name as a copy
    gone, edited = (out / "completed" / "各县" / p.name for p in sources[:2])
    (out / "我的笔记.txt").write_text("clerk's own notes", encoding="utf-8")
    (out / "completed" / "手工副本.xlsx").write_bytes(b"not perfxl's")
    (inbox / "各县" / gone.name).unlink()
    (inbox / "各县" / edited.name).unlink()
    edited.write_bytes(edited.read_bytes() + b"\0")  # the clerk changed this copy
    (inbox / "乙.xlsx").unlink()  # 乙单位 no longer has anything to fix
    returns_before = {f"退回/{p.name}" for p in (out / "退回").iterdir()}
    result = run_inbox(inbox, out, jobs=1, loop=LOOP)
    returns_after = {f"退回/{p.name}" for p in (out / "退回").iterdir()}
    removed = {p.relative_to(out).as_posix() for p in result.removed}
    assert {"退回/乙单位.txt", "退回/乙单位.xlsx"} <= returns_before - returns_after
    assert removed == {f"completed/各县/{gone.name}", "completed/乙.xlsx"} | (
        returns_before - returns_after
    )
    assert edited.exists() and (out / "我的笔记.txt").exists()
    assert (out / "completed" / "手工副本.xlsx").read_bytes() == b"not perfxl's"


def test_a_damaged_cache_entry_is_read_again(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "输出"
    run_inbox(inbox, out, jobs=1, completed=False)
    entries = sorted((out / CACHE_DIR).glob("*.json.z"))
    entries[0].write_bytes(b"{ not json")
    again = run_inbox(inbox, out, jobs=1, completed=False)
    assert len(again.read) == 1


def test_a_cache_copied_to_another_folder_still_matches(inbox: Path, tmp_path: Path) -> None:
    """Keys depend on content and names, not on paths or times."""
    out = tmp_path / "输出"
    run_inbox(inbox, out, jobs=1, completed=False)
    moved = tmp_path / "搬家后"
    shutil.copytree(inbox, moved)
    again = run_inbox(moved, out, jobs=1, completed=False)
    assert again.read == []
