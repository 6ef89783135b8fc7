"""The command line: parse arguments, call the library, render the result.

One module per command (``cli/run.py``, ``cli/check.py`` …), registered here
once; command modules share :mod:`perfxl.cli.common` and never import each
other. Exit codes: 0 when no input has an error-level problem, 1 when some do,
2 for a usage or system error (one Chinese line, no traceback unless --debug).
"""

from __future__ import annotations

import sys

import typer

from perfxl import __version__
from perfxl.cli import (
    check,
    generate,
    mail,
    mail_returns,
    report,
    rules,
    run,
    score,
    serve,
    summarize,
    template,
    watch,
)
from perfxl.cli.common import (
    STATE,
    ChineseCommand,
    ChineseGroup,
    chinese_help_words,
    console_errors_replace,
)

chinese_help_words()
app = typer.Typer(
    cls=ChineseGroup,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="perfxl：项目支出绩效自评表的读取、复核评分与汇总。",
)


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


COMMANDS = {
    "run": run.run,
    "check": check.check,
    "score": score.score,
    "summarize": summarize.summarize,
    "template": template.template,
    "report": report.report,
    "mail": mail.mail,
    "mail-returns": mail_returns.mail_returns,
    "watch": watch.watch,
    "rules": rules.rules_cmd,
    "generate": generate.generate,
    "serve": serve.serve,
}
for _name, _function in COMMANDS.items():
    app.command(name=_name, cls=ChineseCommand, options_metavar="[选项]")(_function)


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

    console_errors_replace()
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
