"""``perfxl mail``: send the 汇总表 (or write it as an .eml with --dry-run).

The password comes only from PERFXL_SMTP_PASSWORD or an interactive prompt,
never from the command line (it would end up in shell history)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from perfxl.cli.common import (
    UnitOpt,
    fail,
    send_summary,
    system_errors,
)
from perfxl.write.mail import SmtpSettings


def mail(
    file: Path = typer.Argument(..., help="要发送的汇总表（.xlsx）。"),
    to: list[str] = typer.Option(..., "--to", help="收件人邮箱，可多次指定。"),
    cc: list[str] = typer.Option([], "--cc", help="抄送邮箱，可多次指定。"),
    subject: str | None = typer.Option(
        None,
        "--subject",
        help="邮件主题（默认：“2023年度项目支出绩效自评汇总表（共 N 个项目）”）。",
    ),
    host: str | None = typer.Option(None, "--host", help="SMTP 服务器（或 PERFXL_SMTP_HOST）。"),
    port: int | None = typer.Option(
        None, "--port", help="SMTP 端口（或 PERFXL_SMTP_PORT；默认按加密方式 587/465/25）。"
    ),
    user: str | None = typer.Option(
        None,
        "--user",
        help="登录用户名（或 PERFXL_SMTP_USER）；密码只从 PERFXL_SMTP_PASSWORD 或提示输入。",
    ),
    tls: str | None = typer.Option(
        None, "--tls", help="加密方式：starttls（默认）、ssl 或 none（或 PERFXL_SMTP_TLS）。"
    ),
    sender: str | None = typer.Option(
        None, "--from", help="发件人地址（或 PERFXL_SMTP_FROM；默认为用户名）。"
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="不发送，只把邮件写入 -o 指定的 .eml 文件。"
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="与 --dry-run 一起使用：.eml 文件路径。"
    ),
    sender_name: str | None = typer.Option(
        None, "--sender-name", help="落款中的发件人姓名（或环境变量 PERFXL_SENDER_NAME）。"
    ),
    unit: str | None = UnitOpt,
) -> None:
    """把汇总表作为附件发送邮件（正文为中文摘要：项目数、等级分布、主要问题）。"""
    with system_errors():
        if not file.exists():
            raise fail(f"文件不存在：{file}")
        if dry_run and out is None:
            raise fail("--dry-run 需要用 -o 指定 .eml 文件路径")
        settings = SmtpSettings.from_env(
            os.environ,
            host=host,
            port=port,
            user=user,
            tls=tls.lower() if tls else None,
            sender=sender,
        )
        send_summary(
            file,
            to=to,
            cc=cc,
            subject=subject,
            settings=settings,
            eml=out if dry_run else None,
            unit=unit,
            sender_name=sender_name,
        )
        if dry_run:
            typer.echo(f"邮件已写入：{out}（未发送）")
        else:
            typer.echo(f"已发送至：{'、'.join(to + cc)}")
