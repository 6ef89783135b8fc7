"""What every command shares: Chinese usage errors, one-line failures with exit
code 2, the rules and jobs options, progress and the closing table.

Command modules import this and nothing of each other; ``cli/__init__.py``
registers them on the one app.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

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


HELP_OPTION_HELP = "显示本帮助并退出。"
USAGE_PREFIX = "用法："
# typer's own words in the help screen (panel titles, markers); set once when the
# app is built, as typer reads them from its module at render time
RICH_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令", "ERRORS_PANEL_TITLE": "错误", "ABORTED_TEXT": "已中断。",
    "REQUIRED_LONG_STRING": "[必填]", "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]", "DEPRECATED_STRING": "（已弃用）",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}  # fmt: skip


def chinese_help_words() -> None:
    """Put typer's built-in help words in Chinese (the help of --help itself is
    set by :class:`ChineseCommand` / :class:`ChineseGroup`)."""
    for name, text in RICH_WORDS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)


class _ChineseHelp:
    """The --help option and the usage line in Chinese, for commands and the group."""

    def get_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def format_usage(self, ctx, formatter) -> None:  # type: ignore[no-untyped-def]
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE_PREFIX)


class ChineseCommand(_ChineseHelp, TyperCommand):
    """A command whose help screen is Chinese throughout."""


class ChineseGroup(_ChineseHelp, TyperGroup):
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


STATE = {"debug": False}


def console_errors_replace() -> None:
    """A character the console cannot show becomes "?" instead of a crash.

    A Chinese Windows console (or output redirected to a file there) encodes
    as GBK, and unit and project names can hold characters outside it (𠀾,
    emoji, rare surname characters): without this, printing the closing table
    raised UnicodeEncodeError after all the work was done. Files perfxl writes
    are UTF-8 and unaffected; ``check --json -o FILE`` writes exact JSON.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass  # not a text stream (a test runner's, a closed pipe): leave it


def write_utf8(text: str) -> None:
    """Text for programs (JSON) on standard output: UTF-8 bytes when the output
    is a file or pipe (``> 问题.json`` gets valid UTF-8 whatever the console's
    code page), the console's own encoding on a terminal."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None or stream.isatty():
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def fail(message: str) -> typer.Exit:
    typer.echo(f"错误：{message}", err=True)
    return typer.Exit(2)


@contextmanager
def system_errors() -> Iterator[None]:
    """Turn expected failures into one Chinese line and exit code 2."""
    from perfxl.batch.run import InboxError
    from perfxl.loop.record import RecordError
    from perfxl.loop.roster import RosterError
    from perfxl.rules.schema import RulesError

    try:
        yield
    except typer.Exit:
        raise
    except (InboxError, RulesError, RosterError, RecordError) as exc:
        if STATE["debug"]:
            raise
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("已中断") from None
    except Exception as exc:  # noqa: BLE001 - the user gets one line; --debug shows the rest
        if STATE["debug"]:
            raise
        from perfxl.write.atomic import OutputLocked
        from perfxl.write.mail import MailError

        if isinstance(exc, (MailError, OutputLocked)):
            raise fail(str(exc)) from None
        if isinstance(exc, OSError):
            raise fail(f"文件操作失败：{exc.strerror or exc}（{exc.filename or ''}）") from None
        raise fail(f"内部错误：{type(exc).__name__}：{exc}（可加 --debug 查看详情）") from None


def load_rules(path: Path | None):
    """The rules of ``--rules``: a file, or the name of a shipped rule set."""
    from perfxl.rules.schema import Rules

    return Rules.load(path)


RulesOpt = typer.Option(
    None,
    "--rules",
    help="规则文件（TOML，覆盖默认规则中的任意键）或内置规则集名称（如 四川；perfxl rules --list 列出）。",
    dir_okay=False,
)


UnitOpt = typer.Option(
    None,
    "--unit",
    help="本单位名称（如“某某市财政局”），写入汇总表打印页标题和邮件落款；默认取环境变量 PERFXL_UNIT。",
)


def sender_unit(unit: str | None) -> str:
    """The producing unit: the --unit option, else PERFXL_UNIT, else ''."""
    return (unit if unit is not None else os.environ.get("PERFXL_UNIT", "")).strip()


JobsOpt = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数（默认：全部 CPU 核心）。")


def progress() -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
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


def closing_table(batch) -> None:
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
    console = Console(width=120)
    console.print(t)
    failed = failed_files(batch)
    if failed:
        console.print(f"读取失败的文件（{len(failed)} 个）：", markup=False)
        for name, why in failed:
            console.print(f"  {name}：{why}" if why else f"  {name}", markup=False)


def failed_files(batch) -> list[tuple[str, str]]:
    """(file, first error message) of every file that could not be read."""
    files = batch.files
    if files.empty:
        return []
    names = files.loc[files["status"] == "failed", "file"].tolist()
    probs = batch.problems
    first: dict[str, str] = {}
    if not probs.empty:
        for f, m in zip(probs["file"], probs["message"], strict=True):
            first.setdefault(f, m)
    return [(n, first.get(n, "")) for n in names]


def loop_lines(result, out: Path) -> None:
    """What the loop added to a run, one line each (cli/run.py, cli/watch.py)."""
    total = len(result.batch.sources)
    if result.read is not None and len(result.read) < total:
        typer.echo(
            f"本次读取 {len(result.read)} 个文件，其余 {total - len(result.read)} 个未变化，沿用上次结果"
        )
    replaced = result.batch.replaced
    if replaced is not None and not replaced.empty:
        typer.echo(f"修改稿：{len(replaced)} 份旧表单已被替代，不计入汇总（见“报送情况”）")
    status = result.loop.status
    if status is not None and result.loop.roster:
        counts = status["status"].value_counts()
        typer.echo("报送情况：" + "，".join(f"{k} {int(v)}" for k, v in counts.items()))
    if result.loop.returns:
        typer.echo(f"退回修改：{result.loop.units_returned} 个单位，位于 {out / '退回'}")
    if result.removed:
        typer.echo(f"已删除 {len(result.removed)} 个过时的输出文件（对应的输入已不在收件箱中）")


def problem_table(probs) -> None:
    from rich.console import Console
    from rich.table import Table

    from perfxl.checks.codes import severity_label

    console = Console(width=160)
    if probs.empty:
        console.print("未发现问题。")
        return
    t = Table(show_lines=False)
    for col in ("级别", "文件", "工作表", "单元格", "代码", "说明"):
        t.add_column(col, overflow="fold")
    for r in probs.itertuples(index=False):
        t.add_row(severity_label(r.severity), r.file, r.sheet, r.cell, r.code, r.message)
    console.print(t)


def send_summary(
    summary: Path,
    *,
    to: list[str],
    cc: list[str] | None = None,
    subject: str | None = None,
    settings=None,
    eml: Path | None = None,
    batch=None,
    unit: str | None = None,
    sender_name: str | None = None,
) -> None:
    """Build the message for a 汇总表 and send it (or write it to ``eml``).

    The subject names the year(s) and the number of projects unless one is
    given; the body is signed with the sender's name and unit (options, else
    PERFXL_SENDER_NAME / PERFXL_UNIT)."""
    from perfxl.rules.schema import DEFAULT
    from perfxl.write.mail import (
        MailError,
        Signature,
        SmtpSettings,
        build_message,
        check_addresses,
        default_subject,
        read_summary_frames,
        send,
        summary_body,
        write_eml,
    )

    check_addresses(to)
    check_addresses(cc or [], "抄送")
    settings = settings or SmtpSettings.from_env()
    projects, problems = read_summary_frames(summary)
    name = (sender_name or os.environ.get("PERFXL_SENDER_NAME", "")).strip()
    signature = Signature(name=name, unit=sender_unit(unit))
    low = DEFAULT.budget.low_execution
    body = summary_body(projects, problems, signature=signature, low_execution=low)
    subject = subject or default_subject(projects)
    sender = settings.from_address or ("perfxl@localhost" if eml else "")
    message = build_message(summary, sender=sender, to=to, cc=cc or [], subject=subject, body=body)
    if eml is not None:
        write_eml(message, eml)
        return
    if not settings.host:
        raise MailError("未设置邮件服务器：请用 --host 或环境变量 PERFXL_SMTP_HOST 指定")
    send(message, with_password(settings))


def with_password(settings):
    """The settings with a password: from PERFXL_SMTP_PASSWORD, else a prompt
    on a terminal (never a command-line argument: it would stay in history)."""
    from perfxl.write.mail import MailError, SmtpSettings

    if settings.user and not settings.password:
        if not sys.stdin.isatty():
            raise MailError("未设置邮箱密码：请设置环境变量 PERFXL_SMTP_PASSWORD")
        password = typer.prompt(f"邮箱 {settings.user} 的密码", hide_input=True)
        settings = SmtpSettings(**{**settings.__dict__, "password": password})
    return settings
