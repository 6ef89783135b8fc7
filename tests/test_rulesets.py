"""Each shipped rule set changes the scores and findings it should on a form
built for it, and nothing else: every test scores the same file under the
national default and under the set, and asserts the whole difference."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from perfxl.batch.run import run_batch
from perfxl.forms.generate import IndicatorSpec, write_form
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.testing.samples import PROTECT, kashgar_2018, kashgar_2019_deviation


def outcome(path: Path, rules: Rules) -> tuple[dict[str, object], set[tuple[str, str]]]:
    """(scores by item, {(code, cell)}) of one file under ``rules``."""
    batch = run_batch([(path, path.name)], jobs=1, rules=rules)
    (p,) = batch.projects.itertuples()
    scores: dict[str, object] = {
        "budget": p.budget_score,
        "total": p.review_total,
        "grade": p.grade,
    }
    for r in batch.indicators.itertuples():
        scores[r.name] = r.review_score
    found = {(r.code, r.cell) for r in batch.problems.itertuples() if r.code != "empty-category"}
    return scores, found


def changes(path: Path, name: str):
    """What the named set changes against the default: scores, problems added, removed."""
    base_scores, base_found = outcome(path, DEFAULT)
    set_scores, set_found = outcome(path, Rules.load(name))
    changed = {k: (v, set_scores[k]) for k, v in base_scores.items() if set_scores[k] != v}
    return changed, set_found - base_found, base_found - set_found


def rows_with(spec, name: str, **changes):
    return [replace(i, **changes) if i.name == name else i for i in spec.indicators]


def test_sichuan_requires_a_reason_below_90_percent_and_no_level1_split(tmp_path: Path):
    spec = kashgar_2019_deviation()
    spec = replace(spec, indicators=rows_with(spec, "服务对象满意度", weight=15, self_score=15))
    spec = replace(spec, indicators=rows_with(spec, "重大事故发生次数", weight=5, self_score=5))
    path = write_form(tmp_path / "川.xlsx", spec, "split")  # 权重, 指标性质, 原因 columns
    changed, added, removed = changes(path, "四川")
    assert changed == {}
    assert added == {("missing-execution-reason", "J6")}  # the budget row's 原因 cell
    assert removed == {("level1-weights", "I28")}


def test_twenty_point_form_rates_fiscal_funds_and_scores_reverse_by_ratio(tmp_path: Path):
    spec = kashgar_2018()
    rows = rows_with(spec, "重大事故发生次数", target="≤2次", actual="3次", self_score=5)
    rows = [
        IndicatorSpec(i.level1, i.level2, "指标1") if i.name == "不断强化强制性认证产品监管" else i
        for i in rows
    ]  # indicators 80 + budget 20
    rows = [replace(i, actual="部分达成", self_score=5.5) if i.name == PROTECT else i for i in rows]
    spec = replace(
        spec,
        indicators=rows,
        budget_weight=20,
        budget_self_score=20,
        rate_written=None,
        total_self=None,
        funds={
            "total": (100, 100, 80),
            "fiscal": (60, 60, 60),
            "carryover": (0, 0, 0),
            "other": (40, 40, 20),
        },
    )
    path = write_form(tmp_path / "二十分.xlsx", spec)
    changed, added, removed = changes(path, "预算20分")
    assert changed == {
        "budget": (16.0, 20.0),  # 20 × 80% (all funds) → 20 × 100% (fiscal funds only)
        "重大事故发生次数": (5.0, 6.67),  # 10 × (1 − 1 ÷ 2) → 10 × 2 ÷ 3
        "total": (89.0, 94.67),
        "grade": ("良", "优"),
    }
    assert added == {("self-score-differs", "H23")}  # the unit's 5 vs 6.67
    # 80% no longer low; 部分达成 at 5.5 of 10 lies in [50%, 80%); budget self 20 now matches
    assert removed == {
        ("low-execution", "H6"),
        ("qualitative-band", "H22"),
        ("self-score-differs", "I6"),
    }


def test_platform_grades_at_80_and_lights_red_or_yellow(tmp_path: Path):
    red = replace(
        kashgar_2019_deviation(),
        funds={
            "total": (5, 5, 3.5),
            "fiscal": (5, 5, 3.5),
            "carryover": (0, 0, 0),
            "other": (0, 0, 0),
        },
        rate_written=0.7,
    )
    path = write_form(tmp_path / "红灯.xlsx", red)
    changed, added, removed = changes(path, "绩效平台")
    assert changed == {"grade": ("良", "优")}  # 80.48: 良 under 90/80/60, 优 under 80/70/60
    assert added == {("red-light", "H6")} and removed == set()

    spec = kashgar_2019_deviation()
    poor = {"监督检查覆盖率": "60%", "不合格企业曝光率": "60%", "违法企业处理率": "60%"}
    rows = [replace(i, actual=poor.get(i.name, i.actual)) for i in spec.indicators]
    yellow = replace(
        spec,
        indicators=rows,
        funds={
            "total": (5, 5, 3.75),
            "fiscal": (5, 5, 3.75),
            "carryover": (0, 0, 0),
            "other": (0, 0, 0),
        },
        rate_written=0.75,
    )
    path = write_form(tmp_path / "黄灯.xlsx", yellow)
    changed, added, removed = changes(path, "绩效平台")
    assert changed == {"grade": ("中", "良")}
    assert added == {("yellow-light", "H6")} and removed == set()


def test_platform_budget_weight_is_fixed_at_10(tmp_path: Path):
    spec = replace(kashgar_2018(), budget_weight=20, budget_self_score=20, total_self=None)
    path = write_form(tmp_path / "固定.xlsx", spec)
    changed, _, _ = changes(path, "绩效平台")
    assert changed["budget"] == (20.0, 10.0)


def test_guangxi_requires_a_reason_from_130_percent(tmp_path: Path):
    spec = kashgar_2018()
    rows = rows_with(spec, "监督检查覆盖率", target="=100%", actual="130%")  # exactly, at 130%
    spec = replace(spec, indicators=rows)
    rows = rows_with(spec, "监督检查企业数量", actual="19家")  # at least, at 127%
    path = write_form(tmp_path / "桂.xlsx", replace(spec, indicators=rows))
    changed, added, removed = changes(path, "广西")
    assert changed == {}
    assert added == {("missing-deviation-reason", "I16")}  # 130% of an exactly target
    assert removed == {("missing-deviation-reason", "I13")}  # 127%: flagged, no reason needed


def test_the_summary_names_the_rule_set_used(tmp_path: Path):
    import openpyxl
    from conftest import KASHGAR_2019
    from typer.testing import CliRunner

    from perfxl.cli import app

    out = tmp_path / "汇总表.xlsx"
    r = CliRunner().invoke(app, ["summarize", str(KASHGAR_2019), "-o", str(out), "--rules", "四川"])
    assert r.exit_code in (0, 1), r.output
    notes = openpyxl.load_workbook(out)["说明"]
    cells = [c for row in notes.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "使用的规则：四川。" in cells
    described = "执行率低于 90% 或年中调整预算须说明原因"  # the set's description line
    assert any(described in c for c in cells)
    assert any("scqs.gov.cn" in c for c in cells)  # the set's text, with its source


def test_sichuan_reason_written_in_the_budget_row_is_enough(tmp_path: Path):
    import openpyxl

    path = write_form(tmp_path / "川.xlsx", kashgar_2019_deviation(), "split")
    wb = openpyxl.load_workbook(path)
    wb.active["J6"] = "部分检查任务顺延至次年"
    wb.save(path)
    _, found = outcome(path, Rules.load("四川"))
    assert not any(code == "missing-execution-reason" for code, _ in found)
    wb.active["J6"] = "无"  # a bare 无 is no reason
    wb.save(path)
    _, found = outcome(path, Rules.load("四川"))
    assert ("missing-execution-reason", "J6") in found


def test_guangxi_zero_target_with_an_actual_of_30_needs_a_reason(tmp_path: Path):
    spec = kashgar_2018()
    rows = rows_with(spec, "实验室和检验机构资质认定数量", target="≥0个", actual="30个")
    path = write_form(tmp_path / "桂0.xlsx", replace(spec, indicators=rows))
    changed, added, removed = changes(path, "广西")
    assert changed == {} and removed == set()
    assert added == {("missing-deviation-reason", "I15")}


def test_platform_partly_band_excludes_its_upper_bound(tmp_path: Path):
    spec = kashgar_2018()
    rows = [
        replace(i, actual="部分达成", self_score=8) if i.name == PROTECT else i
        for i in spec.indicators
    ]
    path = write_form(tmp_path / "区间.xlsx", replace(spec, indicators=rows, total_self=98))
    changed, added, removed = changes(path, "绩效平台")
    assert changed == {}  # 98.00: 优 under both grade lines
    assert added == {("qualitative-band", "H22")}  # 8 of 10 fits 部分达成 only when closed
    assert removed == set()


def test_sichuan_requires_a_reason_for_a_mid_year_adjustment(tmp_path: Path):
    import openpyxl

    funds = {"total": (4, 5, 5), "fiscal": (4, 5, 5), "carryover": (0, 0, 0), "other": (0, 0, 0)}
    path = write_form(tmp_path / "调整.xlsx", replace(kashgar_2018(), funds=funds), "split")
    changed, added, removed = changes(path, "四川")
    assert changed == {} and removed == set()
    assert added == {("missing-adjustment-reason", "J6")}
    batch = run_batch([(path, path.name)], jobs=1, rules=Rules.load("四川"))
    (msg,) = batch.problems.query("code == 'missing-adjustment-reason'")["message"]
    assert msg == "年中调整了预算（年初预算数 4 万元，全年预算数 5 万元），须单独说明理由"
    wb = openpyxl.load_workbook(path)
    wb.active["J6"] = "年中追加专项检查经费1万元"
    wb.save(path)
    _, found = outcome(path, Rules.load("四川"))
    assert not any(code == "missing-adjustment-reason" for code, _ in found)
