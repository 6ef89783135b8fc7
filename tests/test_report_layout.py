"""The report draft as printed: a title with the year once, an appended table
whose rows never split across pages and whose numbers never wrap, and a
name for a form that has none."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as etree
import zipfile
from pathlib import Path

import docx
from test_report import make_project

from perfxl.model import CellValue
from perfxl.write.report import build_report, report_filename, report_title, write_report
from perfxl.write.report_table import WIDTHS_MM, project_name

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_title_names_the_year_once() -> None:
    assert report_title("农村公路日常养护", 2023) == "农村公路日常养护2023年度绩效自评报告"
    assert report_title("2023年农村公路日常养护", 2023) == "2023年农村公路日常养护绩效自评报告"
    assert report_title("农村公路日常养护", None) == "农村公路日常养护绩效自评报告"
    form, score = make_project(2019)
    form = dataclasses.replace(form, project_name=CellValue("2019年认证认可监管专项经费", "B3"))
    doc = build_report(form, score, [])
    assert doc.core_properties.title == "2019年认证认可监管专项经费绩效自评报告"
    assert doc.paragraphs[0].text.count("2019") == 1


def test_unnamed_form_gets_its_source_file_name(tmp_path: Path) -> None:
    form, score = make_project(2019)
    form = dataclasses.replace(form, project_name=CellValue(None, "B3"))
    assert project_name(form) == "认证认可"  # from 2019/认证认可.xlsx
    assert report_filename(form) == "认证认可.docx"
    doc = build_report(form, score, [])
    assert doc.paragraphs[0].text == "认证认可2019年度绩效自评报告"
    assert doc.tables[-1].rows[0].cells[1].text == "认证认可"


def _table_rows(path: Path) -> list[etree.Element]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    tables = root.findall(f".//{W}tbl")
    return tables[-1].findall(f"{W}tr")  # the appended 自评表


def test_appended_table_rows_never_split_and_numbers_never_wrap(tmp_path: Path) -> None:
    form, score = make_project(2019)
    path = tmp_path / "报告.docx"
    write_report(path, form, score, [])
    rows = _table_rows(path)
    assert rows and all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    numbers, wrapped = [], []
    for tr in rows:
        for tc in tr.findall(f"{W}tc"):
            text = "".join(t.text or "" for t in tc.iter(f"{W}t")).strip()
            if text and text.replace(".", "").replace("%", "").replace(",", "").isdigit():
                numbers.append(text)
                if tc.find(f"{W}tcPr/{W}noWrap") is None:
                    wrapped.append(text)
    assert "86%" in numbers or "86.00%" in numbers  # the execution rate is among them
    assert len(numbers) > 20 and wrapped == []
    # every tcPr keeps the schema order: noWrap never after vAlign
    for tc_pr in (tc.find(f"{W}tcPr") for tr in rows for tc in tr.findall(f"{W}tc")):
        tags = [c.tag for c in tc_pr] if tc_pr is not None else []
        if f"{W}vAlign" in tags and f"{W}noWrap" in tags:
            assert tags.index(f"{W}noWrap") < tags.index(f"{W}vAlign")
    assert sum(WIDTHS_MM) == 246  # still the width between the margins
    assert docx.Document(str(path)).tables  # python-docx reads it back
