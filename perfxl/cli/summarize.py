"""``perfxl summarize``: only the 汇总表."""

from __future__ import annotations

from pathlib import Path

import typer

from perfxl.cli.common import (
    JobsOpt,
    RulesOpt,
    UnitOpt,
    closing_table,
    load_rules,
    progress,
    sender_unit,
    system_errors,
)


def summarize(
    paths: list[Path] = typer.Argument(..., help="自评表文件或文件夹。"),
    out: Path = typer.Option(Path("汇总表.xlsx"), "--out", "-o", help="汇总表的保存路径。"),
    rules: Path | None = RulesOpt,
    jobs: int | None = JobsOpt,
    unit: str | None = UnitOpt,
) -> None:
    """只生成汇总表（不写完成稿）。"""
    from perfxl.pipeline import check_paths, write_summary_for

    with system_errors():
        r = load_rules(rules)
        update, stop = progress()
        try:
            batch = check_paths(
                paths, rules=r, jobs=jobs, progress=lambda d, t: update("读取与复核", d, t)
            )
        finally:
            stop()
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
        write_summary_for(batch, out, r, sender_unit(unit))
        closing_table(batch)
        typer.echo(f"汇总表：{out}")
    raise typer.Exit(1 if batch.has_errors else 0)
