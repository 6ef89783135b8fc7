"""Findings about the self-evaluation as a whole, on forms built for them:
missing-self-score (the unit did not score itself) and copied-form (two
units, or two projects, with the same indicator table)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from perfxl.batch.run import run_batch
from perfxl.forms.generate import write_form
from perfxl.testing.samples import kashgar_2018


def problems(paths: list[Path], code: str) -> list[tuple[str, str, str]]:
    batch = run_batch([(p, p.name) for p in paths], jobs=1)
    hits = batch.problems[batch.problems["code"] == code]
    return [(r.file, r.cell, r.message) for r in hits.itertuples()]


def test_a_form_without_self_scores_is_a_finding_naming_the_cells(tmp_path: Path):
    spec = kashgar_2018()
    rows = [replace(i, self_score=None) for i in spec.indicators]
    bare = replace(spec, indicators=rows, budget_self_score=None, total_self=None)
    path = write_form(tmp_path / "未打分.xlsx", bare)
    (hit,) = problems([path], "missing-self-score")
    file, cell, message = hit
    assert (file, cell) == ("未打分.xlsx", "I6")  # the budget row's 得分 first
    cells = message.split("：", 1)[1].split(" 未填写")[0].split("、")
    assert cells[0] == "I6" and cells[-1] == "H27"  # …and the 总分 last
    assert "H13" in cells and len(cells) == 1 + 12 + 1  # every applicable indicator


def test_only_the_total_left_empty_is_named_alone(tmp_path: Path):
    path = write_form(tmp_path / "无总分.xlsx", replace(kashgar_2018(), total_self=None))
    (hit,) = problems([path], "missing-self-score")
    assert hit[1] == "H27" and "H27 未填写" in hit[2]


def test_a_fully_scored_form_has_no_finding(tmp_path: Path):
    path = write_form(tmp_path / "完整.xlsx", kashgar_2018())
    assert problems([path], "missing-self-score") == []


def test_identical_indicator_tables_of_different_units_are_named(tmp_path: Path):
    a = write_form(tmp_path / "甲.xlsx", kashgar_2018())
    b = write_form(
        tmp_path / "乙.xlsx", replace(kashgar_2018(), implementer="喀什市市场监督管理局")
    )
    hits = problems([a, b], "copied-form")
    assert sorted(h[0] for h in hits) == ["乙.xlsx", "甲.xlsx"]
    for file, cell, message in hits:
        assert cell == "B3"
        other = "乙.xlsx" if file == "甲.xlsx" else "甲.xlsx"
        assert message.startswith(f"{file} 的指标表") and other in message


def test_another_project_of_the_same_unit_copied_too(tmp_path: Path):
    a = write_form(tmp_path / "a.xlsx", kashgar_2018())
    b = write_form(tmp_path / "b.xlsx", replace(kashgar_2018(), project_name="食品安全抽检经费"))
    assert len(problems([a, b], "copied-form")) == 2


def test_same_project_twice_is_a_duplicate_not_a_copy(tmp_path: Path):
    a = write_form(tmp_path / "a.xlsx", kashgar_2018())
    b = write_form(tmp_path / "b.xlsx", kashgar_2018())
    assert problems([a, b], "copied-form") == []
    assert len(problems([a, b], "duplicate-project")) == 2


def test_one_different_actual_is_not_a_copy(tmp_path: Path):
    spec = kashgar_2018()
    rows = [
        replace(i, actual="16家") if i.name == "监督检查企业数量" else i for i in spec.indicators
    ]
    a = write_form(tmp_path / "a.xlsx", spec)
    b = write_form(tmp_path / "b.xlsx", replace(spec, indicators=rows, implementer="另一单位"))
    assert problems([a, b], "copied-form") == []


def test_a_large_copy_group_names_five_files_and_counts_the_rest(tmp_path: Path):
    paths = [
        write_form(tmp_path / f"{k}.xlsx", replace(kashgar_2018(), implementer=f"单位{k}"))
        for k in range(7)
    ]
    hits = problems(paths, "copied-form")
    assert len(hits) == 7
    assert all(m.count(".xlsx") == 6 and "等 6 个文件" in m for _, _, m in hits)
