"""Draft the narrative self-evaluation report (自评报告.docx) of one project.

The structure copies a published 2018 self-evaluation report of the Kashgar
质量技术监督局 (the same project as the worked-example samples):
一、项目概况 … 七、附表. Every figure the workbook can supply is filled in; what
it cannot know (unit background, management, lessons) stays a visible
placeholder 【待填写：…】 so nobody mistakes the draft for a finished report.
Nothing personal (contact names, phone numbers) is taken from the form: the
model does not carry it, and this module only reads the model.

Fonts: Word and WPS pick the East Asian font from ``w:eastAsia`` only, so
every style and run gets it explicitly; theme fonts are removed because they
override the explicit names.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from perfxl.checks.codes import problem_key, severity_label
from perfxl.model import Problem, ProjectForm, ProjectScore
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.score.compute import amount
from perfxl.write.atomic import atomic_write_bytes
from perfxl.write.report_table import (
    BODY_FONT,
    CHECK,
    NO_NAME,
    add_run,
    appendix_table,
    cell_text,
    fmt_number,
    fmt_percent,
    name_fonts,
    project_name,
    set_fonts,
)

__all__ = ["CHECK", "NO_NAME", "TODO", "build_report", "cell_text", "fmt_number", "fmt_percent",
           "report_bytes", "report_filename", "write_report"]  # fmt: skip

HEADING_FONT = "黑体"
BODY_SIZE = Pt(12)  # 小四
TABLE_SIZE = Pt(10.5)  # 五号
MAX_NAME_CHARS = 80  # 80 CJK chars = 240 UTF-8 bytes, under the 255-byte limit
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # same input -> same bytes
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)
}

TODO = "【待填写：{}】"


# ---------------------------------------------------------------- names and figures


def _wan(value: float | None) -> str:
    return CHECK if value is None else f"{fmt_number(value, 4)}万元"


def report_title(name: str, year: int | None) -> str:
    """ "<项目名称><年度>年度绩效自评报告", the year once: a name that already
    holds it ("2023年农村公路日常养护") is not followed by it again."""
    if not year or str(year) in name:
        return f"{name}绩效自评报告"
    return f"{name}{year}年度绩效自评报告"


def _year_text(form: ProjectForm) -> str:
    return f"{form.year}年" if form.year else "本年"


def report_filename(form: ProjectForm) -> str:
    """``<项目名称>.docx``, safe on Windows, macOS and Linux file systems."""
    for candidate in (form.project_name.text, PurePath(form.file).stem):
        name = _UNSAFE.sub("", candidate)
        name = re.sub(r"\s+", " ", name).strip().strip(".").strip()
        name = name[:MAX_NAME_CHARS].rstrip(" .")
        if name and name.upper() not in _WINDOWS_RESERVED:
            return f"{name}.docx"
    return f"{NO_NAME}.docx"


# ---------------------------------------------------------------- page and styles


def _setup_document(doc: DocxDocument) -> None:
    """A4 portrait, Chinese fonts in every style used, black headings."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    name_fonts(rpr.find(qn("w:rFonts")), BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for style_name, font, size in (
        ("Normal", BODY_FONT, BODY_SIZE),
        ("Heading 1", HEADING_FONT, Pt(16)),
        ("Heading 2", HEADING_FONT, Pt(14)),
        ("Title", HEADING_FONT, Pt(22)),
        ("Table Grid", BODY_FONT, TABLE_SIZE),
    ):
        style = doc.styles[style_name]
        style.font.name = font
        set_fonts(style.element, font)
        style.font.size = size
        if style_name != "Table Grid":
            style.font.color.rgb = RGBColor(0, 0, 0)
    for style_name in ("Heading 1", "Heading 2"):
        doc.styles[style_name].paragraph_format.space_before = Pt(12)
        doc.styles[style_name].paragraph_format.space_after = Pt(6)
    title_ppr = doc.styles["Title"].element.pPr
    border = title_ppr.find(qn("w:pBdr")) if title_ppr is not None else None
    if border is not None:
        title_ppr.remove(border)
    _page(doc.sections[0], landscape=False)
    props = doc.core_properties
    props.author = props.last_modified_by = "perfxl"
    props.comments = "由 perfxl 根据项目支出绩效自评表生成的报告初稿"


def _page(section: Any, *, landscape: bool) -> None:
    short, long = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = section.bottom_margin = Mm(25.4)
    section.left_margin = section.right_margin = Mm(25.4 if landscape else 31.8)


# ---------------------------------------------------------------- narrative


class _Writer:
    """Adds headings and body paragraphs with the fonts and indents of the report."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc

    def heading(self, text: str, level: int) -> None:
        add_run(self.doc.add_paragraph(style=f"Heading {level}"), text, HEADING_FONT)

    def todo(self, heading: str, what: str) -> None:
        """A 2nd-level heading whose content only the unit can write."""
        self.heading(heading, 2)
        self.para(TODO.format(what))

    def para(self, text: str, *, indent: bool = True) -> None:
        paragraph = self.doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.line_spacing = 1.5
        fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(24)  # two characters
        add_run(paragraph, text)


def build_report(
    form: ProjectForm, score: ProjectScore, problems: list[Problem], rules: Rules = DEFAULT
) -> DocxDocument:
    """The draft report as a python-docx Document (not yet saved)."""
    doc = docx.Document()
    _setup_document(doc)
    w = _Writer(doc)
    name, year = project_name(form), _year_text(form)
    title = report_title(name, form.year)
    doc.core_properties.title = title
    heading = doc.add_paragraph(style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(heading, title, HEADING_FONT)

    w.heading("一、项目概况", 1)
    w.heading("（一）项目单位基本情况", 2)
    units = [f"主管部门为{form.department.text}" if form.department.text else ""]
    units.append(f"实施单位为{form.implementer.text}" if form.implementer.text else "")
    if any(units):
        w.para(f"本项目{'，'.join(u for u in units if u)}。")
    w.para(TODO.format("单位职能、内设机构及人员编制"))
    w.heading("（二）项目预算绩效目标设定情况", 2)
    w.para("1、项目预期目标及阶段性目标", indent=False)
    w.para(cell_text(form.goal_expected) or TODO.format("项目预期目标及阶段性目标"))
    w.para("2、项目基本性质", indent=False)
    w.para(TODO.format("项目性质（新增项目或延续项目）"))
    w.para("3、项目用途及范围", indent=False)
    w.para(TODO.format("项目资金用途及范围"))

    _funds_section(w, form, score, name, year)

    w.heading("三、项目组织实施情况", 1)
    w.todo("（一）项目组织情况分析", "招投标、项目调整及检查验收情况")
    w.todo("（二）项目管理情况分析", "管理制度的建立及执行情况、项目进度督导情况")

    _performance_section(w, form, score, year, rules)

    w.heading("五、其他需要说明的问题", 1)
    w.todo("（一）后续工作计划", "后续工作计划")
    w.todo("（二）主要经验及做法、存在问题和建议", "主要经验及做法、存在的问题和建议")
    w.heading("（三）其他", 2)
    shown = sorted(
        (p for p in problems if p.severity != "info"),
        key=lambda p: problem_key(p.severity, p.file, p.sheet, p.cell),
    )
    if shown:
        w.para("复核自评表时发现以下问题，请核实后修改自评表和本报告：")
        for i, p in enumerate(shown, 1):
            where = f"（{p.cell}）" if p.cell else ""
            w.para(f"{i}. [{severity_label(p.severity)}]{where}{p.message}")
    else:
        w.para(TODO.format("其他需要说明的问题，无则写“无其他说明内容”"))

    w.heading("六、项目评价工作情况", 1)
    self_text = f"{fmt_number(score.self_total)}分" if score.self_total is not None else "未填写"
    w.para(
        f"经复核，本项目自评得分{self_text}，复核得分{fmt_number(score.total)}分，"
        f"评价等级为{score.grade}。"
    )
    _calculation(w, score)
    errors = sum(1 for p in problems if p.severity == "error")
    if errors:
        w.para(f"自评表存在{errors}个错误，复核得分仅供参考，请修正后重新复核。")
    w.para(TODO.format("评价工作组织情况（评价组织方式、基础数据收集及核实过程）"))

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    w.heading("七、附表", 1)
    caption = doc.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(caption, "《项目支出绩效目标自评表》", HEADING_FONT)
    appendix_table(doc, form, score)
    return doc


def _funds_section(
    w: _Writer, form: ProjectForm, score: ProjectScore, name: str, year: str
) -> None:
    factor = form.money_factor
    parts = {
        kind: amount(row.budget, factor) if (row := form.fund(kind)) else None
        for kind in ("fiscal", "carryover", "other")
    }
    total = score.budget
    project = name if name.endswith("项目") else f"{name}项目"
    w.heading("二、项目资金使用及管理情况", 1)
    w.heading("（一）项目资金安排落实、总投入等情况分析", 2)
    w.para(
        f"{year}度{project}预算安排总额为{_wan(total)}，其中财政资金{_wan(parts['fiscal'])}，"
        f"上年结转{_wan(parts['carryover'])}，其他资金{_wan(parts['other'])}，"
        f"{year}实际收到预算资金{_wan(total)}。"
    )
    w.para(f"注：预算安排按自评表“全年预算数”列示，实际收到预算资金按预算安排数填列，{CHECK}。")
    w.heading("（二）项目资金实际使用情况分析", 2)
    w.para(f"本项目实际支付资金{_wan(score.executed)}，预算执行率{fmt_percent(score.rate)}。")
    w.para(f"预算执行复核得分{fmt_number(score.budget_score)}分（{score.budget_explanation}）。")
    w.para(TODO.format("项目资金的主要用途"))
    w.todo(
        "（三）项目资金管理情况分析",
        "财务管理制度、资金拨付审批程序，是否存在截留、挤占、挪用等情况",
    )


def _performance_section(
    w: _Writer, form: ProjectForm, score: ProjectScore, year: str, rules: Rules
) -> None:
    w.heading("四、项目绩效情况", 1)
    w.heading("（一）项目绩效目标完成情况分析", 2)
    w.para(
        f"本项目共设置一级指标{score.level1_count}个，二级指标{score.level2_count}个，"
        f"三级指标{score.level3_count}个，其中已完成三级指标{score.achieved_count}个，"
        f"指标完成率为{fmt_percent(score.completion_rate)}。"
    )
    actual = cell_text(form.goal_actual)
    w.para(f"项目实际完成情况：{actual}" if actual else TODO.format("项目实际完成情况"))
    w.para(TODO.format("经济性、效率性、效益性分析"))
    w.heading("（二）项目绩效目标未完成原因分析", 2)
    no_reason = frozenset(rules.words.no_reason)
    missed = [s for s in score.indicators if s.achieved is False]
    for s in missed:
        ind = s.indicator
        reason = cell_text(ind.reason)
        if not reason or reason in no_reason:
            reason = TODO.format("偏差原因及改进措施")
        w.para(
            f"{ind.name}：目标{cell_text(ind.target) or '未填写'}，"
            f"实际完成{cell_text(ind.actual) or '未填写'}，"
            f"复核得分{fmt_number(s.review)}分（{s.explanation}），偏差原因：{reason}"
        )
    if not missed:
        w.para(f"{year}本项目绩效目标全部达成，不存在未完成原因分析。")


def _calculation(w: _Writer, score: ProjectScore) -> None:
    """Every review score with its arithmetic, so the unit can check each one."""
    w.para("复核得分的计算过程如下：")
    w.para(f"1. 预算执行（{fmt_number(score.budget_weight)}分）：{score.budget_explanation}")
    for i, s in enumerate(score.indicators, 2):
        w.para(f"{i}. {s.indicator.name}（{fmt_number(s.weight)}分）：{s.explanation}")
    if score.total_explanation:
        w.para(f"总分封顶：{score.total_explanation}")


# ---------------------------------------------------------------- saving


def report_bytes(doc: DocxDocument) -> bytes:
    """The .docx bytes with fixed zip timestamps, so a rerun gives the same file."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, _FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_report(
    path: Path,
    form: ProjectForm,
    score: ProjectScore,
    problems: Iterable[Problem],
    rules: Rules = DEFAULT,
) -> None:
    """Build the report and write it atomically to ``path``."""
    doc = build_report(form, score, list(problems), rules)
    atomic_write_bytes(Path(path), report_bytes(doc))
