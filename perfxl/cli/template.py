"""``perfxl template``: the blank standard form."""

from __future__ import annotations

from pathlib import Path

import typer

from perfxl.cli.common import fail, system_errors


def template(
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="模板的保存路径（默认 项目支出绩效自评表.xlsx）；与 --roster 一起使用时为文件夹。",
    ),
    roster: Path | None = typer.Option(
        None, "--roster", help="名单（.xlsx）：为名单中的每个项目写一份预填的表单。", dir_okay=False
    ),
    year: int | None = typer.Option(
        None, "--year", min=1990, max=2100, help="预填的年度（默认取名单的“年度”列）。"
    ),
) -> None:
    """写出空白的标准自评表模板（2020 年全国格式）；--roster 时按名单逐个项目预填下发。"""
    from perfxl.forms.template import write_roster_templates, write_template

    with system_errors():
        if roster is None:
            path = out or Path("项目支出绩效自评表.xlsx")
            write_template(path)
            typer.echo(f"已写出模板：{path}")
            return
        from perfxl.loop.roster import read_roster

        rows = read_roster(roster)
        if year is None and any(r.year is None for r in rows):
            raise fail("名单中没有“年度”列（或有空白）：请用 --year 指定预填的年度")
        folder = out or Path("下发")
        written = write_roster_templates(rows, folder, year)
        typer.echo(f"已写出 {len(written)} 份预填表单，位于 {folder}")
