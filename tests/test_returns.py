"""Return lists (退回修改): one workbook + text per unit with problems, exact
contents, personal data only in the unit's own file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from loopkit import form
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from perfxl.checks.actions import ACTIONS
from perfxl.checks.codes import CODES
from perfxl.cli import app
from perfxl.loop.steps import LoopOptions
from perfxl.pipeline import run_inbox

runner = CliRunner()


def cells(path: Path) -> list[list[str]]:
    wb = CalamineWorkbook.from_path(str(path))
    rows = []
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False):
            rows.append([str(v) for v in row])
    return rows


def all_text(path: Path) -> str:
    return "\n".join("\t".join(r) for r in cells(path))


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("returns") / "收件箱"
    form(root / "甲.xlsx", "甲项目", "甲单位", filler="李四", phone="13900000000")
    form(root / "乙" / "乙一.xlsx", "乙一项目", "乙单位", served="90人",
         filler="王五", phone="13800000000")  # fmt: skip
    form(root / "乙" / "乙二.xlsx", "乙二项目", "乙单位", rate=0.5)
    (root / "乙单位-补充.xlsx").write_bytes(b"not a workbook at all")
    (root / "来历不明.xlsx").write_bytes(b"PK\x03\x04 truncated")
    return root


@pytest.fixture(scope="module")
def ran(inbox: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out") / "输出"
    return out, run_inbox(inbox, out, jobs=1, loop=LoopOptions(returns=True))


def test_only_units_with_problems_get_a_file(ran) -> None:
    out, result = ran
    names = sorted(p.name for p in (out / "退回").iterdir())
    assert names == ["乙单位.txt", "乙单位.xlsx", "未识别单位.txt", "未识别单位.xlsx"]
    assert result.loop.units_returned == 2


def test_return_text_is_exact(ran) -> None:
    out, _ = ran
    text = (out / "退回" / "乙单位.txt").read_text(encoding="utf-8-sig")
    assert text == (
        "退回修改通知：乙单位\n"
        "主管部门：某市财政局\n"
        "填报人：王五　联系电话：13800000000\n"
        "共 2 个项目，需修改的问题 3 条（错误 1 条、警告 2 条）。其中 1 个文件无法读取。"
        "请按下表修改后重新报送（文件名中可注明“修改稿”）。\n"
        "\n"
        "一、乙一项目（文件：乙/乙一.xlsx）\n"
        "1.【警告】缺少偏差原因（工作表「项目支出绩效自评表」I13）："
        "「服务人数」未得满分（复核 45 / 50 分），但未填写偏差原因分析及改进措施\n"
        "   修改要求：请填写偏差原因分析及改进措施\n"
        "\n"
        "二、乙二项目（文件：乙/乙二.xlsx）\n"
        "1.【警告】执行率计算有误（工作表「项目支出绩效自评表」H6）："
        "填写的执行率 50% 与 全年执行数/全年预算数 = 100% 不一致\n"
        "   修改要求：请按“全年执行数 ÷ 全年预算数”重新计算执行率\n"
        "\n"
        "无法读取的文件：\n"
        "1. 乙单位-补充.xlsx：不是 Excel 文件（内容既非 .xlsx 也非 .xls 格式）\n"
        "   修改要求：文件已损坏或不是 Excel 文件，请重新导出后报送\n"
    )


def test_return_workbook_rows_are_exact(ran) -> None:
    out, _ = ran
    rows = [[v for v in r if v] for r in cells(out / "退回" / "乙单位.xlsx")]
    rows = [r for r in rows if r]
    assert rows[0] == ["退回修改通知：乙单位"]
    assert rows[2] == ["填报人：王五　联系电话：13800000000"]
    header = ["序号", "项目名称", "源文件", "位置", "问题", "说明", "修改要求", "级别", "代码"]
    assert rows[4] == header
    assert rows[5] == [
        "1", "乙一项目", "乙/乙一.xlsx", "工作表「项目支出绩效自评表」I13", "缺少偏差原因",
        "「服务人数」未得满分（复核 45 / 50 分），但未填写偏差原因分析及改进措施",
        "请填写偏差原因分析及改进措施", "警告", "missing-deviation-reason",
    ]  # fmt: skip
    assert rows[6][1:5] == [
        "乙二项目",
        "乙/乙二.xlsx",
        "工作表「项目支出绩效自评表」H6",
        "执行率计算有误",
    ]
    assert rows[7] == ["无法读取的文件"]
    assert rows[8] == header
    assert rows[9][1:3] == ["乙单位-补充.xlsx", "整个文件"] and rows[9][-1] == "file-unreadable"
    assert len(rows) == 10


def test_unknown_files_go_to_the_unknown_unit(ran) -> None:
    out, _ = ran
    text = (out / "退回" / "未识别单位.txt").read_text(encoding="utf-8-sig")
    assert "来历不明.xlsx" in text and "乙" not in text


def test_contact_only_in_the_units_own_file(ran) -> None:
    out, _ = ran
    own = all_text(out / "退回" / "乙单位.xlsx")
    assert "王五" in own and "13800000000" in own and "李四" not in own
    for path in [out / "汇总表.xlsx", out / "退回" / "未识别单位.xlsx", out / "复核记录.json"]:
        text = all_text(path) if path.suffix == ".xlsx" else path.read_text(encoding="utf-8")
        for private in ("王五", "13800000000", "李四", "13900000000"):
            assert private not in text, (path.name, private)


def test_return_workbook_prints_on_a4_one_page_wide(ran) -> None:
    out, _ = ran
    with zipfile.ZipFile(out / "退回" / "乙单位.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        book = z.read("xl/workbook.xml").decode()
    assert 'paperSize="9"' in sheet and 'orientation="landscape"' in sheet
    assert 'fitToHeight="0"' in sheet and "<f>" not in sheet
    assert "_xlnm.Print_Titles" in book  # the header row repeats on every page


def test_every_problem_code_has_an_action() -> None:
    assert set(ACTIONS) == set(CODES)
    assert all("-" not in a and a for a in ACTIONS.values())  # Chinese, no English code


def test_cli_says_how_many_units_have_returns(inbox: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["run", str(inbox), "-o", str(tmp_path / "o"), "-j", "1", "--returns"])
    assert r.exit_code == 1, r.output  # the unreadable files are errors
    assert f"退回修改：2 个单位，位于 {tmp_path / 'o' / '退回'}" in r.output


def test_a_unit_with_nothing_left_loses_its_old_return_file(tmp_path: Path) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    form(inbox / "b.xlsx", "乙项目", "乙单位", served="90人")
    run_inbox(inbox, out, jobs=1, loop=LoopOptions(returns=True))
    assert (out / "退回" / "乙单位.xlsx").exists()
    form(inbox / "b.xlsx", "乙项目", "乙单位", served="90人", reason="疫情影响")
    result = run_inbox(inbox, out, jobs=1, loop=LoopOptions(returns=True))
    assert not (out / "退回").exists() or not any((out / "退回").iterdir())
    assert sorted(p.name for p in result.removed) == ["乙单位.txt", "乙单位.xlsx"]
