"""Reading the shipped samples gives the model values of worked-example.md,
field by field with cell addresses; every layout variant reads to the same
content as the standard form holding the same data."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import KASHGAR_2018, KASHGAR_2019, SAMPLES

from perfxl.forms.generate import IndicatorSpec, adapt_spec, random_spec, write_form
from perfxl.model import ProjectForm
from perfxl.notation.parse import parse_actual, parse_number, parse_target
from perfxl.read.workbook import read_bytes, read_workbook
from perfxl.score.compute import score_form


def only_form(path: Path) -> ProjectForm:
    result = read_workbook(path)
    assert result.status == "read", result.problems
    assert len(result.forms) == 1
    return result.forms[0]


def test_kashgar_2018_header_and_funds():
    f = only_form(KASHGAR_2018)
    assert (f.variant, f.sheet, f.year, f.year_cell) == (
        "national-2020",
        "项目支出绩效自评表",
        2018,
        "A2",
    )
    assert (f.project_name.value, f.project_name.cell) == ("认证认可监管专项经费", "B3")
    assert (f.department.value, f.department.cell) == ("喀什地区质量技术监督局", "B4")
    assert (f.implementer.value, f.implementer.cell) == ("喀什地区质量技术监督局", "F4")
    assert (f.money_unit, f.money_factor) == ("万元", 1.0)
    rows = [(r.kind, r.row, r.initial.value, r.budget.value, r.executed.value) for r in f.funds]
    assert rows == [
        ("total", 6, 5.0, 5.0, 5.0),
        ("fiscal", 7, 5.0, 5.0, 5.0),
        ("carryover", 8, 0.0, 0.0, 0.0),
        ("other", 9, 0.0, 0.0, 0.0),
    ]
    total = f.fund("total")
    assert [total.budget.cell, total.executed.cell, total.weight.cell, total.rate.cell, total.score.cell] == [
        "E6", "F6", "G6", "H6", "I6",
    ]  # fmt: skip
    assert (total.weight.value, total.rate.value, total.score.value) == (10.0, "100%", 10.0)
    assert f.goal_expected.cell == "B11" and f.goal_expected.text.startswith(
        "计划认证认可监管专项经费共需资金5万元"
    )
    assert f.goal_actual.cell == "E11" and f.goal_actual.text.endswith("服务对象满意度95%。")
    assert (f.total_self.value, f.total_self.cell, f.total_row) == (100.0, "H27", 27)
    assert (f.grade.value, f.grade.cell) == (None, "G28")


KASHGAR_INDICATORS = [
    # 一级, 二级, 三级, row, target, actual, 分值
    ("产出指标", "数量指标", "监督检查企业数量", 13, "≥15家", "15家", 6),
    ("产出指标", "数量指标", "监督检查次数", 14, "≥15次", "15次", 6),
    ("产出指标", "数量指标", "实验室和检验机构资质认定数量", 15, "≥1个", "1个", 6),
    ("产出指标", "质量指标", "监督检查覆盖率", 16, "100%", "100%", 6),
    ("产出指标", "质量指标", "不合格企业曝光率", 17, "100%", "100%", 6),
    ("产出指标", "质量指标", "违法企业处理率", 18, "100%", "100%", 6),
    ("产出指标", "时效指标", "完成监督检查任务时限", 19, "10月", "10月", 7),
    ("产出指标", "成本指标", "计划认证认可监管专项经费", 20, "5万元", "5万元", 7),
    (
        "效益指标",
        "社会效益指标",
        "加大对违法行为的查处力度，切实保护广大消费者的合法权益",
        22,
        "有效保护消费者合法权益",
        "达成",
        10,
    ),
    ("效益指标", "社会效益指标", "重大事故发生次数", 23, "0次", "0次", 10),
    ("效益指标", "可持续影响指标", "不断强化强制性认证产品监管", 25, "持续强化", "达成", 10),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", 26, "≥90%", 0.95, 10),
]


def test_kashgar_2018_indicators_with_cells():
    f = only_form(KASHGAR_2018)
    got = [
        (i.level1, i.level2, i.name, i.row, i.target.value, i.actual.value, i.weight.value)
        for i in f.indicators
    ]
    assert got == [(a, b, c, r, t, x, float(w)) for a, b, c, r, t, x, w in KASHGAR_INDICATORS]
    for i in f.indicators:  # every value keeps its Excel address
        r = i.row
        assert (i.name_cell, i.target.cell, i.actual.cell, i.weight.cell, i.score.cell, i.reason.cell) == (
            f"D{r}", f"E{r}", f"F{r}", f"G{r}", f"H{r}", f"I{r}",
        )  # fmt: skip
        assert i.score.value == i.weight.value and i.reason.empty
    # merged 一级/二级 cells are inherited and point at the merge's anchor
    assert (f.indicators[1].level1_cell, f.indicators[1].level2_cell) == ("B13", "C13")
    satisfaction = f.indicators[-1]
    assert satisfaction.actual.percent is True  # 0.95 with a 0% number format
    # the two 指标1 placeholder rows are categories, not indicators
    assert ("效益指标", "经济效益指标") in f.categories and (
        "效益指标",
        "生态效益指标",
    ) in f.categories
    assert len(f.categories) == 9 and len(f.indicators) == 12


def test_kashgar_2019_deviation_values():
    f = only_form(KASHGAR_2019)
    assert (f.year, f.project_name.text) == (2019, "认证认可监管专项经费")
    total = f.fund("total")
    assert (total.budget.value, total.executed.value, total.rate.value, total.rate.cell) == (
        5.0,
        4.3,
        0.86,
        "H6",
    )
    actuals = {i.name: i.actual.value for i in f.indicators}
    assert actuals["监督检查企业数量"] == "12家" and actuals["监督检查次数"] == "9次"
    assert (
        actuals["完成监督检查任务时限"] == "11月"
        and actuals["计划认证认可监管专项经费"] == "4.3万元"
    )
    assert actuals["重大事故发生次数"] == "1次" and actuals["服务对象满意度"] == "88%"
    assert all(i.score.value == i.weight.value for i in f.indicators)
    assert f.total_self.value == 100.0


@pytest.mark.parametrize(
    ("name", "variant", "sheets"),
    [
        ("2018-石家庄市农业农村局-农业技术推广补助资金-单列预算.xlsx", "single-column", 1),
        ("2020-合肥市交通运输局-农村公路养护专项资金-AB列.xlsx", "ab-suffix", 1),
        ("2023-绵阳市民政局-困难群众救助补助资金-分列元.xlsx", "split", 1),
        ("2024-福州市林业局-森林防火专项经费-成本一级.xlsx", "level1-cost", 1),
        ("2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls", "national-2020", 1),
        ("2021-成都市教育局-学生资助补助经费.xlsm", "national-2020", 1),
        ("2022-保定市生态环境局-两个项目.xlsx", "national-2020", 2),
    ],
)
def test_every_sample_reads_without_read_problems(name, variant, sheets):
    result = read_workbook(SAMPLES / name)
    assert result.status == "read" and result.problems == ()
    assert len(result.forms) == sheets
    for f in result.forms:
        assert f.variant == variant
        assert f.project_name.text and f.department.text and f.implementer.text and f.year
        assert f.indicators and f.fund("total") is not None


def test_single_column_department_code_and_split_yuan():
    f = only_form(SAMPLES / "2018-石家庄市农业农村局-农业技术推广补助资金-单列预算.xlsx")
    assert (f.department_code, f.department.text) == ("118", "石家庄市农业农村局")
    assert f.fund("total").initial.empty and not f.fund("total").budget.empty
    s = only_form(SAMPLES / "2023-绵阳市民政局-困难群众救助补助资金-分列元.xlsx")
    assert (s.money_unit, s.money_factor) == ("元", 0.0001)
    assert s.indicators[0].nature.cell and s.indicator_columns.keys() >= {
        "nature",
        "unit",
        "target",
        "actual",
    }
    assert score_form(s).budget == pytest.approx(parse_number(s.fund("total").budget.value) / 10000)


def test_level1_weight_labels_and_year_in_title():
    f = only_form(SAMPLES / "2024-福州市林业局-森林防火专项经费-成本一级.xlsx")
    assert f.year == 2024 and "2024年度" in f.title
    assert f.level1_declared.get("产出指标") == 40.0
    assert "成本指标" in {c[0] for c in f.categories}
    assert score_form(f).level1_count == 4


def test_xls_department_code_with_space_and_fullwidth_text_numbers():
    f = only_form(SAMPLES / "2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls")
    assert (f.department_code, f.department.text) == ("118", "歙县文化和旅游局")
    assert parse_number(f.fund("total").budget.value) is not None


def test_instructions_sheet_is_skipped_silently():
    result = read_workbook(SAMPLES / "2022-保定市生态环境局-两个项目.xlsx")
    assert [f.sheet for f in result.forms] == ["大气污染防治", "环境监测能力建设"]
    assert result.problems == ()


# -- every variant reads to the same content -----------------------------------
def content(form: ProjectForm) -> dict:
    """The layout-independent content of a form: what a reviewer would retype."""
    score = score_form(form)
    return {
        "year": form.year,
        "names": (
            form.project_name.text,
            form.department.text,
            form.department_code,
            form.implementer.text,
        ),
        "budget": (score.budget, score.executed, round(score.rate or 0, 6), score.budget_weight),
        "indicators": [
            (
                i.level1,
                i.level2,
                i.name,
                _reading(i),
                parse_number(i.weight.value),
                parse_number(i.score.value),
                i.reason.text,
            )
            for i in form.indicators
        ],
        "categories": form.categories,
        "scores": [s.review for s in score.indicators],
        "total": (score.total, score.grade, parse_number(form.total_self.value)),
        "goal": (form.goal_expected.text, form.goal_actual.text),
    }


def _reading(i) -> tuple:
    t = parse_target(
        i.target.value, nature=i.nature.value, unit=i.unit.value, level2=i.level2, name=i.name
    )
    a = parse_actual(i.actual.value, target=t, percent_format=i.actual.percent, unit=i.unit.value)
    num = lambda x: None if x is None else round(x, 6)  # noqa: E731
    return (t.kind, t.op, num(t.number), t.unit, a.kind, num(a.number), a.unit, a.band)


VARIANTS = ["single-column", "ab-suffix", "split", "level1-cost"]
QUIRKS = [
    {},
    {"shift_rows": 3, "extra_cols": 2},
    {"label_noise": True, "numbers_as_text": True},
    {"fullwidth": True, "unmerged_level1": True},
    {"weights_in_labels": True, "percent_cells": True},
    {"fmt": "xls"},
]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_variant_reads_like_standard_form(tmp_path: Path, variant: str, seed: int):
    spec = adapt_spec(random_spec(random.Random(seed)), variant)
    standard = content(only_form(write_form(tmp_path / "std.xlsx", spec, "national-2020")))
    other = content(only_form(write_form(tmp_path / f"{variant}.xlsx", spec, variant)))
    assert other == standard


@pytest.mark.parametrize("quirks", QUIRKS, ids=lambda q: "-".join(q) or "clean")
def test_layout_quirks_read_like_the_clean_form(tmp_path: Path, quirks: dict):
    spec = random_spec(random.Random(7))
    clean = content(only_form(write_form(tmp_path / "clean.xlsx", spec)))
    suffix = ".xls" if quirks.get("fmt") == "xls" else ".xlsx"
    quirky = content(only_form(write_form(tmp_path / f"q{suffix}", spec, **quirks)))
    assert quirky == clean


def test_placeholder_prefix_is_stripped(tmp_path: Path):
    spec = random_spec(random.Random(4))
    first = spec.indicators[0]
    spec.indicators[0] = IndicatorSpec(**{**first.__dict__, "name": "指标1：" + first.name})
    form = only_form(write_form(tmp_path / "p.xlsx", spec))
    assert form.indicators[0].name == first.name


def test_file_without_form_names_missing_labels(tmp_path: Path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["填表说明", "请按要求填写"])
    wb.active.append(["项目名称", "某项目"])
    p = tmp_path / "说明.xlsx"
    wb.save(p)
    result = read_workbook(p, display="说明.xlsx")
    assert result.status == "failed"
    [problem] = result.problems
    assert (problem.code, problem.severity, problem.file) == ("no-form-found", "error", "说明.xlsx")
    assert "年度资金总额" in problem.message and "三级指标" in problem.message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file-unreadable"),
        (b"PK\x03\x04garbage", "file-unreadable"),
        (b"hello world", "file-unreadable"),
    ],
)
def test_bad_bytes_are_problems_not_exceptions(data: bytes, code: str):
    result = read_bytes(data, "x.xlsx")
    assert result.status == "failed" and [p.code for p in result.problems] == [code]


def test_lock_files_and_other_files_are_skipped(tmp_path: Path):
    lock = tmp_path / "~$表.xlsx"
    lock.write_bytes(b"\x00user")
    other = tmp_path / "说明.pdf"
    other.write_bytes(b"%PDF")
    for p in (lock, other):
        r = read_workbook(p)
        assert r.status == "skipped" and [x.code for x in r.problems] == ["skipped-file"]


def test_xlsx_details_agree_with_openpyxl_on_every_sample_cell(tmp_path: Path):
    """The cheap number-format/formula lookup gives openpyxl's answers, on the
    samples and on generated forms whose computed cells are formulas."""
    import io

    import python_calamine as pc
    from openpyxl import load_workbook
    from openpyxl.utils.cell import get_column_letter

    from perfxl.forms.generate import generate_corpus
    from perfxl.read.cell_details import cell_details, is_percent_format

    generated = [p for p in generate_corpus(tmp_path, 12, seed=11) if p.suffix != ".xls"]
    formulas = 0
    for path in [*sorted(SAMPLES.glob("*.xls[xm]")), *generated]:
        data = path.read_bytes()
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        wanted = {}
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            wanted[name] = {
                f"{get_column_letter(c + 1)}{r + 1}"
                for r, row in enumerate(rows)
                for c in range(len(row))
            }
        ours = cell_details(data, wanted)
        wb = load_workbook(io.BytesIO(data))
        for name, addrs in wanted.items():
            for a in addrs:
                cell = wb[name][a]
                fmt, formula = ours[name].get(a, ("General", None))
                assert is_percent_format(fmt) == ("%" in cell.number_format), (path.name, a)
                assert (formula is not None) == (cell.data_type == "f"), (path.name, a)
                formulas += formula is not None
    assert formulas > 30  # the generated forms hold formulas: both answers were tested


def test_sheet_whose_dimension_lies_reads_fully(tmp_path: Path):
    """WPS often declares <dimension ref="A1:A1"> on a full sheet."""
    import re
    import zipfile

    src, dst = KASHGAR_2018, tmp_path / "wps.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:A1"/>', data)
                assert n == 1
            zout.writestr(info, data)
    assert content(only_form(dst)) == content(only_form(src))
