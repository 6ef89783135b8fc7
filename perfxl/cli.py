"""The command line: parse arguments, call the library, render the result.

Exit codes: 0 when no input has an error-level problem, 1 when some do, 2 for
a usage or system error (one Chinese line, no traceback unless --debug).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from typer.core import TyperGroup

from . import __version__

USAGE_WORDS = (
    ("No such option", "没有这个选项"),
    ("No such command", "没有这个命令"),
    ("Missing argument", "缺少参数"),
    ("Missing option", "缺少选项"),
    ("Invalid value", "参数值无效"),
    ("Got unexpected extra argument", "多余的参数"),
    ("requires an argument", "需要一个值"),
    ("is not in the range", "超出允许范围"),
    ("is not a valid integer", "不是有效的整数"),
    ("Possible options", "可用选项"),
    ("Input should be greater than or equal to", "应不小于"),
    ("Input should be less than or equal to", "应不大于"),
    (" for ", " "),
)


def usage_zh(message: str) -> str:
    """click's English usage message with its known phrases in Chinese."""
    for en, zh in USAGE_WORDS:
        message = message.replace(en, zh)
    return " ".join(message.split())


class ChineseGroup(TyperGroup):
    """Usage errors as one Chinese line and exit code 2, not click's English box."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):  # type: ignore[override]
        from typer._click import exceptions as click_exc

        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except click_exc.UsageError as exc:
            message = usage_zh(exc.format_message())
            if message:  # empty when no arguments were given and the help was shown
                typer.echo(f"错误：{message}（运行 perfxl --help 查看用法）", err=True)
            sys.exit(2)
        except click_exc.ClickException as exc:
            typer.echo(f"错误：{usage_zh(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:  # Ctrl-C; typer.Abort in every typer version
            typer.echo("已中断", err=True)
            sys.exit(1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    cls=ChineseGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="perfxl：项目支出绩效自评表的读取、复核评分与汇总。",
)
STATE = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"perfxl {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: bool = typer.Option(
        False, "--debug", help="出错时显示完整的错误堆栈（供开发人员排查）。"
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="显示版本号。"
    ),
) -> None:
    """perfxl：项目支出绩效自评表的读取、复核评分与汇总。"""
    STATE["debug"] = debug


def fail(message: str) -> typer.Exit:
    typer.echo(f"错误：{message}", err=True)
    return typer.Exit(2)


@contextmanager
def system_errors() -> Iterator[None]:
    """Turn expected failures into one Chinese line and exit code 2."""
    from .batch import InboxError
    from .rules import RulesError

    try:
        yield
    except typer.Exit:
        raise
    except (InboxError, RulesError) as exc:
        if STATE["debug"]:
            raise
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("已中断") from None
    except Exception as exc:  # noqa: BLE001 - the user gets one line; --debug shows the rest
        if STATE["debug"]:
            raise
        from .mail import MailError

        if isinstance(exc, MailError):
            raise fail(str(exc)) from None
        if isinstance(exc, OSError):
            raise fail(f"文件操作失败：{exc.strerror or exc}（{exc.filename or ''}）") from None
        raise fail(f"内部错误：{type(exc).__name__}：{exc}（可加 --debug 查看详情）") from None


def load_rules(path: Path | None):
    from .rules import Rules

    return Rules.load(path)


RulesOpt = typer.Option(
    None, "--rules", help="规则文件（TOML），覆盖默认规则中的任意键。", dir_okay=False
)
JobsOpt = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数（默认：全部 CPU 核心）。")


def _progress() -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """A rich progress bar on a terminal, plain lines otherwise."""
    if sys.stderr.isatty():
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        )
        tasks: dict[str, int] = {}
        bar.start()

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        return update, bar.stop
    last: dict[str, int] = {}

    def plain(stage: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if done == total or done - last.get(stage, 0) >= step:
            last[stage] = done
            typer.echo(f"{stage}：{done}/{total}", err=True)

    return plain, lambda: None


def _closing_table(batch) -> None:
    from rich.console import Console
    from rich.table import Table

    c = batch.counts()
    t = Table(title="处理结果", show_header=True)
    for col in ("文件", "已读取", "失败", "跳过", "表单", "错误", "警告", "优", "良", "中", "差"):
        t.add_column(col, justify="right")
    grades = batch.projects["grade"].value_counts() if not batch.projects.empty else {}
    t.add_row(
        *(str(c[k]) for k in ("files", "read", "failed", "skipped", "forms", "errors", "warnings")),
        *(str(int(grades.get(g, 0))) for g in ("优", "良", "中", "差")),
    )
    Console(width=120).print(t)


@app.command()
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
) -> None:
    """一条命令：复核收件箱里的全部自评表，写出完成稿和汇总表。"""
    from .pipeline import run_inbox

    with system_errors():
        r = load_rules(rules)
        if not inbox.exists():
            raise fail(f"收件箱不存在：{inbox}")
        update, stop = _progress()
        try:
            result = run_inbox(
                inbox,
                out,
                rules=r,
                jobs=jobs,
                completed=not no_completed,
                reports=reports,
                progress=update,
            )
        finally:
            stop()
        _closing_table(result.batch)
        typer.echo(f"汇总表：{result.summary}")
        if result.completed:
            typer.echo(f"完成稿：{len(result.completed)} 个，位于 {out / 'completed'}")
        if result.reports:
            typer.echo(f"自评报告：{len(result.reports)} 份，位于 {out / 'reports'}")
        if mail_to:
            from .mail_cli import send_summary

            send_summary(result.summary, to=mail_to, batch=result.batch)
            typer.echo(f"汇总表已发送至：{'、'.join(mail_to)}")
    raise typer.Exit(1 if result.batch.has_errors else 0)


from . import cli_more, mail_cli  # noqa: E402,F401  (register the other commands)


def console() -> None:
    """The ``perfxl`` console script: the app, then a quick exit.

    Interpreter shutdown frees every object one by one, ≈ 0.2 s after a
    1,000-form run, although every output is already written, closed and
    renamed into place by then. So once the command has finished (normally or
    with its exit code), the streams are flushed and the process leaves with
    ``os._exit``. An unexpected exception still takes the normal way out,
    traceback and all. Tests call ``app`` and are not affected.
    """
    import os

    try:
        app()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message"): print it as Python would
            sys.stderr.write(f"{exc.code}\n")
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):
        code = code or 1
    os._exit(code)
