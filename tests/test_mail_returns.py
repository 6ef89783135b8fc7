"""``perfxl mail-returns``: one message per unit, to the roster's address, with
only that unit's return list — against a real SMTP server on 127.0.0.1 that
refuses one unit's address."""

from __future__ import annotations

import email
import io
import socket
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from aiosmtpd.controller import Controller
from loopkit import form
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from perfxl.cli import app
from perfxl.loop.steps import LoopOptions
from perfxl.pipeline import run_inbox

runner = CliRunner()
UNITS = {  # unit -> (project, address)
    "甲单位": ("甲项目", "jia@example.org"),
    "乙单位": ("乙项目", "yi@example.org"),
    "丙单位": ("丙项目", "bing@example.org"),  # refused by the server
    "丁单位": ("丁项目", ""),  # no address in the roster
}


class Collector:
    def __init__(self, refuse: tuple[str, ...]) -> None:
        self.envelopes: list[Any] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_roster(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名单")
    ws.write_row(0, 0, ["2023年项目名单"])
    ws.write_row(2, 0, ["序号", "主管部门", "实施单位", "项目名称", "联系人", "电子邮箱"])
    for i, (unit, (project, address)) in enumerate(UNITS.items(), 3):
        ws.write_row(i, 0, [i - 2, "某市财政局", unit, project, "某人", address])
    wb.close()
    return path


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("mail")
    for unit, (project, _) in UNITS.items():
        form(root / "in" / f"{unit}.xlsx", project, unit, served="90人")  # one problem each
    out = root / "out"
    run_inbox(root / "in", out, jobs=1, loop=LoopOptions(returns=True))
    return out, write_roster(root / "名单.xlsx")


def attachment_units(message: email.message.EmailMessage) -> list[str]:
    """The unit named in every workbook attached, read back from its cells."""
    found = []
    for part in message.iter_attachments():
        data = io.BytesIO(part.get_payload(decode=True))
        rows = CalamineWorkbook.from_filelike(data).get_sheet_by_index(0).to_python()
        found.append(str(rows[0][0]))
    return found


def test_each_unit_gets_only_its_own_problems(outdir) -> None:
    out, roster = outdir
    handler = Collector(refuse=("bing@example.org",))
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    controller.start()
    try:
        r = runner.invoke(
            app,
            ["mail-returns", str(out), "--roster", str(roster), "--host", "127.0.0.1",
             "--port", str(controller.port), "--tls", "none", "--from", "czj@example.org"],
        )  # fmt: skip
    finally:
        controller.stop()
    assert r.exit_code == 1, r.output  # one refused, one without an address
    assert "已发送：甲单位 → jia@example.org" in r.output
    assert "已发送：乙单位 → yi@example.org" in r.output
    assert "发送失败：丙单位 → bing@example.org" in r.output and "550" in r.output
    assert "未发送（名单中没有邮箱）：丁单位" in r.output
    delivered = {}
    for env in handler.envelopes:
        message = email.message_from_bytes(env.content, policy=default)
        assert len(env.rcpt_tos) == 1
        delivered[env.rcpt_tos[0]] = message
    assert sorted(delivered) == ["jia@example.org", "yi@example.org"]
    for unit, (project, address) in UNITS.items():
        if address not in delivered:
            continue
        message = delivered[address]
        body = message.get_body(("plain",)).get_content()
        text = body + "".join(attachment_units(message)) + str(message["Subject"])
        assert project in body and unit in text
        assert attachment_units(message) == [f"退回修改通知：{unit}"]
        for other, (other_project, _) in UNITS.items():
            if other != unit:
                assert other not in text and other_project not in text, (unit, other)


def test_dry_run_writes_one_eml_per_unit_with_an_address(outdir, tmp_path: Path) -> None:
    out, roster = outdir
    emls = tmp_path / "eml"
    r = runner.invoke(
        app, ["mail-returns", str(out), "--roster", str(roster), "--dry-run", "-o", str(emls)]
    )
    assert r.exit_code == 1, r.output  # 丁单位 has no address
    assert sorted(p.name for p in emls.iterdir()) == ["丙单位.eml", "乙单位.eml", "甲单位.eml"]
    message = email.message_from_bytes((emls / "乙单位.eml").read_bytes(), policy=default)
    assert message["To"] == "yi@example.org"
    assert message["Subject"] == "退回修改通知：乙单位"
    assert [p.get_filename() for p in message.iter_attachments()] == ["乙单位.xlsx"]
    assert attachment_units(message) == ["退回修改通知：乙单位"]


def test_without_returns_folder_one_line_and_exit_2(tmp_path: Path) -> None:
    r = runner.invoke(app, ["mail-returns", str(tmp_path), "--roster", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2
    assert "没有“退回”文件夹" in r.output
