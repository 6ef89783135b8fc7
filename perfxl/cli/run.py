"""``perfxl run``: the bureau's one job, an inbox in, completed copies and the 汇总表 out."""

from __future__ import annotations

from pathlib import Path

import typer

from perfxl.cli.common import (
    JobsOpt,
    RulesOpt,
    UnitOpt,
    closing_table,
    fail,
    load_rules,
    progress,
    send_summary,
    sender_unit,
    system_errors,
)


def run(
    inbox: Path = typer.Argument(..., help="收件箱文件夹（递归读取 .xlsx/.xlsm/.xls）。"),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件夹（不能位于收件箱内）。"),
    rules: Path | None = RulesOpt,
    jobs: int | None = JobsOpt,
    no_completed: bool = typer.Option(False, "--no-completed", help="只生成汇总表，不写完成稿。"),
    reports: bool = typer.Option(
        False, "--reports", help="同时为每个项目生成自评报告初稿（.docx）。"
    ),
    mail_to: list[str] = typer.Option(
        [], "--mail-to", help="把汇总表发送到这些邮箱（SMTP 设置见 perfxl mail）。"
    ),
    unit: str | None = UnitOpt,
) -> None:
    """一条命令：复核收件箱里的全部自评表，写出完成稿和汇总表。"""
    from perfxl.pipeline import run_inbox

    with system_errors():
        r = load_rules(rules)
        if not inbox.exists():
            raise fail(f"收件箱不存在：{inbox}")
        update, stop = progress()
        try:
            result = run_inbox(
                inbox,
                out,
                rules=r,
                jobs=jobs,
                completed=not no_completed,
                reports=reports,
                progress=update,
                bureau=sender_unit(unit),
            )
        finally:
            stop()
        closing_table(result.batch)
        if result.summary is not None:
            typer.echo(f"汇总表：{result.summary}")
        if result.completed:
            typer.echo(f"完成稿：{len(result.completed)} 个，位于 {out / 'completed'}")
        if result.reports:
            typer.echo(f"自评报告：{len(result.reports)} 份，位于 {out / 'reports'}")
        for message in result.locked:
            typer.echo(f"错误：{message}", err=True)
        if mail_to and result.summary is not None:
            send_summary(result.summary, to=mail_to, batch=result.batch, unit=unit)
            typer.echo(f"汇总表已发送至：{'、'.join(mail_to)}")
    if result.summary is None:  # the 汇总表 itself is missing: the run did not do its job
        raise typer.Exit(2)
    raise typer.Exit(1 if result.batch.has_errors else 0)
