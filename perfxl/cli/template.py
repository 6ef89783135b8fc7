"""``perfxl template``: the blank standard form."""

from __future__ import annotations

from pathlib import Path

import typer

from perfxl.cli.common import (
    system_errors,
)


def template(
    out: Path = typer.Option(
        Path("项目支出绩效自评表.xlsx"), "--out", "-o", help="模板的保存路径。"
    ),
) -> None:
    """写出空白的标准自评表模板（2020 年全国格式）。"""
    from perfxl.forms.template import write_template

    with system_errors():
        write_template(out)
        typer.echo(f"已写出模板：{out}")
