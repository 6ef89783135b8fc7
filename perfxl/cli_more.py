"""The other commands: check, score, summarize, template, rules, report, mail, generate.

Each parses its arguments, calls one library function and renders the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .cli import JobsOpt, RulesOpt, _closing_table, _progress, app, fail, load_rules, system_errors


@app.command()
def check(
    paths: list[Path] = typer.Argument(..., help="要检查的文件或文件夹。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出问题清单（供程序使用）。"),
    rules: Path | None = RulesOpt,
    jobs: int | None = JobsOpt,
) -> None:
    """只检查，不写文件：列出每个问题所在的文件、工作表和单元格。"""
    from .pipeline import check_paths

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
            _problem_table(probs)
            _closing_table(batch)
    raise typer.Exit(1 if batch.has_errors else 0)


def _problem_table(probs) -> None:
    from rich.console import Console
    from rich.table import Table

    from .model import SEVERITY_ZH

    console = Console(width=160)
    if probs.empty:
        console.print("未发现问题。")
        return
    t = Table(show_lines=False)
    for col in ("级别", "文件", "工作表", "单元格", "代码", "说明"):
        t.add_column(col, overflow="fold")
    for r in probs.itertuples(index=False):
        t.add_row(
            SEVERITY_ZH.get(r.severity, r.severity), r.file, r.sheet, r.cell, r.code, r.message
        )
    console.print(t)


@app.command()
def score(
    file: Path = typer.Argument(..., exists=False, help="一个自评表工作簿。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出。"),
    rules: Path | None = RulesOpt,
) -> None:
    """显示一个项目的复核结果：执行率、各指标得分、总分和等级。"""
    from .scorecard import score_file

    with system_errors():
        if not file.exists():
            raise fail(f"文件不存在：{file}")
        card = score_file(file, load_rules(rules))
        if as_json:
            typer.echo(json.dumps(card.as_dict(), ensure_ascii=False, indent=2))
        else:
            card.print()
    raise typer.Exit(1 if card.has_errors else 0)


@app.command()
def summarize(
    paths: list[Path] = typer.Argument(..., help="自评表文件或文件夹。"),
    out: Path = typer.Option(Path("汇总表.xlsx"), "--out", "-o", help="汇总表的保存路径。"),
    rules: Path | None = RulesOpt,
    jobs: int | None = JobsOpt,
) -> None:
    """只生成汇总表（不写完成稿）。"""
    from .pipeline import check_paths, write_summary_for

    with system_errors():
        r = load_rules(rules)
        update, stop = _progress()
        try:
            batch = check_paths(
                paths, rules=r, jobs=jobs, progress=lambda d, t: update("读取与复核", d, t)
            )
        finally:
            stop()
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
        write_summary_for(batch, out, r)
        _closing_table(batch)
        typer.echo(f"汇总表：{out}")
    raise typer.Exit(1 if batch.has_errors else 0)


@app.command()
def template(
    out: Path = typer.Option(
        Path("项目支出绩效自评表.xlsx"), "--out", "-o", help="模板的保存路径。"
    ),
) -> None:
    """写出空白的标准自评表模板（2020 年全国格式）。"""
    from .template import write_template

    with system_errors():
        write_template(out)
        typer.echo(f"已写出模板：{out}")


@app.command(name="rules")
def rules_cmd() -> None:
    """打印默认规则文件（TOML），可复制后修改，用 --rules 指定。"""
    from .rules import default_text

    typer.echo(default_text(), nl=False)


@app.command()
def report(
    file: Path = typer.Argument(..., help="一个自评表工作簿。"),
    out: Path = typer.Option(
        None, "--out", "-o", help="报告保存路径（.docx）；默认按项目名称命名。"
    ),
    rules: Path | None = RulesOpt,
) -> None:
    """根据自评表生成自评报告初稿（.docx），无法从表中得知的内容留出【待填写】。"""
    from .batch import review_file
    from .report import report_filename, write_report
    from .validate import to_problems

    with system_errors():
        if not file.exists():
            raise fail(f"文件不存在：{file}")
        r = load_rules(rules)
        from .pipeline import check_paths

        batch = check_paths([file], rules=r, jobs=1)
        result, reviews = review_file(file, file.name, r)
        if not reviews:
            msg = result.problems[0].message if result.problems else "未找到自评表"
            raise fail(f"{file.name}：{msg}")
        problems = to_problems(batch.problems)
        written = []
        for k, (form, sc) in enumerate(reviews):
            path = (
                out
                if (out and len(reviews) == 1)
                else (out.parent if out else Path("."))
                / (report_filename(form) if k == 0 or not out else f"{out.stem}-{k + 1}.docx")
            )
            write_report(path, form, sc, [p for p in problems if p.sheet in ("", form.sheet)])
            written.append(path)
        for w in written:
            typer.echo(f"已写出报告：{w}")


@app.command()
def generate(
    n: int = typer.Argument(..., min=1, help="生成的表单数量。"),
    out: Path = typer.Option(..., "--out", "-o", help="输出文件夹。"),
    seed: int = typer.Option(0, "--seed", help="随机种子（相同种子生成相同文件）。"),
) -> None:
    """生成 N 份各种版式的模拟自评表（用于测试和性能基准）。"""
    from .generate import generate_corpus

    with system_errors():
        paths = generate_corpus(out, n, seed=seed)
        typer.echo(f"已生成 {len(paths)} 份表单：{out}")
