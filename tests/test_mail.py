"""Mailing the 汇总表: a real SMTP server (aiosmtpd) on 127.0.0.1, a real
xlsx built with xlsxwriter, and the received bytes parsed back."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from perfxl.write.mail import (
    MailError,
    SmtpSettings,
    build_message,
    read_summary_frames,
    send,
    summary_body,
    write_eml,
)

SUMMARY_HEADERS = [
    "序号", "年度", "主管部门", "实施单位", "项目名称", "年初预算数", "全年预算数", "全年执行数",
    "执行率", "预算得分", "一级指标数", "二级指标数", "三级指标数", "已完成三级指标数",
    "指标完成率", "自评总分", "复核总分", "差值", "自评等级", "错误数", "警告数", "源文件",
]  # fmt: skip
PROBLEM_HEADERS = ["源文件", "工作表", "单元格", "级别", "代码", "说明"]
SENDER = "perfxl@example.org"
DATE = "Mon, 01 Jan 2024 08:00:00 +0800"


def write_summary(path: Path, *, problems: bool = True) -> Path:
    """A small 汇总表.xlsx: two projects, a 合计 row, 13 problems (12 errors)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("汇总")
    ws.write_row(0, 0, SUMMARY_HEADERS)
    ws.write_row(1, 0, [1, 2018, "喀什地区质量技术监督局", "喀什地区质量技术监督局",
                        "认证认可监管专项经费", 5, 5, 5, 1, 10, 3, 9, 12, 12, 1, 100, 100, 0,
                        "优", 0, 0, "2018/认证认可.xlsx"])  # fmt: skip
    ws.write_row(2, 0, [2, 2019, "喀什地区质量技术监督局", "喀什地区质量技术监督局",
                        "认证认可监管专项经费", 5, 5, 4.3, 0.86, 8.6, 3, 9, 12, 6, 0.5, 100, 82.08,
                        17.92, "良", 12, 1, "2019/认证认可.xlsx"])  # fmt: skip
    ws.write_row(3, 0, ["合计", "", "", "", "", 10, 10, 9.3, 0.93, "", "", "", 24, 18, 0.75,
                        "", "", "", "", 12, 1, ""])  # fmt: skip
    if problems:
        ps = wb.add_worksheet("问题清单")
        ps.write_row(0, 0, PROBLEM_HEADERS)
        for i in range(12):
            ps.write_row(i + 1, 0, ["2019/认证认可.xlsx", "Sheet1", f"F{14 + i}", "错误",
                                    "actual-unreadable", f"实际完成值无法识别（第{i + 1}条）"])  # fmt: skip
        ps.write_row(13, 0, ["2019/认证认可.xlsx", "Sheet1", "F6", "警告", "low-execution",
                             "预算执行率86%，低于90%"])  # fmt: skip
    wb.close()
    return path


class Collector:
    """An aiosmtpd handler that keeps every delivered envelope."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.envelopes: list[Any] = []
        self.refuse = set(refuse)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(handler: Collector, **smtp_parameters: object) -> Controller:
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5, **smtp_parameters
    )
    controller.start()
    return controller


@pytest.fixture
def server() -> Iterator[tuple[Collector, Controller]]:
    handler = Collector(refuse=("nobody@example.org",))
    controller = start(handler)
    yield handler, controller
    controller.stop()


def plain(controller: Controller, **overrides: object) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=controller.port, tls="none", timeout=5, **overrides)


@pytest.fixture
def summary(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return write_summary(folder / "汇总表.xlsx")


def make_message(summary: Path, **kwargs: object) -> EmailMessage:
    body = summary_body(*read_summary_frames(summary))
    args: dict = {"sender": SENDER, "to": ["leader@example.org"], "body": body, "date": DATE}
    return build_message(summary, **{**args, **kwargs})


def attachment_of(message: EmailMessage) -> EmailMessage:
    (part,) = list(message.iter_attachments())
    return part


# ---------------------------------------------------------------- summary frames and body


def test_read_summary_frames_drops_totals_row(summary: Path) -> None:
    projects, problems = read_summary_frames(summary)
    assert list(projects.columns) == SUMMARY_HEADERS
    assert list(projects["自评等级"]) == ["优", "良"]
    assert list(projects["复核总分"]) == [100.0, 82.08]
    assert list(problems.columns) == PROBLEM_HEADERS
    assert list(problems["级别"].value_counts().items()) == [("错误", 12), ("警告", 1)]


def test_read_summary_frames_tolerates_missing_sheet(tmp_path: Path) -> None:
    projects, problems = read_summary_frames(write_summary(tmp_path / "s.xlsx", problems=False))
    assert len(projects) == 2
    assert problems.empty and list(problems.columns) == PROBLEM_HEADERS
    body = summary_body(projects, None).splitlines()
    assert "二、各项目共有错误 12 条、警告 1 条。" in body
    assert "    存在错误的文件 1 个，这些项目的复核得分仅供参考。" in body


def test_read_summary_frames_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "汇总表.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(MailError, match="无法读取汇总表"):
        read_summary_frames(bad)


def test_summary_body(summary: Path) -> None:
    body = summary_body(*read_summary_frames(summary))
    lines = body.splitlines()
    assert "一、共汇总项目 2 个。" in lines
    assert "    复核等级：优 1 个，良 1 个，中 0 个，差 0 个。" in lines
    assert "二、问题清单共 13 条，其中错误 12 条、警告 1 条。" in lines
    assert "    存在错误的文件 1 个，这些项目的复核得分仅供参考。" in lines
    assert "    1. 2019/认证认可.xlsx F14：实际完成值无法识别（第1条）" in lines
    assert "    10. 2019/认证认可.xlsx F23：实际完成值无法识别（第10条）" in lines
    assert not any("第11条" in line for line in lines)
    assert "    另有 2 条错误，详见附件“问题清单”工作表。" in lines
    assert "低于90%" not in body  # warnings are counted, not listed


def test_summary_body_without_frames() -> None:
    body = summary_body(None, None)
    assert "共汇总项目 0 个" in body and "二、未发现错误和警告。" in body
    assert "主要问题" not in body


# ---------------------------------------------------------------- the message


def test_chinese_attachment_name_is_rfc2231(summary: Path) -> None:
    raw = make_message(summary).as_bytes()
    assert b"filename*=utf-8''%E6%B1%87%E6%80%BB%E8%A1%A8.xlsx" in raw
    assert raw.isascii()  # subject (RFC 2047), body and file all encoded for 7-bit relays
    parsed = email.message_from_bytes(raw, policy=default)
    assert parsed["Subject"] == "项目支出绩效自评汇总表"
    assert attachment_of(parsed).get_filename() == "汇总表.xlsx"


def test_build_message_rejects_bad_input(summary: Path) -> None:
    with pytest.raises(MailError, match="未指定收件人"):
        make_message(summary, to=[" "])
    with pytest.raises(MailError, match="无法读取附件"):
        build_message(summary.with_name("缺失.xlsx"), sender=SENDER, to=["a@example.org"], body="")
    message = make_message(summary, subject="汇总\r\nBcc: evil@example.org")
    assert message["Subject"] == "汇总 Bcc: evil@example.org"
    assert message["Bcc"] is None


def test_write_eml_round_trip(summary: Path, tmp_path: Path) -> None:
    target = tmp_path / "dry" / "mail.eml"
    write_eml(make_message(summary, cc=["deputy@example.org"]), target)
    assert [p.name for p in target.parent.iterdir()] == ["mail.eml"]
    parsed = email.message_from_bytes(target.read_bytes(), policy=default)
    assert parsed["Cc"] == "deputy@example.org"
    part = attachment_of(parsed)
    assert part.get_filename() == "汇总表.xlsx"
    assert part.get_content() == summary.read_bytes()
    assert "共汇总项目 2 个" in parsed.get_body(("plain",)).get_content()


# ---------------------------------------------------------------- sending


def test_send_delivers_attachment_intact(summary: Path, server: tuple) -> None:
    handler, controller = server
    message = make_message(summary, cc=["deputy@example.org", "office@example.org"])
    send(message, plain(controller))
    (envelope,) = handler.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == ["leader@example.org", "deputy@example.org", "office@example.org"]
    received = email.message_from_bytes(envelope.original_content, policy=default)
    assert received["Subject"] == "项目支出绩效自评汇总表"
    part = attachment_of(received)
    assert part.get_filename() == "汇总表.xlsx"
    assert part.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert part.get_content() == summary.read_bytes()
    text = received.get_body(("plain",)).get_content()
    assert text.startswith("您好：") and "共汇总项目 2 个" in text and "优 1 个" in text


def test_refused_recipient_sends_to_nobody(summary: Path, server: tuple) -> None:
    handler, controller = server
    message = make_message(summary, to=["leader@example.org", "nobody@example.org"])
    with pytest.raises(MailError, match="服务器拒绝收件人：nobody@example.org") as info:
        send(message, plain(controller))
    assert "\n" not in str(info.value)
    assert handler.envelopes == []


def test_rejected_login(summary: Path) -> None:
    def reject(*_: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    handler = Collector()
    controller = start(handler, auth_require_tls=False, authenticator=reject)
    try:
        settings = plain(controller, user="finance", password="s3cret")
        with pytest.raises(MailError, match="^登录被拒绝") as info:
            send(make_message(summary), settings)
        assert "s3cret" not in str(info.value)
    finally:
        controller.stop()
    assert handler.envelopes == []


def test_accepted_login(summary: Path) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def accept(
        server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    handler = Collector()
    controller = start(handler, auth_require_tls=False, authenticator=accept)
    try:
        send(make_message(summary), plain(controller, user="finance", password="s3cret"))
    finally:
        controller.stop()
    assert logins == [(b"finance", b"s3cret")]
    assert len(handler.envelopes) == 1


def test_closed_port() -> None:
    port = free_port()
    settings = SmtpSettings(host="127.0.0.1", port=port, tls="none", timeout=3)
    message = EmailMessage()
    message["From"], message["To"] = SENDER, "leader@example.org"
    with pytest.raises(MailError, match=f"^无法连接邮件服务器 127.0.0.1:{port}"):
        send(message, settings)


def test_starttls_not_offered(summary: Path, server: tuple) -> None:
    handler, controller = server
    settings = SmtpSettings(host="127.0.0.1", port=controller.port, tls="starttls", timeout=5)
    with pytest.raises(MailError, match="不支持 STARTTLS"):
        send(make_message(summary), settings)
    assert handler.envelopes == []


def test_implicit_tls_against_plain_server(summary: Path, server: tuple) -> None:
    handler, controller = server
    settings = SmtpSettings(host="127.0.0.1", port=controller.port, tls="ssl", timeout=5)
    with pytest.raises(MailError, match="TLS 握手失败"):
        send(make_message(summary), settings)
    assert handler.envelopes == []


def test_no_host() -> None:
    with pytest.raises(MailError, match="PERFXL_SMTP_HOST"):
        send(EmailMessage(), SmtpSettings())


# ---------------------------------------------------------------- settings


def test_settings_from_env() -> None:
    env = {
        "PERFXL_SMTP_HOST": "smtp.example.org",
        "PERFXL_SMTP_PORT": "465",
        "PERFXL_SMTP_USER": "finance@example.org",
        "PERFXL_SMTP_PASSWORD": "s3cret",
        "PERFXL_SMTP_TLS": "SSL",
        "PERFXL_SMTP_FROM": "reports@example.org",
    }
    settings = SmtpSettings.from_env(env, host=None, timeout=3)
    assert (settings.host, settings.port, settings.tls, settings.timeout) == (
        "smtp.example.org",
        465,
        "ssl",
        3,
    )
    assert settings.from_address == "reports@example.org"
    assert settings.password == "s3cret"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings)
    assert SmtpSettings.from_env({}).effective_port == 587
    assert SmtpSettings.from_env({}, tls="none").effective_port == 25
    assert (
        SmtpSettings.from_env({"PERFXL_SMTP_USER": "u@example.org"}).from_address == "u@example.org"
    )


@pytest.mark.parametrize(
    ("env", "match"),
    [
        ({"PERFXL_SMTP_TLS": "tls1.3"}, "加密方式"),
        ({"PERFXL_SMTP_PORT": "smtp"}, "PERFXL_SMTP_PORT"),
        ({"PERFXL_SMTP_PORT": "70000"}, "端口"),
    ],
)
def test_settings_errors(env: dict[str, str], match: str) -> None:
    with pytest.raises(MailError, match=match):
        SmtpSettings.from_env(env)
