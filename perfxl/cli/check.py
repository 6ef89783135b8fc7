"""``perfxl check``: problems only, as a table or JSON; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from perfxl.cli.common import (
    JobsOpt,
    RulesOpt,
    closing_table,
    load_rules,
    problem_table,
    system_errors,
)


def check(
    paths: list[Path] = typer.Argument(..., help="要检查的文件或文件夹。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出问题清单（供程序使用）。"),
    rules: Path | None = RulesOpt,
    jobs: int | None = JobsOpt,
) -> None:
    """只检查，不写文件：列出每个问题所在的文件、工作表和单元格。"""
    from perfxl.pipeline import check_paths

    with system_errors():
        batch = check_paths(paths, rules=load_rules(rules), jobs=jobs)
        probs = batch.problems.fillna("")
        if as_json:
            payload = {
                "valid": not batch.has_errors,
                "stats": batch.counts(),
                "problems": probs.to_dict(orient="records"),
            }
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            problem_table(probs)
            closing_table(batch)
    raise typer.Exit(1 if batch.has_errors else 0)
