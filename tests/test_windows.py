"""What a clerk meets on a Windows office PC, reproduced on any system: a GBK
console, output redirected to a file, an output file open in Excel (a replace
that fails), an empty inbox, `python -m perfxl` without Scripts on PATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import KASHGAR_2018, KASHGAR_2019
from typer.testing import CliRunner

from perfxl.cli import app
from perfxl.pipeline import run_inbox
from perfxl.write.atomic import OutputLocked, atomic_write_bytes

runner = CliRunner()
OUTSIDE_GBK = "😀𠮷"  # an emoji and a CJK Extension B character: GBK has neither


def perfxl(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    """`python -m perfxl …` in a child process, as a clerk runs it."""
    return subprocess.run(
        [sys.executable, "-m", "perfxl", *args],
        capture_output=True, timeout=300, cwd=cwd,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


@pytest.fixture
def odd_inbox(tmp_path: Path) -> Path:
    """A workbook whose names, messages and file name hold characters outside GBK."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    wb = openpyxl.load_workbook(KASHGAR_2019)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "监督检查" in cell.value:
                    cell.value = cell.value.replace("监督检查", f"监督{OUTSIDE_GBK}检查")
    wb.save(inbox / f"喀什{OUTSIDE_GBK}.xlsx")
    return inbox


def test_gbk_console_run_does_not_crash(odd_inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / f"输出{OUTSIDE_GBK}"  # printed in the closing lines
    r = perfxl("run", str(odd_inbox), "-o", str(out), "--jobs", "1",
               env={"PYTHONIOENCODING": "gbk"})  # fmt: skip
    err = r.stderr.decode("gbk", "replace")
    assert r.returncode in (0, 1), err
    assert "Traceback" not in err and "UnicodeEncodeError" not in err
    assert (out / "汇总表.xlsx").is_file()
    assert "处理结果" in r.stdout.decode("gbk")  # the closing table got through, "?" for 😀


def test_gbk_console_check_table_does_not_crash(odd_inbox: Path) -> None:
    r = perfxl("check", str(odd_inbox), "--jobs", "1", env={"PYTHONIOENCODING": "gbk"})
    assert r.returncode in (0, 1), r.stderr.decode("gbk", "replace")
    out = r.stdout.decode("gbk")
    assert "监督??检查" in out or "监督?检查" in out  # replaced, not a crash


def test_gbk_console_check_json_redirected_is_utf8(odd_inbox: Path) -> None:
    """`perfxl check --json > 问题.json` on a GBK console: the file is UTF-8 JSON."""
    r = perfxl("check", str(odd_inbox), "--json", "--jobs", "1", env={"PYTHONIOENCODING": "gbk"})
    assert r.returncode in (0, 1), r.stderr.decode("gbk", "replace")
    payload = json.loads(r.stdout.decode("utf-8"))
    messages = " ".join(p["message"] for p in payload["problems"])
    assert f"监督{OUTSIDE_GBK}检查" in messages
    assert payload["stats"]["files"] == 1


def test_check_json_to_file(odd_inbox: Path, tmp_path: Path) -> None:
    target = tmp_path / "问题.json"
    r = perfxl("check", str(odd_inbox), "--json", "-o", str(target), "--jobs", "1",
               env={"PYTHONIOENCODING": "gbk"})  # fmt: skip
    assert r.returncode in (0, 1), r.stderr.decode("gbk", "replace")
    payload = json.loads(target.read_text(encoding="utf-8"))
    assert any(OUTSIDE_GBK in p["file"] for p in payload["problems"])
    assert r.stdout == b""  # nothing else on standard output
    bad = runner.invoke(app, ["check", str(odd_inbox), "-o", str(target)])
    assert bad.exit_code == 2 and "只能与 --json 一起使用" in bad.output


def test_python_m_perfxl_works() -> None:
    r = perfxl("--version")
    assert r.returncode == 0 and r.stdout.decode().startswith("perfxl ")
    r = perfxl("check", str(KASHGAR_2018), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["stats"]["read"] == 1


# ---------------------------------------------------------------- an output open in Excel


def test_locked_output_names_the_final_file(tmp_path: Path) -> None:
    """A replace that fails (a directory in the way stands for Excel's lock):
    the error names the final file, never the temp file, and says what to do."""
    final = tmp_path / "汇总表.xlsx"
    final.mkdir()
    with pytest.raises(OutputLocked) as caught:
        atomic_write_bytes(final, b"data")
    message = str(caught.value)
    assert str(final) in message and ".~" not in message
    assert "Excel 或 WPS" in message and "关闭后重新运行" in message
    assert [p.name for p in tmp_path.iterdir()] == ["汇总表.xlsx"]  # no temp file left


def test_run_with_summary_open_in_excel_writes_the_rest(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(KASHGAR_2018, inbox)
    shutil.copy(KASHGAR_2019, inbox)
    out = tmp_path / "out"
    (out / "汇总表.xlsx").mkdir(parents=True)  # the final path cannot be replaced
    result = run_inbox(inbox, out, jobs=1, reports=True)
    assert result.summary is None
    assert len(result.locked) == 1 and str(out / "汇总表.xlsx") in result.locked[0]
    assert len(result.completed) == 2 and all(p.is_file() for p in result.completed)
    assert len(result.reports) == 2  # the other outputs are still written
    r = runner.invoke(app, ["run", str(inbox), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 2
    lines = [line for line in r.output.splitlines() if line.startswith("错误：")]
    assert lines == [
        f"错误：无法写入 {out / '汇总表.xlsx'}（Is a directory）：如果它正在 Excel 或 WPS 中打开，请关闭后重新运行"
    ]
    assert "Traceback" not in r.output and ".~" not in r.output


def test_locked_completed_copy_is_named_in_the_message(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(KASHGAR_2018, inbox)
    out = tmp_path / "out"
    copy = out / "completed" / KASHGAR_2018.name
    copy.mkdir(parents=True)
    r = runner.invoke(app, ["run", str(inbox), "-o", str(out), "--jobs", "1"])
    assert r.exit_code == 1, r.output  # the summary is written; the copy is a listed error
    assert f"错误：无法写入 {copy}" in r.output and "Excel 或 WPS" in r.output
    ws = openpyxl.load_workbook(out / "汇总表.xlsx")["问题清单"]
    failed = [row[5] for row in ws.iter_rows(values_only=True) if row[4] == "completed-failed"]
    assert len(failed) == 1 and str(copy) in failed[0] and "关闭后重新运行" in failed[0]


def test_summarize_onto_a_locked_file_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "汇总表.xlsx"
    target.mkdir()
    r = runner.invoke(app, ["summarize", str(KASHGAR_2018), "-o", str(target)])
    assert r.exit_code == 2
    assert f"错误：无法写入 {target}" in r.output and "Traceback" not in r.output


# ---------------------------------------------------------------- the inbox


@pytest.mark.parametrize("content", ["empty", "no-workbooks", "a-file"])
def test_inbox_without_workbooks_is_one_line_exit_2(tmp_path: Path, content: str) -> None:
    inbox = tmp_path / "收件箱"
    if content == "a-file":
        shutil.copy(KASHGAR_2018, inbox)
    else:
        inbox.mkdir()
        if content == "no-workbooks":
            (inbox / "说明.txt").write_text("没有表", encoding="utf-8")
    r = runner.invoke(app, ["run", str(inbox), "-o", str(tmp_path / "out")])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：收件箱中没有 Excel 文件")
    assert not (tmp_path / "out" / "汇总表.xlsx").exists()


def test_closing_table_names_the_files_that_failed(tmp_path: Path) -> None:
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(KASHGAR_2018, inbox)
    (inbox / "坏文件.xlsx").write_bytes(b"this is not a workbook")
    r = runner.invoke(app, ["run", str(inbox), "-o", str(tmp_path / "out"), "--jobs", "1"])
    assert r.exit_code == 1
    assert "读取失败的文件（1 个）：" in r.output
    assert any(line.strip().startswith("坏文件.xlsx：") for line in r.output.splitlines())


def test_run_refuses_a_recipient_that_is_not_an_address(tmp_path: Path) -> None:
    r = runner.invoke(app, ["run", str(KASHGAR_2018.parent), "-o", str(tmp_path / "out"),
                            "--mail-to", "领导"])  # fmt: skip
    assert r.exit_code == 2 and "收件人地址无效：领导" in r.output
    assert not (tmp_path / "out").exists()  # refused before any work
