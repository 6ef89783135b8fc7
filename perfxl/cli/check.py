"""``perfxl check``: problems only, as a table or JSON; nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from perfxl.cli.common import (
    JobsOpt,
    RulesOpt,
    closing_table,
    fail,
    load_rules,
    problem_table,
    system_errors,
    write_utf8,
)


def check(
    paths: list[Path] = typer.Argument(..., help="要检查的文件或文件夹。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出问题清单（供程序使用）。"),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="与 --json 一起使用：把 JSON 写入此文件（UTF-8），比重定向输出更可靠。",
        dir_okay=False,
    ),
    rules: Path | None = RulesOpt,
    jobs: int | None = JobsOpt,
) -> None:
    """只检查，不写文件：列出每个问题所在的文件、工作表和单元格。"""
    from perfxl.pipeline import check_paths
    from perfxl.write.atomic import atomic_write_bytes

    if out is not None and not as_json:
        raise fail("-o 只能与 --json 一起使用")

    with system_errors():
        batch = check_paths(paths, rules=load_rules(rules), jobs=jobs)
        probs = batch.problems.fillna("")
        if as_json:
            payload = {
                "valid": not batch.has_errors,
                "stats": batch.counts(),
                "problems": probs.to_dict(orient="records"),
            }
            text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
            if out is not None:
                atomic_write_bytes(out, text.encode("utf-8"))
                typer.echo(f"问题清单（JSON）：{out}", err=True)
            else:
                write_utf8(text)
        else:
            problem_table(probs)
            closing_table(batch)
    raise typer.Exit(1 if batch.has_errors else 0)
