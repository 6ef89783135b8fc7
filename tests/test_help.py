"""Every help text in Chinese: each registered command, each of its options and
arguments, and typer's own words (the --help option, the usage line, panel titles)."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from perfxl.cli import COMMANDS, app

runner = CliRunner()
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = ("Show this message", "Usage:", "Options", "Arguments", "Commands",
                 "[required]", "[default:")  # fmt: skip


def _group():
    return typer.main.get_command(app)


def test_registered_commands_are_the_app_commands() -> None:
    assert sorted(_group().commands) == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_and_argument_has_chinese_help(name: str) -> None:
    group = _group()
    command = group.commands[name]
    ctx = typer.main.get_command(app).make_context(
        "perfxl", [name, "--help"], resilient_parsing=True
    )
    assert command.help and CJK.search(command.help), name
    params = command.get_params(ctx)
    assert any(p.name == "help" for p in params)
    for param in params:
        text = getattr(param, "help", None) or ""
        assert CJK.search(text), f"{name} {param.name}: {text!r}"


def test_group_options_have_chinese_help() -> None:
    group = _group()
    ctx = group.make_context("perfxl", ["--help"], resilient_parsing=True)
    for param in group.get_params(ctx):
        assert CJK.search(param.help or ""), param.name


@pytest.mark.parametrize("args", [["--help"], *([n, "--help"] for n in sorted(COMMANDS))])
def test_rendered_help_has_no_english_boilerplate(args: list[str]) -> None:
    r = runner.invoke(app, args, prog_name="perfxl", terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "用法：perfxl" in r.output and "显示本帮助并退出。" in r.output
    found = [w for w in ENGLISH_WORDS if w in r.output]
    assert found == [], found
