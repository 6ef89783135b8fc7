"""``perfxl report``: a narrative report draft (.docx) per form of a workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from perfxl.cli.common import (
    RulesOpt,
    fail,
    load_rules,
    system_errors,
)


def report(
    file: Path = typer.Argument(..., help="一个自评表工作簿。"),
    out: Path = typer.Option(
        None, "--out", "-o", help="报告保存路径（.docx）；默认按项目名称命名。"
    ),
    rules: Path | None = RulesOpt,
) -> None:
    """根据自评表生成自评报告初稿（.docx），无法从表中得知的内容留出【待填写】。"""
    from perfxl.batch.run import review_file
    from perfxl.checks.runner import to_problems
    from perfxl.write.report import report_filename, write_report

    with system_errors():
        if not file.exists():
            raise fail(f"文件不存在：{file}")
        r = load_rules(rules)
        from perfxl.pipeline import check_paths

        batch = check_paths([file], rules=r, jobs=1)
        result, reviews = review_file(file, file.name, r)
        if not reviews:
            msg = result.problems[0].message if result.problems else "未找到自评表"
            raise fail(f"{file.name}：{msg}")
        problems = to_problems(batch.problems)
        written = []
        for k, (form, sc) in enumerate(reviews):
            if out is None:
                path = Path(report_filename(form))
            else:  # -o names the first form's report; the others follow it: 报告-2.docx …
                path = out if k == 0 else out.with_name(f"{out.stem}-{k + 1}{out.suffix}")
            mine = [p for p in problems if p.sheet in ("", form.sheet)]
            write_report(path, form, sc, mine, r)
            written.append(path)
        for w in written:
            typer.echo(f"已写出报告：{w}")
