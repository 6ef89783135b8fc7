"""``perfxl watch``: keep the outputs of a shared inbox folder up to date."""

from __future__ import annotations

from pathlib import Path

import typer

from perfxl.cli.common import (
    JobsOpt,
    RulesOpt,
    closing_table,
    fail,
    load_rules,
    loop_lines,
    system_errors,
)


def watch(
    inbox: Path = typer.Argument(..., help="要监视的收件箱文件夹。"),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件夹（不能位于收件箱内）。"),
    rules: Path | None = RulesOpt,
    jobs: int | None = JobsOpt,
    returns: bool = typer.Option(True, "--returns/--no-returns", help="同时更新退回修改清单。"),
    roster: Path | None = typer.Option(
        None, "--roster", help="名单（.xlsx），汇总表增加“报送情况”。", dir_okay=False
    ),
    year: int | None = typer.Option(None, "--year", min=1990, max=2100, help="本次汇总的年度。"),
    interval: float = typer.Option(2.0, "--interval", min=0.1, help="检查收件箱的间隔（秒）。"),
    settle: float = typer.Option(
        5.0, "--settle", min=0.0, help="收件箱静止多少秒后才开始复核（等待文件复制完成）。"
    ),
) -> None:
    """监视收件箱：有新文件或文件变化时自动复核，保持汇总表和退回清单最新（Ctrl+C 停止）。"""
    from perfxl.batch.run import InboxError
    from perfxl.inbox.watch import watch as watch_inbox
    from perfxl.loop.steps import LoopOptions
    from perfxl.pipeline import check_outdir, run_inbox

    with system_errors():
        r = load_rules(rules)
        if not inbox.is_dir():
            raise fail(f"收件箱不是文件夹：{inbox}")
        check_outdir(inbox, out)
        options = LoopOptions(returns=returns, roster=roster, year=year)

        def once() -> None:
            try:
                result = run_inbox(inbox, out, rules=r, jobs=jobs, loop=options)
            except InboxError as exc:  # e.g. nothing in the inbox yet: keep watching
                typer.echo(f"{exc}（继续监视，Ctrl+C 停止）")
                return
            closing_table(result.batch)
            loop_lines(result, out)
            typer.echo(f"汇总表已更新：{result.summary}（继续监视，Ctrl+C 停止）")

        typer.echo(f"开始监视 {inbox}，输出到 {out}")
        try:
            watch_inbox(inbox, once, exclude=out, interval=interval, settle=settle)
        except KeyboardInterrupt:
            typer.echo("已停止监视")
