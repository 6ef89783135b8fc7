"""The 汇总表 as a leader reads it: the print sheet first, rendered to PDF by
LibreOffice at a readable size; 说明 explaining every column; percentages
shown as percentages; problem messages that name a thing once."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from perfxl.pipeline import run_inbox
from perfxl.rules.schema import DEFAULT
from perfxl.testing.corpus import generate_corpus
from perfxl.write.summary import percent_texts, problem_text, sheet_headers
from perfxl.write.summary_notes import COLUMN_NOTES, rules_sentences
from perfxl.write.summary_print import PRINT_COLUMNS, PRINT_SHEET, title_text

KEY_COLUMNS = ["序号", "主管部门", "项目名称", "全年预算数", "执行率", "自评总分", "复核总分",
               "复核等级", "问题数"]  # fmt: skip
BUREAU = "某某市财政局"
KASHGAR_2019_NAME = "2019-喀什地区质量技术监督局-认证认可监管专项经费-偏差.xlsx"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, openpyxl.Workbook]:
    """`run` over samples/ (10 forms), summary only, with the bureau's name."""
    root = tmp_path_factory.mktemp("print")
    result = run_inbox(Path(__file__).parent.parent / "samples", root / "out", completed=False,
                       jobs=1, bureau=BUREAU)  # fmt: skip
    assert result.summary is not None
    return result.summary, openpyxl.load_workbook(result.summary)


def test_print_sheet_comes_first_with_the_key_columns(built) -> None:
    _, wb = built
    assert wb.sheetnames[:2] == [PRINT_SHEET, "汇总"]
    ws = wb[PRINT_SHEET]
    assert ws["A1"].value == f"2018—2024年度{BUREAU}项目支出绩效自评汇总表"
    assert [c.value for c in ws[2]] == KEY_COLUMNS
    data = [r for r in ws.iter_rows(min_row=3, values_only=True)]
    assert len(data) == 11 and data[-1][0] == "合计"  # 10 forms and the totals row
    kashgar_2019 = next(r for r in data if r[6] == 82.08)
    assert kashgar_2019[1:3] == ("喀什地区质量技术监督局", "认证认可监管专项经费")
    assert kashgar_2019[4] == pytest.approx(0.86) and kashgar_2019[7] == "良"
    assert kashgar_2019[8] == 15  # its errors and warnings on 问题清单
    assert ws.cell(3, 5).number_format == "0.00%" and ws.cell(3, 4).number_format == "#,##0.00"


def test_print_setup(built) -> None:
    _, wb = built
    ws = wb[PRINT_SHEET]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$1:$2"  # title and header on every page
    assert ws.freeze_panes == "D3"  # the project name stays in view
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    # 100 units fit A4 landscape at 100 % even with LibreOffice's wide digits
    assert sum(width for _, _, width in PRINT_COLUMNS) == 100


def test_title_text() -> None:
    assert title_text([2023.0, None, 2023.0], "") == "2023年度项目支出绩效自评汇总表"
    assert title_text([], BUREAU) == f"{BUREAU}项目支出绩效自评汇总表"


def test_summary_keeps_both_grades(built) -> None:
    _, wb = built
    rows = list(wb["汇总"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    k19 = next(r for r in rows[1:] if r[col["复核总分"]] == 82.08)
    assert (k19[col["自评总分"]], k19[col["自评等级"]]) == (100, "优")
    assert k19[col["复核等级"]] == "良"


def test_chart_data_are_percentages(built) -> None:
    _, wb = built
    ws = wb["图表"]
    assert (ws["A8"].value, ws["B8"].value) == ("主管部门", "执行率")
    rates = [ws.cell(r, 2) for r in range(9, 9 + 8)]  # 8 departments in samples/
    assert all(isinstance(c.value, (int, float)) and 0 < c.value <= 1 for c in rates)
    assert {c.number_format for c in rates} == {"0.00%"}
    assert len(ws._charts) == 3


def test_indicator_details_name_the_project_and_show_percentages(built) -> None:
    _, wb = built
    rows = list(wb["指标明细"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    assert col["项目名称"] == 1
    assert all(r[col["项目名称"]] for r in rows[1:])
    percent = [r for r in rows[1:] if r[col["单位"]] == "%"]
    values = [r[c] for r in percent for c in (col["年度指标值"], col["实际完成值"])]
    assert values and all(str(v).endswith(("%", "％")) for v in values), values
    assert percent_texts(["1", "100", "0.95", "≥90%", "约九成"], ["%"] * 5) == [
        "100%", "100%", "95%", "≥90%", "约九成"]  # fmt: skip
    assert percent_texts(["1"], ["个"]) == ["1"]


def test_notes_explain_every_column_of_every_sheet(built) -> None:
    _, wb = built
    notes = [r[:2] for r in wb["说明"].iter_rows(values_only=True)]
    text = "\n".join(str(v) for r in notes for v in r if v)
    for sheet, headers in sheet_headers().items():
        start = next(i for i, r in enumerate(notes) if r[0] == f"“{sheet}”工作表各列")
        explained = {}
        for label, meaning in notes[start + 1 :]:
            if label is None:
                break
            explained[label] = meaning
        assert list(explained) == headers, sheet
        assert all(m and m != "（本列暂无说明）" for m in explained.values()), sheet
    actual = {PRINT_SHEET: [c.value for c in wb[PRINT_SHEET][2]]}
    for name in ("汇总", "部门汇总", "指标明细", "问题清单"):
        actual[name] = [c.value for c in wb[name][1]]
    for sheet, headers in actual.items():
        assert headers == sheet_headers()[sheet], sheet  # what 说明 explains is what is there
    assert "加权平均复核得分" in text and "Σ(复核总分 × 全年预算数)" in text
    assert "等级线：90 分及以上为“优”，80 分及以上为“良”，60 分及以上为“中”，其余为“差”" in text
    assert f"使用的规则：{DEFAULT.title}。" in text and "全国默认" in text
    assert "[grades]" in text  # the raw rules follow at the end


def test_every_explained_sheet_exists_and_rules_read_as_sentences() -> None:
    assert set(sheet_headers()) <= set(COLUMN_NOTES)
    sentences = rules_sentences(DEFAULT)
    assert any("预算执行得分 = 分值 × 执行率" in s for s in sentences)
    assert any("执行率低于 90% 报“低执行率”" in s for s in sentences)
    assert all(s.endswith("。") for s in sentences)


def test_problem_messages_name_a_thing_once(built) -> None:
    _, wb = built
    messages = [r[5] for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert messages
    doubled = [m for m in messages if re.match(r"【(.+?)】「\1」", m)]
    assert doubled == []
    assert problem_text("监督检查次数", "「监督检查次数」自评得分 6，复核得分 3.6") == (
        "「监督检查次数」自评得分 6，复核得分 3.6"
    )
    assert problem_text("总分", "与各项得分之和不符") == "【总分】与各项得分之和不符"
    assert wb["问题清单"].column_dimensions["F"].width <= 62


def _soffice_pdf(xlsx: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    profile = (outdir / "lo-profile").as_uri()  # private profile: no clash with other runs
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return outdir / (xlsx.stem + ".pdf")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    return text.split("\f")


def _sheet_pages(pages: list[str], sheet: str) -> list[int]:
    """The pages whose footer names ``sheet`` ("汇总（打印）   第 1 页，共 8 页")."""
    footer = re.compile(rf"^\s*{re.escape(sheet)}\s+第 \d+ 页", re.MULTILINE)
    return [i for i, page in enumerate(pages, 1) if footer.search(page)]


def _cjk_sizes(pdf: Path, page: int, words: set[str]) -> dict[str, float]:
    """The printed size of each of ``words`` found on ``page``: a CJK glyph is one
    em wide, so a word's width divided by its characters is its font size."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    sizes = {}
    for x0, x1, word in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
                                   r'yMax="[\d.]+">([^<]+)<', html):  # fmt: skip
        if word in words and all("\u4e00" <= ch <= "\u9fff" for ch in word):
            sizes[word] = (float(x1) - float(x0)) / len(word)
    return sizes


def test_print_sheet_renders_readable_on_one_a4_page(built, tmp_path: Path) -> None:
    path, wb = built
    pdf = _soffice_pdf(path, tmp_path)
    pages = _pages(pdf)
    printed = _sheet_pages(pages, PRINT_SHEET)
    assert printed == [1]  # 10 projects: the print sheet is one page, the first
    names = {r[2] for r in wb[PRINT_SHEET].iter_rows(min_row=3, values_only=True) if r[2]}
    flat = re.sub(r"\s+", "", pages[0])
    assert all(re.sub(r"\s+", "", n) in flat for n in names)
    sizes = _cjk_sizes(pdf, 1, {n for n in names if "合计" not in n})
    assert sizes and min(sizes.values()) >= 9.0, sizes  # at least 9 pt after print scaling


def test_long_print_sheet_repeats_title_and_header(tmp_path: Path) -> None:
    """60 generated projects: several pages, each with the title and the header row,
    every project name on some page, text still at least 9 pt."""
    inbox = tmp_path / "收件箱"
    generate_corpus(inbox, 60, seed=3)
    result = run_inbox(inbox, tmp_path / "out", completed=False, jobs=1, bureau=BUREAU)
    assert result.summary is not None
    wb = openpyxl.load_workbook(result.summary)
    names = [r[2] for r in wb[PRINT_SHEET].iter_rows(min_row=3, values_only=True)][:-1]
    pdf = _soffice_pdf(result.summary, tmp_path)
    pages = _pages(pdf)
    printed = _sheet_pages(pages, PRINT_SHEET)
    rows = len(names) + 3
    assert printed[0] == 1 and printed == list(range(1, len(printed) + 1))
    assert 2 <= len(printed) <= rows // 12 + 1  # ≥ 12 rows a page: not shrunk, not one a page
    for i in printed:
        assert "项目支出绩效自评汇总表" in pages[i - 1] and "复核等级" in pages[i - 1]
    flat = re.sub(r"\s+", "", "".join(pages[i - 1] for i in printed))
    # a long name wraps inside its cell (its lines interleave with the next
    # columns' in the text), so its first line is what is looked for
    missing = [n for n in names if n and re.sub(r"\s+", "", n)[:10] not in flat]
    assert missing == []
    sizes = _cjk_sizes(pdf, printed[-1], {"序号", "主管部门", "项目名称", "复核等级"})
    assert sizes and min(sizes.values()) >= 9.0, sizes


def _raw_text(pdf: Path) -> str:
    """The PDF's text in reading order with all white space removed: a wrapped
    cell comes out as one run, so a message that printed whole is a substring."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout  # fmt: skip
    return re.sub(r"\s+", "", text)


def test_long_messages_wrap_and_print_whole(tmp_path: Path) -> None:
    """The 复核 sheet of a completed copy and 问题清单 of the 汇总表: every message
    is printed to its last character (rows as tall as their wrapped text)."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(Path(__file__).parent.parent / "samples" / KASHGAR_2019_NAME, inbox)
    result = run_inbox(inbox, tmp_path / "out", jobs=1)
    assert result.summary is not None and len(result.completed) == 1
    review = openpyxl.load_workbook(result.completed[0])["复核"]
    start = next(r for r in range(1, review.max_row + 1) if review.cell(r, 1).value == "问题清单")
    messages = [review.cell(r, 5).value for r in range(start + 2, review.max_row + 1)]
    messages = [m for m in messages if m]
    long = [m for m in messages if len(m) > 30]
    assert long  # the sample has messages that must wrap
    for r in range(start + 2, review.max_row + 1):
        if len(str(review.cell(r, 5).value or "")) > 30:
            assert review.cell(r, 5).alignment.wrap_text and review.row_dimensions[r].height >= 30
    printed = _raw_text(_soffice_pdf(result.completed[0], tmp_path / "review"))
    missing = [m for m in messages if re.sub(r"\s+", "", m) not in printed]
    assert missing == []
    wb = openpyxl.load_workbook(result.summary)
    listed = [row[5] for row in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    summary_pdf = _soffice_pdf(result.summary, tmp_path / "summary")
    printed = _raw_text(summary_pdf)
    missing = [m for m in listed if re.sub(r"\s+", "", m) not in printed]
    assert missing == []
