"""``perfxl rules``: print the default rules file."""

from __future__ import annotations

import typer


def rules_cmd() -> None:
    """打印默认规则文件（TOML），可复制后修改，用 --rules 指定。"""
    from perfxl.rules.schema import default_text

    typer.echo(default_text(), nl=False)
