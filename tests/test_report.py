"""The narrative report: the worked example (the Kashgar 2018 sample) and its
2019 deviation sample, built by hand as model objects, written as .docx and
read back."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from perfxl.model import (
    CellValue,
    FundRow,
    Indicator,
    IndicatorScore,
    Problem,
    ProjectForm,
    ProjectScore,
)
from perfxl.score.compute import score_form
from perfxl.write.report import (
    build_report,
    cell_text,
    fmt_percent,
    report_bytes,
    report_filename,
    write_report,
)

CATEGORIES = (
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "生态效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
)
SOCIAL = "加大对违法行为的查处力度，切实保护广大消费者的合法权益"
# (一级, 二级, 三级, 年度指标值, 分值, 2018 actual, 2019 actual, 2019 review score)
ROWS = (
    ("产出指标", "数量指标", "监督检查企业数量", "≥15家", 6, "15家", "12家", 4.80),
    ("产出指标", "数量指标", "监督检查次数", "≥15次", 6, "15次", "9次", 3.60),
    ("产出指标", "数量指标", "实验室和检验机构资质认定数量", "≥1个", 6, "1个", "1个", 6.0),
    ("产出指标", "质量指标", "监督检查覆盖率", "100%", 6, "100%", "100%", 6.0),
    ("产出指标", "质量指标", "不合格企业曝光率", "100%", 6, "100%", "100%", 6.0),
    ("产出指标", "质量指标", "违法企业处理率", "100%", 6, "100%", "100%", 6.0),
    ("产出指标", "时效指标", "完成监督检查任务时限", "10月", 7, "10月", "11月", 6.30),
    ("产出指标", "成本指标", "计划认证认可监管专项经费", "5万元", 7, "5万元", "4.3万元", 7.0),
    ("效益指标", "社会效益指标", SOCIAL, "有效保护消费者合法权益", 10, "达成", "部分达成", 8.0),
    ("效益指标", "社会效益指标", "重大事故发生次数", "0次", 10, "0次", "1次", 0.0),
    (
        "效益指标",
        "可持续影响指标",
        "不断强化强制性认证产品监管",
        "持续强化",
        10,
        "达成",
        "达成",
        10.0,
    ),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", 10, "95%", "88%", 9.78),
)
GOAL_ACTUAL = (
    "完成监督检查企业15家、监督检查15次、资质认定1个，监督检查覆盖率、不合格企业曝光率、"
    "违法企业处理率均为100%，重大事故0起，服务对象满意度95%。"
)


def make_project(year: int = 2018) -> tuple[ProjectForm, ProjectScore]:
    """The worked example (2018) or its deviation sample (2019)."""
    deviating = year == 2019
    executed = 4.3 if deviating else 5.0
    funds = (
        FundRow(
            "total",
            "年度资金总额",
            6,
            CellValue(5, "C6"),
            CellValue(5, "D6"),
            CellValue(executed, "E6"),
        ),
        FundRow("fiscal", "其中：当年财政拨款", 7, CellValue(5), CellValue(5), CellValue(executed)),
        FundRow("carryover", "上年结转资金", 8, CellValue(0), CellValue(0), CellValue(0)),
        FundRow("other", "其他资金", 9, CellValue(0), CellValue(0), CellValue(0)),
    )
    scores = []
    for i, (l1, l2, name, target, weight, actual18, actual19, review19) in enumerate(ROWS):
        row = 14 + i
        actual = actual19 if deviating else actual18
        review = review19 if deviating else float(weight)
        ind = Indicator(
            l1, l2, name, row, name_cell=f"C{row}",
            target=CellValue(target, f"D{row}"),
            actual=CellValue(actual, f"E{row}"),
            weight=CellValue(weight, f"F{row}"),
            score=CellValue(weight, f"G{row}"),
        )  # fmt: skip
        scores.append(
            IndicatorScore(
                ind, ">=", "", None, None, "", None, float(weight), float(weight),
                float(weight), review, review == weight,
            )
        )  # fmt: skip
    form = ProjectForm(
        file=f"{year}/认证认可.xlsx",
        sheet="Sheet1",
        variant="national-2020",
        year=year,
        project_name=CellValue("认证认可监管专项经费", "B3"),
        department=CellValue("喀什地区质量技术监督局", "B4"),
        implementer=CellValue("喀什地区质量技术监督局", "F4"),
        funds=funds,
        goal_expected=CellValue("监督检查企业数量15家以上；服务对象满意度达到90%以上。", "B11"),
        goal_actual=CellValue(GOAL_ACTUAL, "F11"),
        indicators=tuple(s.indicator for s in scores),
        categories=CATEGORIES,
        total_self=CellValue(100, "G30"),
    )
    total = 82.08 if deviating else 100.0
    # the scorer's 计算过程 lines, for the report to show beside each score
    real = score_form(form)
    scores = [
        dataclasses.replace(s, explanation=r.explanation)
        for s, r in zip(scores, real.indicators, strict=True)
    ]
    score = ProjectScore(
        budget_initial=5.0,
        budget=5.0,
        executed=executed,
        rate=executed / 5.0,
        budget_weight=10.0,
        budget_score=8.6 if deviating else 10.0,
        budget_self=10.0,
        indicators=tuple(scores),
        indicator_total=total - (8.6 if deviating else 10.0),
        total=total,
        grade="良" if deviating else "优",
        self_total=100.0,
        level1_count=3,
        level2_count=9,
        level3_count=12,
        achieved_count=sum(1 for s in scores if s.achieved),
        applicable_count=12,
        budget_explanation=real.budget_explanation,
    )
    return form, score


def all_text(document: docx.document.Document) -> str:
    """Every paragraph and every table cell, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


@pytest.fixture
def worked(tmp_path: Path) -> tuple[Path, str]:
    form, score = make_project(2018)
    path = tmp_path / "reports" / report_filename(form)
    write_report(path, form, score, [])
    return path, all_text(docx.Document(str(path)))


@pytest.fixture
def deviating(tmp_path: Path) -> tuple[Path, str]:
    form, score = make_project(2019)
    problems = [
        Problem("low-execution", "warning", "预算执行率86%，低于90%", cell="F6"),
        Problem("empty-category", "info", "经济效益指标下没有指标", cell="B18"),
    ]
    path = tmp_path / report_filename(form)
    write_report(path, form, score, problems)
    return path, all_text(docx.Document(str(path)))


def test_worked_example_figures(worked: tuple[Path, str]) -> None:
    path, text = worked
    assert path.name == "认证认可监管专项经费.docx"
    assert text.splitlines()[0] == "认证认可监管专项经费2018年度绩效自评报告"
    assert (
        "本项目共设置一级指标3个，二级指标9个，三级指标12个，其中已完成三级指标12个，"
        "指标完成率为100%。" in text
    )
    assert (
        "2018年度认证认可监管专项经费项目预算安排总额为5万元，其中财政资金5万元，"
        "上年结转0万元，其他资金0万元，2018年实际收到预算资金5万元。" in text
    )
    assert "本项目实际支付资金5万元，预算执行率100%。" in text
    assert "2018年本项目绩效目标全部达成，不存在未完成原因分析。" in text
    assert "经复核，本项目自评得分100分，复核得分100分，评价等级为优。" in text
    assert f"项目实际完成情况：{GOAL_ACTUAL}" in text
    assert "偏差原因：" not in text


def test_sections_in_order_of_2018_report(worked: tuple[Path, str]) -> None:
    _, text = worked
    headings = [
        "一、项目概况",
        "二、项目资金使用及管理情况",
        "三、项目组织实施情况",
        "四、项目绩效情况",
    ]
    headings += [
        "五、其他需要说明的问题",
        "六、项目评价工作情况",
        "七、附表",
        "《项目支出绩效目标自评表》",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    for placeholder in (
        "【待填写：单位职能、内设机构及人员编制】",
        "【待填写：项目性质",
        "【待核实】",
    ):
        assert placeholder in text


def test_deviation_sample(deviating: tuple[Path, str]) -> None:
    _, text = deviating
    assert "三级指标12个，其中已完成三级指标6个，指标完成率为50%。" in text
    assert "本项目实际支付资金4.3万元，预算执行率86%。" in text
    assert "经复核，本项目自评得分100分，复核得分82.08分，评价等级为良。" in text
    todo = "偏差原因：【待填写：偏差原因及改进措施】"
    for line in (
        f"监督检查企业数量：目标≥15家，实际完成12家，复核得分4.8分（实际 12家 < 目标 15家 → 6 × 12 ÷ 15 = 4.80），{todo}",
        f"监督检查次数：目标≥15次，实际完成9次，复核得分3.6分（实际 9次 < 目标 15次 → 6 × 9 ÷ 15 = 3.60），{todo}",
        f"完成监督检查任务时限：目标10月，实际完成11月，复核得分6.3分（延迟 1 个月 → 7 × (1 − 1 × 10%) = 6.30），{todo}",
        f"{SOCIAL}：目标有效保护消费者合法权益，实际完成部分达成，复核得分8分（定性：部分达成 → 10 × 80% = 8.00），{todo}",
        f"重大事故发生次数：目标0次，实际完成1次，复核得分0分（实际 1次 > 目标 0次 → 0.00），{todo}",
        f"服务对象满意度：目标≥90%，实际完成88%，复核得分9.78分（实际 88% < 目标 90% → 10 × 88 ÷ 90 = 9.78），{todo}",
    ):
        assert line in text.splitlines()
    assert text.count(todo) == 6
    # every score given in the report carries its arithmetic
    assert "预算执行复核得分8.6分（执行率 86.00% → 10 × 0.86 = 8.60）。" in text
    assert "1. 预算执行（10分）：执行率 86.00% → 10 × 0.86 = 8.60" in text
    assert "9. 计划认证认可监管专项经费（7分）：实际 4.3万元 ≤ 目标 5万元 → 满分 7.00" in text
    assert "全部达成" not in text
    # warnings are listed for the reviewer; info findings are not
    assert "[警告]（F6）预算执行率86%，低于90%" in text
    assert "经济效益指标下没有指标" not in text


def test_written_reason_is_used(tmp_path: Path) -> None:
    form, score = make_project(2019)
    first = score.indicators[0]
    ind = Indicator(**{**first.indicator.__dict__, "reason": CellValue("部分企业停产", "H14")})
    score = ProjectScore(
        **{
            **score.__dict__,
            "indicators": (IndicatorScore(**{**first.__dict__, "indicator": ind}),),
        }
    )
    text = all_text(build_report(form, score, []))
    assert "监督检查企业数量：目标≥15家，实际完成12家，复核得分4.8分（" in text
    assert "= 4.80），偏差原因：部分企业停产" in text


def test_appendix_table(deviating: tuple[Path, str]) -> None:
    path, _ = deviating
    document = docx.Document(str(path))
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    header = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因",
    ]
    assert header in rows
    start = rows.index(header) + 1
    body = rows[start : start + 14]  # 12 indicators + 2 empty categories
    assert [r[2] for r in body if r[2]] == [row[2] for row in ROWS]
    assert body[0][:8] == [
        "产出指标",
        "数量指标",
        "监督检查企业数量",
        "≥15家",
        "12家",
        "6",
        "4.8",
        "",
    ]
    assert ["效益指标", "生态效益指标", "", "", "", "", "", ""] in body
    assert rows[-1][-3:] == ["100", "82.08", "评价等级：良"]
    funds = next(r for r in rows if r[0] == "年度资金总额")
    assert funds[2:] == ["5", "5", "4.3", "10", "86%", "8.6"]
    # merged like the form: 产出 and 效益 (一级), 数量, 质量 and 社会效益 (二级)
    assert table._tbl.xml.count('w:vMerge w:val="restart"') == 2 + 3


def test_chinese_fonts_and_page(worked: tuple[Path, str]) -> None:
    path, _ = worked
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("word/styles.xml").decode()
        body = zf.read("word/document.xml").decode()
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S).group(0)
    assert 'w:eastAsia="宋体"' in normal
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S).group(0)
    assert 'w:eastAsia="黑体"' in heading and "eastAsiaTheme" not in heading
    assert "eastAsiaTheme" not in re.search(
        r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S
    ).group(0)
    runs = re.findall(r"<w:rFonts [^>]*/>", body)
    assert runs and all("w:eastAsia=" in r for r in runs)
    section = docx.Document(str(path)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_no_personal_data_and_same_bytes(tmp_path: Path) -> None:
    form, score = make_project(2018)
    first, second = (report_bytes(build_report(form, score, [])) for _ in range(2))
    assert first == second
    path = tmp_path / "r.docx"
    write_report(path, form, score, [])
    assert path.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["r.docx"]  # no temp file left
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600
    props = docx.Document(str(path)).core_properties
    assert props.author == "perfxl" and props.last_modified_by == "perfxl"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("认证认可监管专项经费", "认证认可监管专项经费.docx"),
        ('a/b\\c:d*e?f"g<h>i|j\x07k', "abcdefghijk.docx"),
        ("  ..  ", "x.docx"),  # no usable name: the source file's
        ("", "x.docx"),
        ("CON", "x.docx"),
        ("经费" * 100, "经费" * 40 + ".docx"),
    ],
)
def test_report_filename(name: str, expected: str) -> None:
    form = ProjectForm(file="x.xlsx", sheet="S", variant="split", project_name=CellValue(name))
    assert report_filename(form) == expected


def test_number_formats() -> None:
    assert [fmt_percent(x) for x in (1.0, 0.86, 1.025, 4.3 / 5, None)] == [
        "100%",
        "86%",
        "102.5%",
        "86%",
        "【待核实】",
    ]
    assert cell_text(CellValue(0.95, percent=True)) == "95%"
    assert cell_text(CellValue(15.0)) == "15"


def test_converts_to_pdf_with_libreoffice(worked: tuple[Path, str], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path, _ = worked
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()  # private profile: no clash with other runs
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    pdf = out / (path.stem + ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert "本项目共设置一级指标3个，二级指标9个，三级指标12个" in flat
