"""Real published forms (tests/real/forms/, rebuilt cell by cell from
government pages) read right with no configuration: every indicator row
(names, targets, actuals, weights), every review score as the spec computes
it (scored by hand in each form's EXPECTED), and exactly the problems the
form has — no false ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from real.build import build, form_names, load

from perfxl.pipeline import check_paths
from perfxl.read.workbook import read_workbook
from perfxl.score.compute import score_form

NAMES = form_names()


def test_corpus_spans_provinces_and_years():
    forms = [load(n) for n in NAMES]
    assert all(f.SOURCE.startswith("http") and f.NOTES for f in forms)
    assert len(forms) >= 15  # the floor: 15 forms, 6 provinces, several years
    assert len({f.PROVINCE for f in forms}) >= 6
    assert len({f.YEAR for f in forms}) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_real_form_reads_and_scores_as_by_hand(tmp_path: Path, name: str):
    form = load(name)
    exp = form.EXPECTED
    path = build(form, tmp_path)
    result = read_workbook(path)
    assert result.status == "read" and len(result.forms) == 1, result.problems
    f = result.forms[0]
    s = score_form(f)
    got = (f.project_name.text, f.department.text, f.implementer.text, f.year)
    assert got == (exp["project"], exp["department"], exp["unit"], exp["year"])

    b = exp["budget"]
    assert s.budget == pytest.approx(b["annual"])
    assert s.executed == pytest.approx(b["executed"])
    assert s.rate == pytest.approx(b["rate"])
    assert (s.budget_weight, s.budget_self, s.budget_score) == (
        b["weight"],
        b["self_score"],
        b["review_score"],
    )

    rows = [
        {
            "level1": i.indicator.level1,
            "level2": i.indicator.level2,
            "name": i.indicator.name,
            "target": i.indicator.target.value,
            "actual": i.indicator.actual.value,
            "weight": i.weight if not i.indicator.weight.empty else None,
            "self_score": i.self_score,
            "review_score": i.review,
            "row": i.indicator.row,
        }
        for i in s.indicators
    ]
    keys = ("level1", "level2", "name", "target", "actual", "weight", "self_score")
    want = [{k: e[k] for k in (*keys, "review_score", "row")} for e in exp["indicators"]]
    assert rows == want
    for e, i in zip(exp["indicators"], s.indicators, strict=True):
        for extra in ("nature", "unit"):  # the split variant's 指标性质 and 度量单位
            if extra in e:
                assert getattr(i.indicator, extra).value == e[extra]
    read_rows = {i.indicator.row for i in s.indicators}
    assert read_rows.isdisjoint(exp["not_indicators"])

    assert (s.self_total, s.total, s.grade) == (
        exp["self_total"],
        exp["review_total"],
        exp["grade"],
    )

    batch = check_paths([path], jobs=1)
    problems = sorted(f"{p.code}@{p.cell}" for p in batch.problems.itertuples())
    assert problems == sorted(exp["problems"])
    assert all(batch.problems["cell"] != ""), "every problem points at a cell"


# where the overall goal's two texts stand (预期目标, 实际完成情况), per form: labels
# beside their text, labels as a header over it, a block label merged down its rows
GOALS = {
    "anhui_2021_jindu": ("B11", "E11"),
    "anhui_2022_cunji": ("B12", "E12"),
    "anhui_2022_weituo": ("B12", "E12"),
    "anhui_2023_hexi": ("B10", "F10"),
    "anhui_2023_yanglou": ("B8", "F8"),
    "hebei_2019_nuantong": ("B12", "E12"),
    "hubei_2019_disanfang": ("B11", "E11"),
    "hubei_2019_zhengwu": ("B11", "E11"),
    "hubei_2022_gongxiang": ("", ""),
    "hunan_2020_chubeiliang": ("B9", "E9"),
    "sichuan_2021_shipin": ("B8", "D8"),
    "sichuan_2022_shuibiaochi": ("B9", "F9"),
    "sichuan_2023_anke": ("C12", "G12"),
    "sichuan_2023_gongzi": ("C6", "G6"),
    "yunnan_2020_weipian": ("B10", "F10"),
    "yunnan_2022_yingyang": ("B11", "F11"),
    "yunnan_2023_shourongsuo": ("B9", "E9"),
}


def test_goal_texts_are_read_from_their_cells(tmp_path: Path):
    assert set(GOALS) == set(NAMES)
    for name, cells in GOALS.items():
        f = read_workbook(build(load(name), tmp_path)).forms[0]
        assert (f.goal_expected.cell, f.goal_actual.cell) == cells, name
        assert all(not cv.empty for cv in (f.goal_expected, f.goal_actual) if cv.cell), name
