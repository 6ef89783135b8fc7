"""``perfxl rules``: print the default rules file."""

from __future__ import annotations

import typer


def rules_cmd(
    labels: bool = typer.Option(
        False, "--labels", help="说明规则文件 [labels] 的各个键及内置的同义写法。"
    ),
) -> None:
    """打印默认规则文件（TOML），可复制后修改，用 --rules 指定。"""
    if labels:
        from perfxl.read.labels import describe_labels

        typer.echo(describe_labels())
        return
    from perfxl.rules.schema import default_text

    typer.echo(default_text(), nl=False)
