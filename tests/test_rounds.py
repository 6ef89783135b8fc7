"""Resubmissions (a 修改稿 replaces its original in every total) and rounds
(--previous: which problems were fixed, which remain, which are new)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from loopkit import form
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from perfxl.cli import app
from perfxl.inbox.resubmit import marker_rank
from perfxl.loop.record import RECORD_NAME
from perfxl.loop.steps import LoopOptions
from perfxl.pipeline import run_inbox

runner = CliRunner()


def sheet(path: Path, name: str) -> list[dict[str, object]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    head = [str(h) for h in rows[0]]
    return [dict(zip(head, r, strict=True)) for r in rows[1:] if any(v != "" for v in r)]


def age(path: Path, seconds: float) -> None:
    t = path.stat().st_mtime - seconds
    os.utime(path, (t, t))


@pytest.mark.parametrize(
    ("name", "rank"),
    [("表.xlsx", 0), ("表-修改稿.xlsx", 1), ("表（更正）.xlsx", 1), ("表修订版.xlsx", 1),
     ("表第3版.xlsx", 3), ("表第二稿.xlsx", 2), ("表(2).xlsx", 2), ("表 （4）.xls", 4),
     ("归档.zip/乙/表-修改稿.xlsx", 1)],
)  # fmt: skip
def test_marker_rank(name: str, rank: int) -> None:
    assert marker_rank(name) == rank


@pytest.fixture
def resubmitted(tmp_path: Path) -> Path:
    inbox = tmp_path / "收件箱"
    form(inbox / "甲.xlsx", "甲项目", "甲单位", budget=10)
    form(inbox / "乙.xlsx", "乙项目", "乙单位", budget=20, served="90人")
    form(inbox / "乙-修改稿.xlsx", "乙项目", "乙单位", budget=30, served="90人", reason="已说明")
    age(inbox / "乙-修改稿.xlsx", 3600)  # older on disk: the marker still wins
    return inbox


def test_resubmission_replaces_its_original_in_every_total(resubmitted: Path, tmp_path) -> None:
    out = tmp_path / "out"
    result = run_inbox(resubmitted, out, jobs=1, loop=LoopOptions(returns=True))
    batch = result.batch
    assert sorted(batch.projects["file"]) == ["乙-修改稿.xlsx", "甲.xlsx"]
    assert batch.projects["budget"].sum() == 40  # 10 + 30, not + 20
    assert set(batch.indicators["file"]) == {"乙-修改稿.xlsx", "甲.xlsx"}
    assert not (batch.problems["code"] == "duplicate-project").any()
    replaced = batch.problems[batch.problems["code"] == "replaced-submission"]
    assert list(replaced["file"]) == ["乙.xlsx"] and list(replaced["severity"]) == ["info"]
    # the original's own problem (missing reason) is no longer anyone's to fix
    assert set(batch.problems[batch.problems["file"] == "乙.xlsx"]["code"]) == {
        "replaced-submission"
    }
    assert not (out / "退回" / "乙单位.xlsx").exists()
    summary = sheet(out / "汇总表.xlsx", "汇总")
    assert sorted(str(r["源文件"]) for r in summary if r["源文件"]) == ["乙-修改稿.xlsx", "甲.xlsx"]
    status = sheet(out / "汇总表.xlsx", "报送情况")
    assert [
        (r["源文件"], r["报送状态"], r["说明"]) for r in status if r["报送状态"] == "已被修改稿替代"
    ] == [("乙.xlsx", "已被修改稿替代", "以 乙-修改稿.xlsx 为准")]
    assert (out / "completed" / "乙.xlsx").is_file()  # the replaced form keeps its copy


def test_without_marker_the_newer_file_wins(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    form(inbox / "a.xlsx", "乙项目", "乙单位", budget=20)
    form(inbox / "b.xlsx", "乙项目", "乙单位", budget=30)
    age(inbox / "b.xlsx", 3600)
    result = run_inbox(inbox, tmp_path / "out", jobs=1, completed=False)
    assert list(result.batch.projects["file"]) == ["a.xlsx"]


def test_keep_all_counts_every_form_and_warns(resubmitted: Path, tmp_path: Path) -> None:
    result = run_inbox(resubmitted, tmp_path / "out", jobs=1, loop=LoopOptions(keep_all=True))
    assert result.batch.projects["budget"].sum() == 60
    dup = result.batch.problems[result.batch.problems["code"] == "duplicate-project"]
    assert sorted(dup["file"]) == ["乙-修改稿.xlsx", "乙.xlsx"]


def test_two_rounds_one_problem_fixed_and_one_new(tmp_path: Path) -> None:
    inbox, first, second = tmp_path / "in", tmp_path / "第一轮", tmp_path / "第二轮"
    form(inbox / "乙.xlsx", "乙项目", "乙单位", served="90人")  # missing reason
    r1 = runner.invoke(app, ["run", str(inbox), "-o", str(first), "-j", "1", "--returns"])
    assert r1.exit_code == 0, r1.output
    record = json.loads((first / RECORD_NAME).read_text(encoding="utf-8"))
    assert [p["code"] for p in record["problems"]] == ["missing-deviation-reason"]
    # the unit adds the reason, but now writes a wrong 执行率
    form(inbox / "乙.xlsx", "乙项目", "乙单位", served="90人", reason="受天气影响", rate=0.5)
    r2 = runner.invoke(
        app,
        ["run", str(inbox), "-o", str(second), "-j", "1", "--returns", "--previous", str(first)],
    )
    assert r2.exit_code == 0, r2.output
    rows = sheet(second / "汇总表.xlsx", "整改情况")
    assert [(r["实施单位"], r["项目名称"], r["整改状态"], r["代码"]) for r in rows] == [
        ("乙单位", "乙项目", "已改正", "missing-deviation-reason"),
        ("乙单位", "乙项目", "新出现", "rate-differs"),
    ]
    text = (second / "退回" / "乙单位.txt").read_text(encoding="utf-8-sig")
    assert "整改情况（与上一轮相比）：已改正 1 条，仍未改正 0 条，新出现 1 条。" in text
    assert "新出现 1. 乙项目 工作表「项目支出绩效自评表」H6：执行率计算有误" in text


def test_previous_without_record_is_one_line(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    form(inbox / "a.xlsx", "甲项目", "甲单位")
    r = runner.invoke(
        app, ["run", str(inbox), "-o", str(tmp_path / "o"), "--previous", str(tmp_path)]
    )
    assert r.exit_code == 2
    assert "上次输出中没有 复核记录.json" in r.output
    assert not (tmp_path / "o" / "汇总表.xlsx").exists()
