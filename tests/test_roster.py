"""The roster (名单): 报送情况 with a missing project, an unexpected one and a
near-name match; roster-prefilled forms from ``perfxl template --roster``."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from loopkit import form
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from perfxl.cli import app
from perfxl.loop.roster import RosterError, read_roster
from perfxl.loop.steps import LoopOptions
from perfxl.pipeline import run_inbox
from perfxl.read.workbook import read_workbook

runner = CliRunner()
ROSTER = [  # 主管部门, 实施单位, 项目名称, 全年预算数, 邮箱
    ("某市财政局", "甲单位", "甲项目", 10, "jia@example.org"),
    ("某市财政局", "乙单位", "乙项目", 20, ""),
    ("某市交通局", "丙单位", "丙项目（一期）", 30, ""),
    ("某市交通局", "丁单位", "农村公路养护专项资金", 40.5, ""),
]


def write_roster(path: Path, rows=ROSTER) -> Path:
    """Headers on row 3 in their own order, as a clerk lays a roster out."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write(0, 0, "2023年度项目支出绩效自评名单")
    ws.write_row(2, 0, ["序号", "实施单位", "主管部门", "项目名称", "全年预算数（万元）", "邮箱"])
    for i, (dept, unit, project, budget, mail) in enumerate(rows, 3):
        ws.write_row(i, 0, [i - 2, unit, dept, project, budget, mail])
    wb.close()
    return path


def status_rows(path: Path) -> list[tuple[str, str, str, str]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("报送情况").to_python()
    head = rows[0]
    want = [head.index(h) for h in ("实施单位", "项目名称", "报送状态", "源文件")]
    return [tuple(str(r[i]) for i in want) for r in rows[1:]]


@pytest.fixture
def case(tmp_path: Path) -> tuple[Path, Path]:
    inbox = tmp_path / "收件箱"
    form(inbox / "甲.xlsx", "甲项目", "甲单位")
    form(inbox / "丙.xlsx", "丙项目(一期)", "丙单位")  # same name after normalisation
    form(inbox / "丁.xlsx", "农村公路养护资金", "丁单位")  # near, not the same
    form(inbox / "戊.xlsx", "戊项目", "戊单位")  # not on the roster
    return inbox, write_roster(tmp_path / "名单.xlsx")


def test_roster_status_lists_missing_unexpected_and_near(case, tmp_path: Path) -> None:
    inbox, roster = case
    r = runner.invoke(
        app, ["run", str(inbox), "-o", str(tmp_path / "o"), "-j", "1", "--roster", str(roster)]
    )
    assert r.exit_code == 0, r.output
    assert status_rows(tmp_path / "o" / "汇总表.xlsx") == [
        ("甲单位", "甲项目", "已报送", "甲.xlsx"),
        ("乙单位", "乙项目", "未报送", ""),
        ("丙单位", "丙项目（一期）", "已报送", "丙.xlsx"),
        ("丁单位", "农村公路养护专项资金", "未报送", ""),
        ("丁单位", "农村公路养护资金", "名称相近（待核实）", "丁.xlsx"),
        ("戊单位", "戊项目", "不在名单内", "戊.xlsx"),
    ]
    assert "报送情况：已报送 2，未报送 2，名称相近（待核实） 1，不在名单内 1" in r.output


def test_near_match_is_noted_on_both_rows(case, tmp_path: Path) -> None:
    inbox, roster = case
    result = run_inbox(
        inbox, tmp_path / "o", jobs=1, completed=False, loop=LoopOptions(roster=roster)
    )
    s = result.loop.status.set_index("project")
    assert (
        s.loc["农村公路养护专项资金", "note"]
        == "有名称相近的报送：丁.xlsx（农村公路养护资金），请核实"
    )
    assert s.loc["农村公路养护资金", "note"].startswith(
        "与名单中的“丁单位 农村公路养护专项资金”相近"
    )


def test_roster_headers_found_by_label(tmp_path: Path) -> None:
    rows = read_roster(write_roster(tmp_path / "名单.xlsx"))
    assert [(r.implementer, r.project, r.budget, r.email, r.row) for r in rows[:2]] == [
        ("甲单位", "甲项目", 10, "jia@example.org", 4),
        ("乙单位", "乙项目", 20, "", 5),
    ]
    assert rows[3].budget == 40.5 and rows[3].department == "某市交通局"


def test_roster_without_headers_is_one_line(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "坏.xlsx"))
    wb.add_worksheet().write(0, 0, "没有表头")
    wb.close()
    with pytest.raises(RosterError, match="找不到表头"):
        read_roster(tmp_path / "坏.xlsx")
    inbox = tmp_path / "in"
    form(inbox / "a.xlsx", "甲项目", "甲单位")
    r = runner.invoke(app, ["run", str(inbox), "-o", str(tmp_path / "o"), "--roster",
                            str(tmp_path / "坏.xlsx")])  # fmt: skip
    assert r.exit_code == 2 and "找不到表头（需要：主管部门、实施单位、项目名称）" in r.output


def test_template_roster_prefills_one_form_per_project(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "名单.xlsx")
    out = tmp_path / "下发"
    r = runner.invoke(app, ["template", "--roster", str(roster), "--year", "2023", "-o", str(out)])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        ["甲单位-甲项目.xlsx", "乙单位-乙项目.xlsx", "丙单位-丙项目（一期）.xlsx",
         "丁单位-农村公路养护专项资金.xlsx"]
    )  # fmt: skip
    [read] = read_workbook(out / "丁单位-农村公路养护专项资金.xlsx").forms
    assert (read.project_name.text, read.department.text, read.implementer.text, read.year) == (
        "农村公路养护专项资金", "某市交通局", "丁单位", 2023,
    )  # fmt: skip
    assert read.fund("total").budget.value == 40.5


def test_template_roster_needs_a_year(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "名单.xlsx")
    r = runner.invoke(app, ["template", "--roster", str(roster), "-o", str(tmp_path / "x")])
    assert r.exit_code == 2 and "--year" in r.output
