"""``perfxl rules``: print the default rules file, a named rule set, or list the sets."""

from __future__ import annotations

import typer

from perfxl.cli.common import fail


def rules_cmd(
    name: str = typer.Argument(
        None, help="规则集名称（如 四川）：打印该规则集；不填打印默认规则。"
    ),
    list_sets: bool = typer.Option(False, "--list", help="列出内置规则集，每个一行。"),
) -> None:
    """打印默认规则文件（TOML），可复制后修改，用 --rules 指定；--list 列出内置规则集。"""
    from perfxl.rules.files import default_text, find_set, named_sets

    if list_sets:
        for s in named_sets():
            typer.echo(f"{s.name}\t{s.description}")
        return
    if name is None:
        typer.echo(default_text(), nl=False)
        return
    found = find_set(name)
    if found is None:
        names = "、".join(s.name for s in named_sets())
        raise fail(f"没有名为「{name}」的规则集（内置：{names}）")
    typer.echo(found.text, nl=False)
