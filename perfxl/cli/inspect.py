"""``perfxl inspect FILE``: how the reader mapped a form, for a clerk (Chinese
text) or a program (``--json``). Nothing is scored or written."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from perfxl.cli.common import RulesOpt, load_rules, system_errors


def inspect(
    path: Path = typer.Argument(..., help="要查看的工作簿文件。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（供程序使用）。"),
    rules: Path | None = RulesOpt,
) -> None:
    """显示表单是怎样读取的：每个字段和栏目取自哪个单元格和表头、每个指标行的单元格、跳过的行及原因、未使用的栏。"""
    from perfxl.read.mapping import Mapping, render
    from perfxl.read.workbook import read_workbook

    with system_errors():
        if not path.is_file():
            what = "不是文件（一次查看一个工作簿）" if path.exists() else "找不到文件"
            typer.echo(f"错误：{what} {path}", err=True)
            raise typer.Exit(2)
        mappings: list[Mapping] = []
        result = read_workbook(path, rules=load_rules(rules), mappings=mappings)
    problems = [p.as_dict() for p in result.problems]
    if as_json:
        payload = {
            "file": result.path,
            "status": result.status,
            "forms": [m.as_dict() for m in mappings],
            "problems": problems,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(f"文件：{result.path}（{_STATUS.get(result.status, result.status)}）")
        for m in mappings:
            typer.echo("\n".join(render(m)))
        if problems:
            typer.echo("读取时发现的问题：")
            for p in problems:
                where = f"{p['sheet']}!{p['cell']}" if p["cell"] else p["sheet"] or "文件"
                typer.echo(f"  [{p['code']}] {where}：{p['message']}")
    raise typer.Exit(1 if any(p["severity"] == "error" for p in problems) else 0)


_STATUS = {"read": "已读取", "failed": "未能读取", "skipped": "已跳过"}
