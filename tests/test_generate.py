"""The form generator, the blank template and the shipped samples: every variant
and format opens in openpyxl and python-calamine with its labels and merges."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from perfxl.forms.generate import (
    VARIANTS,
    FormSpec,
    Formula,
    IndicatorSpec,
    Percent,
    adapt_spec,
    generate_corpus,
    plan_corpus,
    random_spec,
    split_target,
    write_form,
    write_workbook,
)
from perfxl.forms.template import write_template
from perfxl.read.labels import normalize_label
from perfxl.read.workbook import read_workbook
from perfxl.score.compute import score_form

ROOT = Path(__file__).resolve().parent.parent

NATIONAL = [
    "项目支出绩效自评表",
    "（2021年度）",
    "项目名称",
    "主管部门",
    "实施单位",
    "项目资金（万元）",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
    "年度资金总额",
    "其中：当年财政拨款",
    "上年结转资金",
    "其他资金",
    "年度总体目标",
    "预期目标",
    "实际完成情况",
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "偏差原因分析及改进措施",
    "总分",
    "产出指标",
    "数量指标",
    "满意度指标",
    "填报人",
    "联系电话",
]
LABELS = {
    "national-2020": NATIONAL,
    "level1-cost": NATIONAL + ["成本指标", "经济成本指标"],
    "single-column": [
        "主管部门及代码",
        "预算数",
        "全年执行数",
        "年度资金总额",
        "财政拨款",
        "其他资金",
        "预期实现值",
        "实际完成值",
        "未完成原因分析",
        "总分",
    ],
    "ab-suffix": [
        "全年预算数（A）",
        "全年执行数（B）",
        "执行率（B/A）",
        "年度指标值（A）",
        "实际完成值（B）",
        "年初预算数",
    ],
    "split": [
        "资金情况（元）",
        "年初预算",
        "调整后预算数",
        "预算执行数",
        "预算执行率",
        "权重",
        "原因",
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "未完成原因分析",
        "合计",
        "评价结论",
    ],
}


def small_spec(level1_cost: bool = False) -> FormSpec:
    """A compact filled form: two 一级 blocks, a placeholder row and a shortfall."""
    cost = "成本指标" if level1_cost else "产出指标"
    rows = [
        IndicatorSpec(
            "产出指标", "数量指标", "监督检查企业数量", "≥15家", "12家", 30, 24, "企业停产"
        ),
        IndicatorSpec("产出指标", "质量指标", "监督检查覆盖率", "100%", "100%", 20, 20),
        IndicatorSpec(
            cost,
            "经济成本指标" if level1_cost else "成本指标",
            "项目总成本",
            "≤5万元",
            "4.3万元",
            10 if level1_cost else 0,
            10,
        ),
        IndicatorSpec("效益指标", "经济效益指标", "指标1"),
        IndicatorSpec("效益指标", "社会效益指标", "重大事故发生次数", "0次", "0次", 20, 20),
        IndicatorSpec("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 10, 10),
    ]
    return FormSpec(
        year=2021,
        project_name="认证认可监管专项经费",
        department="喀什地区质量技术监督局",
        department_code="118",
        implementer="喀什地区计量检定所",
        funds={"total": (5, 5, 4.3), "fiscal": (5, 5, 4.3), "carryover": (0, 0, 0), "other": None},
        rate_written=0.86,
        budget_self_score=8.6,
        goal_expected="完成监督检查",
        goal_actual="基本完成",
        indicators=rows,
        total_self=92.6,
        grade="优",
        filler="张伟",
        phone="0998-2345678",
    )


def read(path: Path, sheet: str | None = None) -> tuple[list[list], list]:
    wb = CalamineWorkbook.from_path(str(path))
    sh = wb.get_sheet_by_name(sheet or wb.sheet_names[-1])
    return sh.to_python(skip_empty_area=False), sh.merged_cell_ranges or []


def texts(rows: list[list]) -> set[str]:
    return {c for row in rows for c in row if isinstance(c, str)}


@pytest.mark.parametrize("fmt", ["xlsx", "xlsm", "xls"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_and_format_opens_with_labels_and_merges(
    tmp_path: Path, variant: str, fmt: str
) -> None:
    spec = small_spec(level1_cost=variant == "level1-cost")
    path = write_form(tmp_path / f"form.{fmt}", spec, variant, grade_row=True)
    rows, merges = read(path)
    missing = [label for label in LABELS[variant] if label not in texts(rows)]
    assert missing == []
    width = len(rows[0])
    assert ((0, 0), (0, width - 1)) in merges  # title merged across the form
    assert len(merges) > 15
    assert "喀什地区计量检定所" in texts(rows)
    if fmt != "xls":
        wb = openpyxl.load_workbook(path)
        ws = wb.active
        assert f"A1:{openpyxl.utils.get_column_letter(width)}1" in {
            str(m) for m in ws.merged_cells.ranges
        }
        assert len(ws.merged_cells.ranges) == len(merges)
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]  # no formulas


def test_xlsm_is_declared_macro_enabled(tmp_path: Path) -> None:
    path = write_form(tmp_path / "form.xlsm", small_spec())
    with zipfile.ZipFile(path) as zf:
        assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in zf.read(
            "[Content_Types].xml"
        )


def test_xls_content_under_an_xlsx_name(tmp_path: Path) -> None:
    path = write_form(tmp_path / "misnamed.xlsx", small_spec(), fmt="xls")
    assert path.read_bytes().startswith(b"\xd0\xcf\x11\xe0")


def test_single_column_puts_weight_before_target_and_code_with_department(tmp_path: Path) -> None:
    rows, _ = read(write_form(tmp_path / "f.xlsx", small_spec(), "single-column"))
    header = next(r for r in rows if "一级指标" in r)
    assert header.index("分值") < header.index("预期实现值") < header.index("实际完成值")
    assert "[118]喀什地区质量技术监督局" in texts(rows)
    assert "上年结转资金" not in texts(rows) and "年初预算数" not in texts(rows)


def test_split_is_in_yuan_with_two_row_header_and_split_targets(tmp_path: Path) -> None:
    rows, merges = read(write_form(tmp_path / "f.xlsx", small_spec(), "split"))
    total = next(r for r in rows if "年度资金总额" in r)
    assert [v for v in total if isinstance(v, float)][:3] == [50000.0, 50000.0, 43000.0]
    top = next(i for i, r in enumerate(rows) if "一级指标" in r)
    assert "指标性质" in rows[top + 1] and "一级指标" not in rows[top + 1]
    assert ((top, 1), (top + 1, 1)) in merges  # 一级指标 spans both header rows
    row = next(r for r in rows if "监督检查企业数量" in r)
    assert row[4:8] == ["≥", 15.0, "家", 12.0]


@pytest.mark.parametrize(
    ("target", "level2", "expected"),
    [
        ("≥15家", "数量指标", ("≥", 15, "家")),
        ("100%", "质量指标", ("=", 100, "%")),
        ("10月底前", "时效指标", ("≤", 10, "月")),
        ("2020年11月底前", "时效指标", ("≤", 11, "月")),
        ("5万元", "成本指标", ("≤", 5, "万元")),
        ("15家以上", "数量指标", ("≥", 15, "家")),
        ("0次", "社会效益指标", ("=", 0, "次")),
        ("1.2万元", "数量指标", ("=", 1.2, "万元")),
        ("有效保护消费者合法权益", "社会效益指标", ("定性", "有效保护消费者合法权益", None)),
    ],
)
def test_split_target(target: str, level2: str, expected: tuple) -> None:
    assert split_target(target, level2) == expected


def test_layout_options(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "f.xlsx",
        small_spec(),
        shift_rows=3,
        extra_cols=2,
        numbers_as_text=True,
        fullwidth=True,
        weights_in_labels=True,
        unmerged_level1=True,
        percent_cells=True,
        code_style="space",
        sheet_name="Sheet1",
    )
    rows, merges = read(path, "Sheet1")
    assert rows[3][2] == "项目支出绩效自评表" and ((3, 2), (3, 10)) in merges
    assert "118 喀什地区质量技术监督局" in texts(rows)
    total = next(r for r in rows if "年度资金总额" in r)
    assert "４．３" in total and "１０" in total  # amounts and 分值 as full-width text
    assert "≥１５家" in texts(rows)
    level1 = [r[3] for r in rows if r[5] in ("监督检查企业数量", "监督检查覆盖率", "项目总成本")]
    assert level1 == ["产出指标(50分)"] * 3  # repeated, not merged
    ws = openpyxl.load_workbook(path)["Sheet1"]
    cover = next(r for r in ws.iter_rows() if r[5].value == "监督检查覆盖率")
    assert cover[6].value == "１００％" and cover[7].value == 1.0  # target stays text
    sat = next(r for r in ws.iter_rows() if r[5].value == "服务对象满意度")
    assert sat[7].value == 0.95 and sat[7].number_format == "0%"
    rate = next(r for r in ws.iter_rows() if r[3].value == "年度资金总额")[9]
    assert rate.value == 0.86 and rate.number_format == "0%"


def test_label_noise_normalises_back(tmp_path: Path) -> None:
    rows, _ = read(write_form(tmp_path / "f.xlsx", small_spec(), label_noise=True))
    raw = texts(rows)
    assert len([label for label in NATIONAL if label not in raw]) > 10  # most labels disturbed
    normalised = {normalize_label(t) for t in raw}
    assert all(normalize_label(label) in normalised for label in NATIONAL)


def test_formula_like_input_stays_text(tmp_path: Path) -> None:
    spec = small_spec()
    spec.project_name = '=HYPERLINK("http://x","点击")'
    spec.indicators[0].reason = "+1-2"
    for fmt in ("xlsx", "xls"):
        rows, _ = read(write_form(tmp_path / f"f.{fmt}", spec))
        assert spec.project_name in texts(rows) and "+1-2" in texts(rows)
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    assert ws["B3"].value == spec.project_name and ws["B3"].data_type == "s"


def test_workbook_with_several_forms_and_instructions(tmp_path: Path) -> None:
    other = small_spec()
    other.project_name = "计量器具强制检定经费"
    path = write_workbook(
        tmp_path / "multi.xlsx",
        [
            ("项目1", small_spec(), "national-2020", {}),
            ("项目2", other, "ab-suffix", {"shift_rows": 1}),
        ],
        extra_sheets=["填表说明"],
        extra_sheets_first=True,
    )
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["填表说明", "项目1", "项目2"]
    assert "认证认可监管专项经费" in texts(read(path, "项目1")[0])
    assert "计量器具强制检定经费" in texts(read(path, "项目2")[0])
    notes = texts(read(path, "填表说明")[0])
    assert "填表说明" in notes and "项目名称" not in notes
    assert [p.name for p in tmp_path.iterdir()] == ["multi.xlsx"]  # no temp file left behind


def test_template(tmp_path: Path) -> None:
    path = write_template(tmp_path / "template.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "项目支出绩效自评表" and ws["A1"].font.b
    assert "A1:I1" in {str(m) for m in ws.merged_cells.ranges}
    assert ws["A2"].value == "（    年度）"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # one page wide (1 is the default width)
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows
    rows, _ = read(path)
    values = [c for r in rows for c in r]
    for label in NATIONAL[2:-6] + [
        "自评等级",
        "经济效益指标",
        "可持续影响指标",
        "服务对象满意度指标",
    ]:
        assert label in values, label
    assert values.count("指标1") == values.count("指标3") == 9
    total = next(r for r in rows if "年度资金总额" in r)
    assert total[6] == 10.0 and next(r for r in rows if "总分" in r)[6] == 100.0


def test_corpus_is_deterministic_and_varied(tmp_path: Path) -> None:
    a = generate_corpus(tmp_path / "a", 12, seed=7)
    b = generate_corpus(tmp_path / "b", 12, seed=7)
    assert [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    assert [p.name for p in generate_corpus(tmp_path / "c", 12, seed=8)] != [p.name for p in a]
    for path in a:
        wb = CalamineWorkbook.from_path(str(path))
        assert any(
            "项目名称" in {normalize_label(t) for t in texts(read(path, s)[0])}
            for s in wb.sheet_names
        )


def test_planned_forms_are_well_formed() -> None:
    plan = plan_corpus(150, seed=1)
    assert len({item.filename for item in plan}) == 150
    variants = {v for item in plan for _, _, v, _ in item.forms}
    assert variants == set(VARIANTS)
    assert {item.fmt for item in plan} == {"xlsx", "xlsm", "xls"}
    for item in plan:
        for _, spec, variant, _ in item.forms:
            filled = [i for i in spec.indicators if not i.placeholder]
            assert 8 <= len(filled) <= 20
            assert sum(i.weight for i in filled) + spec.budget_weight == pytest.approx(100)
            total = spec.funds["total"]
            parts = [spec.funds[k] for k in ("fiscal", "carryover", "other") if spec.funds.get(k)]
            assert sum(p[2] for p in parts) == pytest.approx(total[2])
            assert (variant == "level1-cost") == any(i.level1 == "成本指标" for i in filled)
    actuals = [i.actual for item in plan for _, s, _, _ in item.forms for i in s.indicators]
    assert "—" in actuals and any(isinstance(a, Percent) for a in actuals)
    assert random_spec(random.Random(3)) == random_spec(random.Random(3))


def test_kashgar_samples_match_the_worked_example(tmp_path: Path) -> None:
    from perfxl.testing import samples as module

    paths = module.build(tmp_path)
    assert all(p.exists() for p in paths) and len(paths) == 10
    for p in paths:  # the shipped files are exactly what the builders make
        assert p.read_bytes() == (ROOT / p.relative_to(tmp_path)).read_bytes(), p.name
    ws = openpyxl.load_workbook(tmp_path / "samples" / module.KASHGAR_NAME).active
    rows = {r[3].value: r for r in ws.iter_rows() if r[3].value}
    assert ws["A2"].value == "（2018年度）"
    assert [c.value for c in rows["服务对象满意度"][4:8]] == ["≥90%", 0.95, 10, 10]
    assert rows["服务对象满意度"][5].number_format == "0%"
    funds = {r[1].value: [c.value for c in r[3:9]] for r in ws.iter_rows() if r[1].value}
    assert funds["年度资金总额"] == [5, 5, 5, 10, "100%", 10]
    assert funds["上年结转资金"][:3] == [0, 0, 0]
    assert sum(1 for r in ws.iter_rows() if r[3].value == "指标1") == 2
    header = next(r[0].row for r in ws.iter_rows() if r[1].value == "一级指标")
    filled = [r for r in ws.iter_rows(min_row=header) if isinstance(r[6].value, int | float)]
    assert len(filled) == 13 and filled[-1][0].value == "总分" and filled[-1][7].value == 100
    dev = openpyxl.load_workbook(tmp_path / "samples" / module.KASHGAR_DEVIATION_NAME).active
    assert dev["A2"].value == "（2019年度）"
    total = next(r for r in dev.iter_rows() if r[1].value == "年度资金总额")
    assert total[5].value == 4.3 and total[7].value == 0.86 and total[7].number_format == "0%"


# --------------------------------------------------------------------------- formulas

_REF = re.compile(r"([A-Z]{1,3}[0-9]+)(?::([A-Z]{1,3}[0-9]+))?")


def evaluate(formula: str, ws: Any) -> float:
    """Our own formulas (SUM, ROUND, MIN, IFERROR over cells) computed from the
    cached values of the cells they reference (``ws`` opened with data_only)."""

    def ref(m: re.Match) -> str:
        cells = ws[f"{m[1]}:{m[2]}"] if m[2] else ((ws[m[1]],),)
        return repr([c.value for row in cells for c in row])

    def flat(args: tuple) -> list[float]:
        vals = [v for a in args for v in (a if isinstance(a, list) else [a])]
        return [float(v) for v in vals if isinstance(v, int | float)]

    names = {
        "SUM": lambda *a: sum(flat(a)),
        "MIN": lambda *a: min(flat(a)),
        "ROUND": lambda x, n: round(flat((x,))[0], n),
        "IFERROR": lambda x, _: x,
    }
    expr = _REF.sub(ref, formula.removeprefix("="))
    # a single cell is a one-element list: unwrap it for arithmetic
    expr = re.sub(r"\[([^\[\],]*)\]", r"\1", expr)
    return float(eval(expr, {"__builtins__": {}}, names))  # noqa: S307 - our own formulas


def formula_cells(path: Path) -> list[tuple[str, str, str, Any, Any]]:
    """(sheet, address, formula, cached value via openpyxl, via calamine) of every formula."""
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    book = CalamineWorkbook.from_path(str(path))
    out = []
    for ws in formulas.worksheets:
        rows = book.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":  # not a text "=" (the split form's 指标性质)
                    assert c.value.startswith("=")
                    cal = rows[c.row - 1][c.column - 1]
                    out.append(
                        (ws.title, c.coordinate, c.value, cached[ws.title][c.coordinate].value, cal)
                    )
    return out


@pytest.mark.parametrize("variant", VARIANTS)
def test_computed_cells_are_formulas_with_cached_results(tmp_path: Path, variant: str) -> None:
    spec = small_spec(level1_cost=variant == "level1-cost")
    spec.funds["other"] = (0, 0, 0)
    spec.indicators[2].weight = 10  # 分值 add up to 100
    path = write_form(tmp_path / "f.xlsx", spec, variant, formulas=True, shift_rows=2, extra_cols=1)
    found = formula_cells(path)
    texts_ = [f for _, _, f, _, _ in found]
    # 资金总额 ×2-3 (SUM of the rows below), 执行率, budget 得分, 总分 row: 分值 and 得分
    assert sum(f.startswith("=SUM(") for f in texts_) == (4 if variant == "single-column" else 5)
    assert sum("IFERROR" in f for f in texts_) == 1 and sum("MIN(" in f for f in texts_) == 1
    ws = openpyxl.load_workbook(path, data_only=True).active
    for _, address, formula, by_openpyxl, by_calamine in found:
        assert isinstance(by_openpyxl, float | int) and by_openpyxl == by_calamine, address
        assert evaluate(formula, ws) == pytest.approx(by_openpyxl, abs=1e-9), (address, formula)
    total = next(r for r in ws.iter_rows() if r[2].value == "年度资金总额")  # B + 1 extra column
    executed = ws.cell(total[0].row, 6 if variant == "single-column" else 7)  # shifted too
    assert executed.value == (43000 if variant == "split" else 4.3)
    col, row, sources = executed.column_letter, executed.row, 2 if variant == "single-column" else 3
    formula = openpyxl.load_workbook(path).active[executed.coordinate].value
    assert formula == f"=SUM({col}{row + 1}:{col}{row + sources})"  # the rows below
    form = read_workbook(path).forms[0]  # perfxl's reader gets the cached value
    assert form.fund("total").executed.value == executed.value
    assert form.fund("total").executed.cell == executed.coordinate


def test_formulas_hold_only_where_the_form_computes_the_number(tmp_path: Path) -> None:
    spec = small_spec()
    spec.budget_self_score = 10  # full marks despite 86%: the unit's own figure
    spec.funds["total"] = (5, 6, 4.3)  # a total that is not the sum of its sources
    spec.rate_written = "86%"  # a percent text stays text
    spec.total_self = 94  # 10 + 84: the 得分 column does add up (the 分值 only to 90)
    path = write_form(tmp_path / "f.xlsx", spec, formulas=True)
    by_address = {a: f for _, a, f, _, _ in formula_cells(path)}
    assert by_address == {"D6": "=SUM(D7:D9)", "F6": "=SUM(F7:F9)", "H19": "=SUM(I6,H13:H18)"}
    ws = openpyxl.load_workbook(path).active
    assert (ws["E6"].value, ws["H6"].value, ws["I6"].value, ws["G19"].value) == (6, "86%", 10, 100)
    text = write_form(tmp_path / "t.xlsx", small_spec(), formulas=True, numbers_as_text=True)
    assert formula_cells(text) == []  # amounts written as text: no formula over them


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
@pytest.mark.parametrize("seed", [1, 5, 9])
def test_formulas_read_like_plain_numbers(tmp_path: Path, seed: int, fmt: str) -> None:
    spec = random_spec(random.Random(seed))
    variant = "level1-cost" if any(i.level1 == "成本指标" for i in spec.indicators) else "split"
    spec = adapt_spec(spec, variant)
    plain = write_form(tmp_path / f"plain.{fmt}", spec, variant, percent_cells=True)
    with_f = write_form(
        tmp_path / f"formulas.{fmt}", spec, variant, percent_cells=True, formulas=True
    )
    if fmt == "xlsx":
        assert formula_cells(with_f) and not formula_cells(plain)
    else:  # xlwt stores no cached result: the .xls holds the numbers, as before
        assert with_f.read_bytes() == plain.read_bytes()
    a = read_workbook(plain, display="form")
    b = read_workbook(with_f, display="form")
    assert a.status == b.status == "read"
    assert b.forms == a.forms and b.problems == a.problems
    assert score_form(b.forms[0]) == score_form(a.forms[0])


def test_corpus_has_files_with_and_without_formulas(tmp_path: Path) -> None:
    plan = plan_corpus(40, seed=7)
    flags = [all(o["formulas"] for _, _, _, o in item.forms) for item in plan]
    assert 25 <= sum(flags) < 40
    paths = generate_corpus(tmp_path, 40, seed=7)
    seen = {True: 0, False: 0}
    for path, flag in zip(paths, flags, strict=True):
        if path.read_bytes()[:2] != b"PK":
            continue  # .xls: cached results only
        found = formula_cells(path)
        seen[bool(found)] += 1
        assert flag or not found
        for _, address, _, by_openpyxl, by_calamine in found:
            assert by_openpyxl == by_calamine, (path.name, address)
    assert seen[True] >= 20 and seen[False] >= 3


def test_formula_text_follows_the_sheet_offset() -> None:
    f = Formula("IFERROR({0}/{1},0)", ((5, 5), (5, 4)), 0.86)
    assert f.text() == "=IFERROR(F6/E6,0)"
    assert f.text(3, 23) == "=IFERROR(AC9/AB9,0)"  # past Z: two letters


def test_a_large_corpus_holds_mostly_distinct_projects() -> None:
    """An inbox of thousands of forms is thousands of projects; the same project,
    unit and year meeting again (a resubmission) is the exception."""
    from collections import Counter

    from perfxl.testing.corpus import plan_corpus

    keys = Counter(
        (spec.project_name, spec.implementer, spec.year)
        for item in plan_corpus(2000, seed=5)
        for _, spec, _, _ in item.forms
    )
    forms = sum(keys.values())
    twins = sum(n for n in keys.values() if n > 1)
    assert forms > 2000 and 0 < twins < 0.05 * forms
    assert max(keys.values()) <= 3
