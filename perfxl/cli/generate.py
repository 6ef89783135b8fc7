"""``perfxl generate``: simulated filled forms for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import typer

from perfxl.cli.common import (
    system_errors,
)


def generate(
    n: int = typer.Argument(..., min=1, help="生成的表单数量。"),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件夹。"),
    seed: int = typer.Option(0, "--seed", help="随机种子（相同种子生成相同文件）。"),
) -> None:
    """生成 N 份各种版式的模拟自评表（用于测试和性能基准）。"""
    from perfxl.testing.corpus import generate_corpus

    with system_errors():
        paths = generate_corpus(out, n, seed=seed)
        typer.echo(f"已生成 {len(paths)} 份表单：{out}")
