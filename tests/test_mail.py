"""Mailing the 汇总表: a real SMTP server (aiosmtpd) on 127.0.0.1, a real
xlsx built with xlsxwriter, and the received bytes parsed back."""

from __future__ import annotations

import email
import email.header
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
    Signature,
    SmtpSettings,
    build_message,
    default_subject,
    read_summary_frames,
    send,
    summary_body,
    write_eml,
)

SUMMARY_HEADERS = [
    "序号", "年度", "主管部门", "实施单位", "项目名称", "年初预算数", "全年预算数", "全年执行数",
    "执行率", "预算得分", "一级指标数", "二级指标数", "三级指标数", "已完成三级指标数",
    "指标完成率", "自评总分", "复核总分", "差值", "自评等级", "复核等级", "错误数", "警告数",
    "源文件",
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
                        "优", "优", 0, 0, "2018/认证认可.xlsx"])  # fmt: skip
    ws.write_row(2, 0, [2, 2019, "喀什地区质量技术监督局", "喀什地区市场监管局",
                        "消费者权益保护经费", 5, 5, 4.3, 0.86, 8.6, 3, 9, 12, 6, 0.5, 100, 78.5,
                        21.5, "优", "中", 12, 1, "2019/认证认可.xlsx"])  # fmt: skip
    ws.write_row(3, 0, ["合计", "", "", "", "", 10, 10, 9.3, 0.93, "", "", "", 24, 18, 0.75,
                        "", "", "", "", "", 12, 1, ""])  # fmt: skip
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
    assert list(projects["复核等级"]) == ["优", "中"]
    assert list(projects["复核总分"]) == [100.0, 78.5]
    assert list(problems.columns) == PROBLEM_HEADERS
    assert list(problems["级别"].value_counts().items()) == [("错误", 12), ("警告", 1)]


def test_read_summary_frames_tolerates_missing_sheet(tmp_path: Path) -> None:
    projects, problems = read_summary_frames(write_summary(tmp_path / "s.xlsx", problems=False))
    assert len(projects) == 2
    assert problems.empty and list(problems.columns) == PROBLEM_HEADERS
    body = summary_body(projects, None).splitlines()
    assert "四、各项目共有错误 12 条、警告 1 条。" in body
    assert "    错误最多的单位：喀什地区市场监管局 12 条。" in body


def test_read_summary_frames_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "汇总表.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(MailError, match="无法读取汇总表"):
        read_summary_frames(bad)


def test_summary_body(summary: Path) -> None:
    signature = Signature(name="张三", unit="某某市财政局绩效科")
    body = summary_body(*read_summary_frames(summary), signature=signature)
    lines = body.splitlines()
    assert "附件为2018—2019年度项目支出绩效自评汇总表，请查收。主要情况如下：" in lines
    assert (
        "一、共汇总项目 2 个，全年预算数合计 10.00 万元，全年执行数合计 9.30 万元，"
        "总体执行率 93.00%。"
    ) in lines
    assert (
        "二、复核等级：优 1 个，良 0 个，中 1 个，差 0 个；复核总分平均 89.25 分，最低 78.50 分。"
        in lines
    )
    assert "三、需要关注的项目：" in lines
    assert "      1. 《消费者权益保护经费》（喀什地区市场监管局） 复核总分 78.50 分，中" in lines
    assert "    预算执行率低于 90% 的项目（1 个）：" in lines
    assert "      1. 《消费者权益保护经费》（喀什地区市场监管局） 执行率 86.00%" in lines
    assert "四、问题清单共 13 条，其中错误 12 条、警告 1 条。" in lines
    assert "    错误最多的单位：喀什地区市场监管局 12 条。" in lines
    first = "    1. 喀什地区市场监管局 《消费者权益保护经费》 F14：实际完成值无法识别（第1条）"
    assert first in lines
    assert not any("第11条" in line for line in lines)
    assert "    另有 2 条错误，详见附件“问题清单”工作表。" in lines
    assert "认证认可.xlsx" not in body  # units and projects by name, not file names
    assert lines[-3:] == ["某某市财政局绩效科", "张三", "（本邮件由 perfxl 根据附件自动生成）"]


def test_summary_body_without_frames() -> None:
    body = summary_body(None, None)
    assert "共汇总项目 0 个" in body and "四、未发现错误和警告。" in body
    assert "主要问题" not in body


def test_default_subject_names_year_and_count(summary: Path) -> None:
    projects, _ = read_summary_frames(summary)
    assert default_subject(projects) == "2018—2019年度项目支出绩效自评汇总表（共 2 个项目）"
    assert default_subject(projects.iloc[:1]) == "2018年度项目支出绩效自评汇总表（共 1 个项目）"


@pytest.mark.parametrize("bad", ["领导", "领导@", "@example.org", "a@b, c@d", "a b@example.org"])
def test_recipient_must_be_an_address(summary: Path, bad: str) -> None:
    with pytest.raises(MailError, match="收件人地址无效"):
        make_message(summary, to=[bad])
    assert make_message(summary, to=["张三 <a@example.org>"])["To"] == "张三 <a@example.org>"


# ---------------------------------------------------------------- the message


def test_chinese_attachment_name_is_rfc2231_and_rfc2047(summary: Path) -> None:
    raw = make_message(summary).as_bytes()
    assert b"filename*=utf-8''%E6%B1%87%E6%80%BB%E8%A1%A8.xlsx" in raw
    word = b"=?utf-8?b?5rGH5oC76KGoLnhsc3g=?="  # 汇总表.xlsx for clients without RFC 2231
    assert b'filename="' + word + b'"' in raw and b'name="' + word + b'"' in raw
    old = email.message_from_bytes(raw)  # the compat32 parser, as older clients read
    part = next(p for p in old.walk() if p.get_content_maintype() == "application")
    assert str(email.header.make_header(email.header.decode_header(part.get_param("name")))) == (
        "汇总表.xlsx"
    )
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


def test_mail_command_signs_with_settings_and_names_the_year(summary: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from perfxl.cli import app

    eml = tmp_path / "m.eml"
    env = {"PERFXL_UNIT": "某某市财政局绩效科", "PERFXL_SENDER_NAME": "张三"}
    args = ["mail", str(summary), "--to", "leader@example.org", "--dry-run", "-o", str(eml)]
    r = CliRunner().invoke(app, args, env=env)
    assert r.exit_code == 0, r.output
    parsed = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert parsed["Subject"] == "2018—2019年度项目支出绩效自评汇总表（共 2 个项目）"
    body = parsed.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "全年预算数合计 10.00 万元" in body and "《消费者权益保护经费》" in body
    assert "某某市财政局绩效科\n张三\n" in body
    r = CliRunner().invoke(app, [*args, "--sender-name", "李四", "--unit", "某县财政局"], env=env)
    body = email.message_from_bytes(eml.read_bytes(), policy=default).get_body(("plain",))
    assert "某县财政局\r\n李四\r\n" in body.get_content()
    r = CliRunner().invoke(app, ["mail", str(summary), "--to", "领导", "--dry-run", "-o", str(eml)])
    assert r.exit_code == 2 and "收件人地址无效：领导" in r.output
