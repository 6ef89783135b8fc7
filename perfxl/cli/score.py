"""``perfxl score``: one workbook's review, figure by figure."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from perfxl.cli.common import (
    RulesOpt,
    fail,
    load_rules,
    system_errors,
)


def score(
    file: Path = typer.Argument(..., exists=False, help="一个自评表工作簿。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出。"),
    rules: Path | None = RulesOpt,
) -> None:
    """显示一个项目的复核结果：执行率、各指标得分、总分和等级。"""
    from perfxl.score.card import score_file

    with system_errors():
        if not file.exists():
            raise fail(f"文件不存在：{file}")
        card = score_file(file, load_rules(rules))
        if as_json:
            typer.echo(json.dumps(card.as_dict(), ensure_ascii=False, indent=2))
        else:
            card.print()
    raise typer.Exit(1 if card.has_errors else 0)
