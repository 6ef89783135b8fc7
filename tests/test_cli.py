"""The CLI through typer's CliRunner: the one command on the samples, every
other command, exit codes and messages."""

from __future__ import annotations

import email
import hashlib
import json
import shutil
import subprocess
import tomllib
from email import policy
from pathlib import Path

import pytest
from conftest import KASHGAR_2018, KASHGAR_2019, SAMPLES
from openpyxl import load_workbook
from typer.testing import CliRunner

from perfxl.cli import app

runner = CliRunner()
SUMMARY_HEADERS = [
    "序号", "年度", "主管部门", "实施单位", "项目名称", "年初预算数", "全年预算数", "全年执行数", "执行率",
    "预算得分", "一级指标数", "二级指标数", "三级指标数", "已完成三级指标数", "指标完成率", "自评总分",
    "复核总分", "差值", "自评等级", "复核等级", "错误数", "警告数", "源文件",
]  # fmt: skip
SAMPLE_FORMS = 10  # 9 workbooks, one of them with two forms


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> tuple[Path, Path, object]:
    """`perfxl run` over a copy of samples/, once for the module."""
    root = tmp_path_factory.mktemp("run")
    inbox = root / "收件箱"
    shutil.copytree(SAMPLES, inbox)
    out = root / "输出"
    result = runner.invoke(app, ["run", str(inbox), "-o", str(out), "--jobs", "2"])
    return inbox, out, result


def test_every_command_has_help():
    """Every registered command (the registry itself, not a list copied here)."""
    from perfxl.cli import COMMANDS

    registered = {c.name for c in app.registered_commands}
    assert registered == set(COMMANDS) and len(registered) >= 9
    for name in sorted(registered):
        r = runner.invoke(app, [name, "--help"])
        assert r.exit_code == 0, name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.output), name
    top = runner.invoke(app, ["--help"])
    assert all(name in top.output for name in registered)


def test_run_writes_summary_and_one_completed_copy_per_workbook(ran):
    inbox, out, result = ran
    assert result.exit_code == 0, result.output
    assert (out / "汇总表.xlsx").is_file()
    workbooks = sorted(
        p.relative_to(inbox).with_suffix(".xlsm" if p.suffix == ".xlsm" else ".xlsx")
        for p in inbox.iterdir()
        if p.suffix in (".xlsx", ".xls", ".xlsm")
    )
    assert (
        sorted(p.relative_to(out / "completed") for p in (out / "completed").rglob("*.xls[xm]"))
        == workbooks
    )
    assert "汇总表" in result.output and "处理结果" in result.output


def test_summary_shows_the_worked_examples(ran):
    _, out, _ = ran
    ws = load_workbook(out / "汇总表.xlsx")["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == SUMMARY_HEADERS
    by_file = {r[-1]: r for r in rows[1:] if r[-1]}
    k18, k19 = by_file[KASHGAR_2018.name], by_file[KASHGAR_2019.name]
    col = {h: i for i, h in enumerate(SUMMARY_HEADERS)}
    assert (k18[col["复核总分"]], k18[col["自评等级"]]) == (100.0, "优")
    assert (k19[col["复核总分"]], k19[col["复核等级"]]) == (82.08, "良")
    assert (k19[col["自评总分"]], k19[col["自评等级"]]) == (100.0, "优")  # the unit's own grade
    assert (
        k18[col["一级指标数"]],
        k18[col["二级指标数"]],
        k18[col["三级指标数"]],
        k18[col["已完成三级指标数"]],
    ) == (3, 9, 12, 12)
    assert k19[col["指标完成率"]] == 0.5 and k19[col["执行率"]] == pytest.approx(0.86)
    assert len(by_file) == SAMPLE_FORMS - 1  # the two-form workbook has one 源文件 for two rows
    assert (
        sum(1 for r in rows[1:] if r[col["序号"]] is not None and isinstance(r[col["序号"]], int))
        == SAMPLE_FORMS
    )


def test_outputs_hold_no_formula_from_input_text(ran):
    _, out, _ = ran
    for path in [out / "汇总表.xlsx", *sorted((out / "completed").rglob("*.xlsx"))]:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", f"{path.name}!{ws.title}!{c.coordinate}"


def test_completed_copy_fills_grade_and_keeps_what_the_unit_wrote(ran):
    _, out, _ = ran
    wb = load_workbook(out / "completed" / KASHGAR_2019.name)
    ws = wb["项目支出绩效自评表"]
    # 自评等级 was empty: filled with the grade of the unit's own 总分 (issue 13),
    # never the review's grade (良, 82.08) under the unit's total
    assert ws["G28"].value == "优"
    assert ws["H13"].value == 6  # the unit's self score stays
    assert "复核" in wb.sheetnames
    assert ws["H13"].comment is not None and "复核得分 4.8" in ws["H13"].comment.text


def test_second_run_gives_identical_files(ran, tmp_path: Path):
    inbox, out, _ = ran
    again = tmp_path / "again"
    r = runner.invoke(app, ["run", str(inbox), "-o", str(again), "--jobs", "1"])
    assert r.exit_code == 0
    assert digest(again) == digest(out)


def test_run_never_writes_into_the_inbox(ran):
    inbox, _, _ = ran
    assert sorted(p.name for p in inbox.iterdir()) == sorted(p.name for p in SAMPLES.iterdir())


def test_output_inside_inbox_is_refused(inbox: Path):
    r = runner.invoke(app, ["run", str(inbox), "-o", str(inbox / "out")])
    assert r.exit_code == 2
    assert "输出文件夹不能位于收件箱内" in r.output and "Traceback" not in r.output


def test_missing_inbox_is_exit_2(tmp_path: Path):
    r = runner.invoke(app, ["run", str(tmp_path / "nope"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 2 and "收件箱不存在" in r.output


def test_check_json_and_exit_codes(tmp_path: Path):
    r = runner.invoke(app, ["check", str(KASHGAR_2019), "--json"])
    assert r.exit_code == 0  # warnings only
    data = json.loads(r.output)
    assert data["valid"] is True and data["stats"]["forms"] == 1
    assert {p["code"] for p in data["problems"]} >= {
        "self-score-differs",
        "total-differs",
        "low-execution",
    }
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    r = runner.invoke(app, ["check", str(bad)])
    assert r.exit_code == 1 and "file-unreadable" in r.output


def test_score_json_gives_the_worked_example_figures():
    r = runner.invoke(app, ["score", str(KASHGAR_2019), "--json"])
    form = json.loads(r.output)["forms"][0]
    assert (form["review_total"], form["grade"], form["budget_score"]) == (82.08, "良", 8.6)
    assert [i["review_score"] for i in form["indicators"]] == [
        4.8,
        3.6,
        6,
        6,
        6,
        6,
        6.3,
        7,
        8,
        0,
        10,
        9.78,
    ]
    r = runner.invoke(app, ["score", str(KASHGAR_2018)])
    assert r.exit_code == 0 and "100.00" in r.output and "优" in r.output


def test_rules_prints_a_valid_toml_file():
    r = runner.invoke(app, ["rules"])
    assert tomllib.loads(r.output)["grades"]["thresholds"][0] == [90.0, "优"]


def test_rules_file_changes_the_grade(tmp_path: Path):
    f = tmp_path / "省规则.toml"
    f.write_text(
        '[grades]\nthresholds = [[80.0, "优"], [70.0, "良"], [60.0, "中"]]\n', encoding="utf-8"
    )
    r = runner.invoke(app, ["score", str(KASHGAR_2019), "--json", "--rules", str(f)])
    assert json.loads(r.output)["forms"][0]["grade"] == "优"
    f.write_text("[grades]\nthreshold = 1\n", encoding="utf-8")
    r = runner.invoke(app, ["score", str(KASHGAR_2019), "--rules", str(f)])
    assert r.exit_code == 2 and "grades.threshold" in r.output and "Traceback" not in r.output


def test_template_command_writes_the_blank_form(tmp_path: Path):
    out = tmp_path / "模板.xlsx"
    r = runner.invoke(app, ["template", "-o", str(out)])
    assert r.exit_code == 0
    ws = load_workbook(out).active
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"项目名称", "年度资金总额", "三级指标", "总分"} <= {t.replace(" ", "") for t in texts}
    assert ws.page_setup.paperSize in (9, "9")


def test_summarize_and_report_and_mail_dry_run(tmp_path: Path):
    summary = tmp_path / "汇总表.xlsx"
    r = runner.invoke(app, ["summarize", str(KASHGAR_2018), str(KASHGAR_2019), "-o", str(summary)])
    assert r.exit_code == 0 and summary.is_file()
    doc = tmp_path / "报告.docx"
    r = runner.invoke(app, ["report", str(KASHGAR_2018), "-o", str(doc)])
    assert r.exit_code == 0, r.output
    from docx import Document

    text = "\n".join(p.text for p in Document(str(doc)).paragraphs)
    assert (
        "本项目共设置一级指标3个，二级指标9个，三级指标12个，其中已完成三级指标12个，指标完成率为100%"
        in text
    )
    assert "预算执行率100%" in text
    eml = tmp_path / "m.eml"
    r = runner.invoke(
        app,
        ["mail", str(summary), "--to", "boss@example.org", "--dry-run", "-o", str(eml)],
        env={"PERFXL_SMTP_FROM": "czj@example.org"},
    )
    assert r.exit_code == 0, r.output
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "汇总表.xlsx" and att.get_content() == summary.read_bytes()


def test_run_with_reports(tmp_path: Path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(KASHGAR_2019, inbox)
    out = tmp_path / "out"
    r = runner.invoke(
        app, ["run", str(inbox), "-o", str(out), "--reports", "--no-completed", "--jobs", "1"]
    )
    assert r.exit_code == 0, r.output
    assert [p.name for p in (out / "reports").iterdir()] == ["认证认可监管专项经费.docx"]
    assert not (out / "completed").exists()


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_converts_summary_and_completed_workbook(ran, tmp_path: Path):
    _, out, _ = ran
    for src in (out / "汇总表.xlsx", out / "completed" / KASHGAR_2019.name):
        work = tmp_path / src.stem
        work.mkdir()
        done = subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(src),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        pdf = work / (src.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000


def test_run_mails_the_summary_to_a_loopback_server(tmp_path: Path):
    from test_mail import Collector, start

    handler = Collector()
    controller = start(handler)
    try:
        inbox = tmp_path / "in"
        inbox.mkdir()
        shutil.copy(KASHGAR_2019, inbox)
        out = tmp_path / "out"
        env = {
            "PERFXL_SMTP_HOST": "127.0.0.1",
            "PERFXL_SMTP_PORT": str(controller.port),
            "PERFXL_SMTP_TLS": "none",
            "PERFXL_SMTP_FROM": "czj@example.org",
        }
        r = runner.invoke(
            app,
            ["run", str(inbox), "-o", str(out), "--jobs", "1", "--mail-to", "boss@example.org"],
            env=env,
        )
        assert r.exit_code == 0, r.output
    finally:
        controller.stop()
    [envelope] = handler.envelopes
    assert envelope.rcpt_tos == ["boss@example.org"]
    msg = email.message_from_bytes(envelope.content, policy=policy.default)
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "汇总表.xlsx"
    assert att.get_content() == (out / "汇总表.xlsx").read_bytes()
    assert "良" in msg.get_body().get_content()


def test_mail_to_unreachable_server_is_exit_2(tmp_path: Path):
    from test_mail import free_port

    summary = tmp_path / "汇总表.xlsx"
    runner.invoke(app, ["summarize", str(KASHGAR_2018), "-o", str(summary)])
    env = {
        "PERFXL_SMTP_HOST": "127.0.0.1",
        "PERFXL_SMTP_PORT": str(free_port()),
        "PERFXL_SMTP_TLS": "none",
        "PERFXL_SMTP_FROM": "a@example.org",
    }
    r = runner.invoke(app, ["mail", str(summary), "--to", "b@example.org"], env=env)
    assert r.exit_code == 2 and "无法连接" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("jobs", ["1", "2"])  # 2: the 汇总表 is written while the pool works
def test_a_completed_copy_that_cannot_be_written_is_a_problem_not_a_crash(
    tmp_path: Path, jobs: str
):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(KASHGAR_2018, inbox)
    shutil.copy(KASHGAR_2019, inbox)
    out = tmp_path / "out"
    (out / "completed" / KASHGAR_2018.name).mkdir(parents=True)  # a folder where the copy goes
    r = runner.invoke(app, ["run", str(inbox), "-o", str(out), "--jobs", jobs])
    assert r.exit_code == 1, r.output
    assert (out / "completed" / KASHGAR_2019.name).is_file()
    ws = load_workbook(out / "汇总表.xlsx")["问题清单"]
    rows = [r for r in ws.iter_rows(values_only=True) if r[4] == "completed-failed"]
    assert [(r[0], r[3]) for r in rows] == [(KASHGAR_2018.name, "错误")]


def test_inputs_differing_only_by_extension_each_get_their_own_copy(tmp_path: Path):
    """自评表.xls + 自评表.xlsx and 表.xlsm + 表.xlsx in one folder: four inputs,
    four completed copies on disk, and the console counts what is on disk."""
    from perfxl.forms.generate import write_form
    from perfxl.testing.samples import kashgar_2018

    inbox = tmp_path / "收件箱"
    spec = kashgar_2018()
    for name, fmt in (
        ("自评表.xls", "xls"),
        ("自评表.xlsx", None),
        ("表.xlsm", "xlsm"),
        ("表.xlsx", None),
    ):
        write_form(inbox / name, spec, fmt=fmt)
    out = tmp_path / "输出"
    # one project four times: --keep-all counts them all (else the newest replaces the rest)
    result = runner.invoke(app, ["run", str(inbox), "-o", str(out), "-j", "1", "--keep-all"])
    assert result.exit_code == 0, result.output
    copies = sorted(p.name for p in (out / "completed").iterdir())
    # an .xlsm keeps its own name: its copy keeps its VBA, so it stays .xlsm
    assert copies == ["自评表.xls.xlsx", "自评表.xlsx", "表.xlsm", "表.xlsx"]
    assert f"完成稿：{len(copies)} 个" in result.output
    assert len(set(load_workbook(out / "汇总表.xlsx")["汇总"]["V"][1:5])) == 4


def test_report_follows_out_for_every_form_and_the_rules_word_lists(tmp_path: Path):
    """-o names the first form's report too (the others get -2, -3); a --rules
    file's no_reason words decide what counts as no deviation reason."""
    from dataclasses import replace

    import docx

    from perfxl.forms.generate import write_form
    from perfxl.testing.samples import kashgar_2019_deviation

    two = SAMPLES / "2022-保定市生态环境局-两个项目.xlsx"
    out = tmp_path / "报告" / "保定.docx"
    out.parent.mkdir()
    r = runner.invoke(app, ["report", str(two), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["保定-2.docx", "保定.docx"]

    spec = kashgar_2019_deviation()
    rows = [replace(i, reason="略") if i.name == "监督检查次数" else i for i in spec.indicators]
    form = write_form(tmp_path / "f.xlsx", replace(spec, indicators=rows))
    rules = tmp_path / "r.toml"
    rules.write_text('[words]\nno_reason = ["0", "无", "略"]\n', encoding="utf-8")

    def reason_line(*extra: str) -> str:
        doc = tmp_path / "r.docx"
        assert runner.invoke(app, ["report", str(form), "-o", str(doc), *extra]).exit_code == 0
        text = [p.text for p in docx.Document(str(doc)).paragraphs]
        return next(t for t in text if t.startswith("监督检查次数：目标"))

    assert reason_line().endswith("偏差原因：略")
    assert reason_line("--rules", str(rules)).endswith("偏差原因：【待填写：偏差原因及改进措施】")


def test_run_with_yearless_duplicate_pairs_writes_every_output(tmp_path: Path):
    """The batch that used to be lost: pairs of one project and unit with no
    readable year give a 汇总表, every completed copy and duplicate warnings."""
    from dataclasses import replace

    from perfxl.forms.generate import write_form
    from perfxl.testing.samples import kashgar_2018

    inbox = tmp_path / "收件箱"
    for k, name in enumerate(["甲项目", "乙项目"]):
        spec = replace(kashgar_2018(), year=None, project_name=name)
        write_form(inbox / f"{k}a.xlsx", spec)
        write_form(inbox / f"{k}b.xlsx", spec)
    for options in ([], ["--keep-all"]):  # the later form replaces the earlier / both kept
        out = tmp_path / f"输出{len(options)}"
        result = runner.invoke(app, ["run", str(inbox), "-o", str(out), "-j", "1", *options])
        assert result.exit_code == 0, result.output
        assert (out / "汇总表.xlsx").is_file() and len(list((out / "completed").iterdir())) == 4
    problems = load_workbook(out / "汇总表.xlsx")["问题清单"]
    assert sum("年度未填" in str(c.value) for row in problems.iter_rows() for c in row) == 4
