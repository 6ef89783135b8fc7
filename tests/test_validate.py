"""The checks (codes in perfxl/checks/codes.py): the worked examples give exactly the listed
problems at the right cells; every other check fires on a form built to
trigger it (and only there)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import KASHGAR_2018, KASHGAR_2019

from perfxl.batch.run import run_batch
from perfxl.forms.generate import IndicatorSpec, Percent, write_form
from perfxl.rules.schema import Rules
from perfxl.testing.samples import PROTECT, kashgar_2018


def flat(paths, rules: Rules | None = None) -> list[tuple[str, str, str, str]]:
    """(severity, code, cell, field) of every problem, in report order."""
    batch = run_batch([(p, p.name) for p in paths], jobs=1, rules=rules or Rules.load())
    return [(r.severity, r.code, r.cell, r.field) for r in batch.problems.itertuples()]


def codes(path: Path, rules: Rules | None = None) -> list[tuple[str, str]]:
    return [(code, cell) for _, code, cell, _ in flat([path], rules)]


def test_worked_example_2018_has_only_empty_category_infos():
    assert flat([KASHGAR_2018]) == [
        ("info", "empty-category", "C21", "经济效益指标"),
        ("info", "empty-category", "C24", "生态效益指标"),
    ]


def test_worked_example_2019_exact_problems():
    assert flat([KASHGAR_2019]) == [
        ("warning", "low-execution", "H6", "执行率"),
        ("warning", "self-score-differs", "I6", "预算执行得分"),
        ("warning", "self-score-differs", "H13", "监督检查企业数量"),
        ("warning", "missing-deviation-reason", "I13", "监督检查企业数量"),
        ("warning", "self-score-differs", "H14", "监督检查次数"),
        ("warning", "missing-deviation-reason", "I14", "监督检查次数"),
        ("warning", "self-score-differs", "H19", "完成监督检查任务时限"),
        ("warning", "missing-deviation-reason", "I19", "完成监督检查任务时限"),
        ("warning", "qualitative-band", "H22", PROTECT),
        ("warning", "self-score-differs", "H22", PROTECT),
        ("warning", "missing-deviation-reason", "I22", PROTECT),
        ("warning", "self-score-differs", "H23", "重大事故发生次数"),
        ("warning", "missing-deviation-reason", "I23", "重大事故发生次数"),
        ("warning", "missing-deviation-reason", "I26", "服务对象满意度"),
        ("warning", "total-differs", "H27", "总分"),
        ("info", "empty-category", "C21", "经济效益指标"),
        ("info", "empty-category", "C24", "生态效益指标"),
    ]


def test_messages_are_chinese_and_name_the_numbers():
    batch = run_batch([(KASHGAR_2019, "k.xlsx")], jobs=1)
    msgs = dict(
        zip(batch.problems["code"] + batch.problems["cell"], batch.problems["message"], strict=True)
    )
    assert msgs["self-score-differsH13"] == "「监督检查企业数量」自评得分 6，复核得分 4.8"
    assert msgs["total-differsH27"] == "自评得分偏高：自评总分 100，复核总分 82.08"
    assert msgs["low-executionH6"] == "预算执行率 86% 低于 90%"


# -- one form per check, built from the worked example -------------------------
def base():
    return kashgar_2018()


def with_indicator(spec, name: str, **changes):
    rows = [replace(i, **changes) if i.name == name else i for i in spec.indicators]
    return replace(spec, indicators=rows)


def problems_of(tmp_path: Path, spec, name="f.xlsx", **options) -> list[tuple[str, str]]:
    path = write_form(tmp_path / name, spec, **options)
    return [c for c in codes(path) if c[0] != "empty-category"]


def test_missing_identity_fields(tmp_path: Path):
    got = problems_of(tmp_path, replace(base(), project_name="", implementer=""))
    assert ("missing-field", "B3") in got and ("missing-field", "F4") in got


def test_missing_actual_and_target_and_weight(tmp_path: Path):
    spec = with_indicator(base(), "监督检查次数", actual=None)
    spec = with_indicator(spec, "监督检查覆盖率", target=None)
    got = problems_of(tmp_path, spec)
    assert ("missing-actual", "F14") in got
    assert ("missing-field", "E16") in got


def test_not_a_number_amount_and_actual(tmp_path: Path):
    spec = replace(base(), funds={**base().funds, "total": (5, 5, "约五万")})
    spec = with_indicator(spec, "监督检查次数", actual="约五万")
    got = problems_of(tmp_path, spec)
    assert ("not-a-number", "F6") in got and ("not-a-number", "F14") in got


def test_unparsable_target_and_unit_mismatch(tmp_path: Path):
    spec = with_indicator(base(), "监督检查次数", target="≥")
    spec = with_indicator(spec, "监督检查企业数量", actual="15次")
    got = problems_of(tmp_path, spec)
    assert ("unparsable-target", "E14") in got
    assert ("unit-mismatch", "F13") in got


def test_weights_not_100_and_level1_split(tmp_path: Path):
    spec = with_indicator(base(), "服务对象满意度", weight=20, self_score=20)
    got = problems_of(tmp_path, spec)
    assert ("weights-not-100", "G27") in got
    assert ("level1-weights", "G27") in got  # 满意度 20 instead of 10


def test_level1_split_differs_but_sums_to_100_is_only_a_warning(tmp_path: Path):
    spec = with_indicator(base(), "服务对象满意度", weight=15, self_score=15)
    spec = with_indicator(spec, "重大事故发生次数", weight=5, self_score=5)
    got = problems_of(tmp_path, spec)
    assert ("level1-weights", "G27") in got and not any(c == "weights-not-100" for c, _ in got)


def test_score_above_weight_and_negative(tmp_path: Path):
    spec = with_indicator(base(), "监督检查次数", self_score=8)
    spec = with_indicator(spec, "监督检查企业数量", self_score=-1)
    got = problems_of(tmp_path, replace(spec, total_self=None))
    assert ("score-above-weight", "H14") in got and ("score-above-weight", "H13") in got


def test_budget_checks(tmp_path: Path):
    spec = replace(
        base(),
        funds={
            "total": (4, 5, 5.5),
            "fiscal": (4, 4, 4.5),
            "carryover": (0, 0, 0),
            "other": (0, 0, 0),
        },
        rate_written="100%",
    )
    got = problems_of(tmp_path, spec)
    assert ("over-budget", "F6") in got
    assert ("sources-not-sum", "E6") in got and ("sources-not-sum", "F6") in got
    assert ("budget-changed", "E6") in got
    assert ("rate-differs", "H6") in got  # wrote 100%, 5.5/5 = 110%


def test_total_row_zero_uses_sources(tmp_path: Path):
    spec = replace(base(), funds={**base().funds, "total": (0, 0, 0)})
    path = write_form(tmp_path / "z.xlsx", spec)
    batch = run_batch([(path, "z.xlsx")], jobs=1)
    assert batch.projects.loc[0, "budget"] == 5.0 and batch.projects.loc[0, "review_total"] == 100.0
    assert ("sources-not-sum", "E6") in codes(path)


def test_over_achievement_needs_a_reason(tmp_path: Path):
    got = problems_of(tmp_path, with_indicator(base(), "监督检查企业数量", actual="20家"))
    assert ("over-achievement", "F13") in got and ("missing-deviation-reason", "I13") in got
    spec = with_indicator(base(), "监督检查企业数量", actual="20家", reason="年中新增检查任务")
    assert ("missing-deviation-reason", "I13") not in problems_of(tmp_path, spec, name="g.xlsx")


def test_bare_zero_or_wu_is_no_reason(tmp_path: Path):
    spec = with_indicator(base(), "监督检查次数", actual="9次", self_score=3.6, reason="无")
    got = problems_of(tmp_path, replace(spec, total_self=97.6))
    assert ("missing-deviation-reason", "I14") in got


def test_qualitative_unknown_and_ambiguous_percent(tmp_path: Path):
    spec = with_indicator(base(), "不断强化强制性认证产品监管", actual="还在推进")
    spec = with_indicator(spec, "服务对象满意度", actual=0.95)  # no percent format
    got = problems_of(tmp_path, spec)
    assert ("qualitative-unknown", "F25") in got and ("ambiguous-percent", "F26") in got
    spec = with_indicator(base(), "服务对象满意度", actual=Percent(0.95))
    assert ("ambiguous-percent", "F26") not in problems_of(tmp_path, spec, name="h.xlsx")


def test_level_missing(tmp_path: Path):
    rows = [IndicatorSpec("", "", "无类别指标", "≥1个", "1个", 0, 0)] + base().indicators
    got = problems_of(tmp_path, replace(base(), indicators=rows), unmerged_level1=True)
    assert any(code == "level-missing" for code, _ in got)


def test_duplicate_project_names_both_files(tmp_path: Path):
    a = write_form(tmp_path / "a.xlsx", base())
    b = write_form(tmp_path / "b.xlsx", base())
    dup = [p for p in flat([a, b]) if p[1] == "duplicate-project"]
    assert len(dup) == 2
    batch = run_batch([(a, "a.xlsx"), (b, "b.xlsx")], jobs=1)
    msgs = batch.problems[batch.problems["code"] == "duplicate-project"]["message"]
    assert all("a.xlsx" in m and "b.xlsx" in m for m in msgs)
    # a large group names its first five files and how many there are
    copies = [(a, f"{k}.xlsx") for k in range(8)]
    msgs = run_batch(copies, jobs=1).problems.query("code == 'duplicate-project'")["message"]
    assert len(msgs) == 8
    assert all(m.endswith("0.xlsx、1.xlsx、2.xlsx、3.xlsx、4.xlsx 等 8 个文件") for m in msgs)


def test_self_score_tolerance_from_rules(tmp_path: Path):
    f = tmp_path / "r.toml"
    f.write_text("[tolerances]\nself_score = 5.0\n", encoding="utf-8")
    got = codes(KASHGAR_2019, Rules.load(f))
    assert ("self-score-differs", "H13") not in got  # 6 vs 4.8 within 5
    assert ("self-score-differs", "H23") in got  # 10 vs 0


def test_bad_rules_file_names_the_key(tmp_path: Path):
    from perfxl.rules.schema import RulesError

    f = tmp_path / "r.toml"
    f.write_text("[grades]\nthreshold = 1\n", encoding="utf-8")
    with pytest.raises(RulesError, match="grades.threshold"):
        Rules.load(f)
    f.write_text('[tolerances]\nself_score = "half"\n', encoding="utf-8")
    with pytest.raises(RulesError, match="tolerances.self_score"):
        Rules.load(f)


def test_uncached_formulas_are_not_read_as_empty(tmp_path: Path):
    """A file last saved by a program holds formulas without cached results:
    the total row is computed from the sources, an uncached actual is named."""
    from openpyxl import load_workbook

    path = write_form(tmp_path / "f.xlsx", base())
    wb = load_workbook(path)
    ws = wb.active
    ws["E6"], ws["F6"], ws["H6"], ws["I6"] = "=SUM(E7:E9)", "=SUM(F7:F9)", "=F6/E6", "=H6*G6"
    ws["F14"] = "=15"
    wb.save(path)
    batch = run_batch([(path, "f.xlsx")], jobs=1)
    assert batch.projects.loc[0, "budget"] == 5.0 and batch.projects.loc[0, "executed"] == 5.0
    got = [(c, cell) for _, c, cell, _ in flat([path]) if c != "empty-category"]
    assert ("missing-actual", "F14") in got
    assert not any(c in ("sources-not-sum", "rate-differs", "missing-field") for c, _ in got)
    msg = batch.problems[batch.problems["code"] == "missing-actual"]["message"].iloc[0]
    assert "公式" in msg


def test_duplicates_without_a_readable_year_are_reported_not_a_crash(tmp_path: Path):
    """Forms of one project and unit with no year (several such pairs, and a
    pair with no unit either): missing values never crash a check."""
    paths = []
    for k, (name, unit) in enumerate([("甲项目", "甲单位"), ("乙项目", "乙单位"), ("丙项目", "")]):
        spec = replace(base(), year=None, project_name=name, implementer=unit)
        paths += [
            write_form(tmp_path / f"{k}a.xlsx", spec),
            write_form(tmp_path / f"{k}b.xlsx", spec),
        ]
    batch = run_batch([(p, p.name) for p in paths], jobs=1)
    assert batch.projects["year"].isna().all()
    dup = batch.problems[batch.problems["code"] == "duplicate-project"]
    assert sorted(dup["file"]) == sorted(p.name for p in paths)
    by_file = dict(zip(dup["file"], dup["message"], strict=True))
    assert by_file["0a.xlsx"].endswith(
        "（甲项目，甲单位，年度未填）在本批中出现多次：0a.xlsx、0b.xlsx"
    )
    assert "丙项目，实施单位未填，年度未填" in by_file["2b.xlsx"]
