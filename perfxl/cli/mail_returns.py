"""``perfxl mail-returns``: mail each unit its own return list (退回/…)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from perfxl.cli.common import fail, system_errors, with_password


def mail_returns(
    outdir: Path = typer.Argument(..., help="perfxl run --returns 的输出文件夹。"),
    roster: Path = typer.Option(
        ..., "--roster", help="名单（含“实施单位”和“邮箱”列）。", dir_okay=False
    ),
    host: str | None = typer.Option(None, "--host", help="SMTP 服务器（或 PERFXL_SMTP_HOST）。"),
    port: int | None = typer.Option(None, "--port", help="SMTP 端口（或 PERFXL_SMTP_PORT）。"),
    user: str | None = typer.Option(
        None,
        "--user",
        help="登录用户名（或 PERFXL_SMTP_USER）；密码只从 PERFXL_SMTP_PASSWORD 或提示输入。",
    ),
    tls: str | None = typer.Option(None, "--tls", help="加密方式：starttls（默认）、ssl 或 none。"),
    sender: str | None = typer.Option(None, "--from", help="发件人地址（或 PERFXL_SMTP_FROM）。"),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="不发送，每个单位写一个 .eml 文件到 -o 指定的文件夹。"
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="与 --dry-run 一起使用：.eml 文件夹。"
    ),
) -> None:
    """把每个单位的退回修改清单发给该单位（邮箱取自名单），每个单位一封邮件。"""
    from perfxl.loop.mailing import mail_returns as send_all
    from perfxl.loop.roster import read_roster
    from perfxl.write.mail import SmtpSettings

    with system_errors():
        if not (outdir / "退回").is_dir():
            raise fail(f"{outdir} 中没有“退回”文件夹：请先运行 perfxl run … --returns")
        if dry_run and out is None:
            raise fail("--dry-run 需要用 -o 指定 .eml 文件夹")
        rows = read_roster(roster)
        settings = SmtpSettings.from_env(
            os.environ, host=host, port=port, user=user,
            tls=tls.lower() if tls else None, sender=sender,
        )  # fmt: skip
        if not dry_run:
            if not settings.host:
                raise fail("未设置邮件服务器：请用 --host 或环境变量 PERFXL_SMTP_HOST 指定")
            if not settings.from_address:
                raise fail("未指定发件人：请用 --from 或 PERFXL_SMTP_FROM 指定")
            settings = with_password(settings)
        outcome = send_all(outdir, rows, settings, eml_dir=out if dry_run else None)
        for letter in outcome.sent:
            typer.echo(f"已发送：{letter.unit} → {letter.address}")
        for path in outcome.written:
            typer.echo(f"已写出（未发送）：{path}")
        for letter in outcome.no_address:
            typer.echo(f"未发送（名单中没有邮箱）：{letter.unit}（{letter.workbook.name}）")
        for letter, why in outcome.failed:
            typer.echo(f"发送失败：{letter.unit} → {letter.address}：{why}", err=True)
        done = len(outcome.sent) + len(outcome.written)
        typer.echo(
            f"共 {done} 个单位已处理，{len(outcome.no_address) + len(outcome.failed)} 个单位未发送"
        )
    raise typer.Exit(0 if outcome.complete else 1)
