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
    loop_lines,
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
    returns: bool = typer.Option(
        False,
        "--returns",
        help="为每个有问题的实施单位写出退回修改清单（退回/单位.xlsx 和 .txt）。",
    ),
    roster: Path | None = typer.Option(
        None,
        "--roster",
        help="名单（.xlsx：主管部门、实施单位、项目名称…）：汇总表增加“报送情况”。",
        dir_okay=False,
    ),
    previous: Path | None = typer.Option(
        None, "--previous", help="上一轮的输出文件夹：汇总表增加“整改情况”，退回清单注明整改情况。"
    ),
    year: int | None = typer.Option(
        None, "--year", min=1990, max=2100, help="本次汇总的年度：其他年度的表单列为 wrong-year。"
    ),
    keep_all: bool = typer.Option(
        False, "--keep-all", help="同一项目的多份报送全部计入（默认只计最新的修改稿）。"
    ),
    unit: str | None = UnitOpt,
) -> None:
    """一条命令：复核收件箱里的全部自评表，写出完成稿和汇总表。"""
    from perfxl.loop.steps import LoopOptions
    from perfxl.pipeline import run_inbox

    with system_errors():
        if mail_to:  # a bad address fails now, not after the whole run
            from perfxl.write.mail import check_addresses

            check_addresses(mail_to)
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
                loop=LoopOptions(
                    returns=returns, roster=roster, keep_all=keep_all, previous=previous, year=year
                ),
                bureau=sender_unit(unit),
            )
        finally:
            stop()
        closing_table(result.batch)
        if result.summary is not None:
            typer.echo(f"汇总表：{result.summary}")
        if result.completed:
            typer.echo(f"完成稿：{len(result.completed)} 个，位于 {out / 'completed'}")
        loop_lines(result, out)
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
