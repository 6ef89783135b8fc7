"""Untrusted workbooks: nothing crashes the batch, nothing is lost, nothing is injected.

Every hostile or broken file here is built by the test itself (tmp_path), put
in a folder beside the shipped samples and run through the real pipeline: each
one must come out as exactly one located problem with the right code, while the
good forms are scored exactly as in a clean run and the inputs stay untouched.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest
import python_calamine
from conftest import KASHGAR_2018, SAMPLES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from perfxl.batch.frames import build_frames
from perfxl.checks.catalog import check_all
from perfxl.cli import app
from perfxl.forms.generate import (
    FormSpec,
    IndicatorSpec,
    generate_corpus,
    layout_form,
    render_xlsx,
    write_form,
)
from perfxl.loop.steps import LoopOptions
from perfxl.pipeline import SUMMARY_NAME, completed_names, run_inbox
from perfxl.read.sniff import sheet_extent, sniff
from perfxl.read.workbook import read_bytes, read_workbook
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.score.compute import score_form

runner = CliRunner()
XLS_SAMPLE = SAMPLES / "2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls"

# --------------------------------------------------------------------------- builders

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="明细" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def package(sheet_data: bytes) -> bytes:
    """A minimal one-sheet .xlsx whose <sheetData> is given as raw XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
                b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            fh.write(sheet_data)
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def rezip(data: bytes, edits: dict, extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of a package with some members rewritten (member -> bytes -> bytes)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename in edits:
                part = edits[info.filename](part)
            dst.writestr(info.filename, part)
        for name, part in (extra or {}).items():
            dst.writestr(name, part)
    return out.getvalue()


def sheet_member(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def with_doctype(xml: bytes, use: bool = True) -> bytes:
    """Billion laughs: declare nested entities after the XML declaration and
    (with ``use``) put the outermost one in place of the first text."""
    k = xml.index(b"?>") + 2
    xml = xml[:k] + LAUGHS + xml[k:]
    return re.sub(rb"<t>[^<]*</t>", b"<t>&lol9;</t>", xml, count=1) if use else xml


def million_rows() -> bytes:
    """A sheet of 1,000,000 rows × 3 numbers (53 MB of XML, 0.4 MB zipped)."""
    return package(b"<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>" * 1_000_000)


def far_cell() -> bytes:
    """Two values, in A1 and XFD1048576: 300 bytes that make calamine allocate
    the whole 17-billion-cell rectangle (it aborted the process before)."""
    return package(
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )


def zip_bomb(data: bytes) -> bytes:
    """A real form plus a 64 MB part of zeros that deflates to ~64 KB."""
    return rezip(data, {}, {"xl/media/image1.png": b"\0" * (64 * 1024 * 1024)})


def add_merges(data: bytes, refs: list[str]) -> bytes:
    def edit(xml: bytes) -> bytes:
        cells = "".join(f'<mergeCell ref="{r}"/>' for r in refs).encode()
        return re.sub(rb'<mergeCells count="\d+">', lambda m: m.group(0) + cells, xml, count=1)

    return rezip(data, {sheet_member(data): edit})


def nested_merges(data: bytes, depth: int = 30) -> bytes:
    """Russian-doll merges (Excel refuses overlaps; a crafted file need not) right
    of the form, 30 deep: the reader and the completed-copy writer must cope."""
    from openpyxl.utils import get_column_letter as col

    refs = [
        f"{col(20 + k)}{1 + k}:{col(20 + 2 * depth - k)}{1 + 2 * depth - k}" for k in range(depth)
    ]
    return add_merges(data, refs)


def encrypted(data: bytes) -> bytes:
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(data)).encrypt("密码123", out)
    return out.getvalue()


def cyclic(path: Path) -> Path:
    """The Kashgar form with 全年执行数 and 执行率 of the total row pointing at each
    other (A1=B1, B1=A1), saved by openpyxl: no cached values, as a program saves."""
    form = read_workbook(KASHGAR_2018).forms[0]
    total = form.fund("total")
    assert total and total.executed.cell and total.rate.cell
    wb = load_workbook(KASHGAR_2018)
    ws = wb[form.sheet]
    ws[total.executed.cell] = f"={total.rate.cell}"
    ws[total.rate.cell] = f"={total.executed.cell}"
    wb.save(path)
    return path


SCRIPTS = "多语种 Ελληνικά Кириллица العربية עברית हिन्दी ไทย 한국어 カタカナ ᠮᠣᠩᠭᠣᠯ ئۇيغۇرچە བོད་ཡིག"
EMOJI = "🚀👩‍🔬🇨🇳🧧👍🏽"


def scripts_spec() -> FormSpec:
    """A form whose texts are in many scripts and emoji (ZWJ, flags, skin tones)."""
    return FormSpec(
        year=2024,
        project_name=f"{SCRIPTS} {EMOJI}项目",
        department="多语种局 Ωμέγα",
        implementer=f"实施单位 {EMOJI}",
        funds={"total": (10.0, 10.0, 10.0), "fiscal": (10.0, 10.0, 10.0)},
        goal_expected=f"目标 {SCRIPTS}",
        goal_actual=f"完成 {EMOJI}",
        indicators=[
            IndicatorSpec(
                "产出指标", "数量指标", f"培训人次 {EMOJI}", "≥100人次", "120人次", 50, 50
            ),
            IndicatorSpec(
                "效益指标", "社会效益指标", f"影响 {SCRIPTS[:20]}", "有所提升", "达成", 30, 30
            ),
            IndicatorSpec("满意度指标", "服务对象满意度指标", "满意度 😀", "≥90%", "95%", 10, 10),
        ],
        total_self=100,
    )


# --------------------------------------------------------------------------- the bad inbox

# file name -> (builder, expected status, expected code of its one problem or None)
BAD: dict[str, tuple] = {
    "坏-截断.xlsx": (lambda: KASHGAR_2018.read_bytes()[:3000], "failed", "file-unreadable"),
    "坏-不是工作簿.xlsx": (lambda: _plain_zip(), "failed", "file-unreadable"),
    "坏-加密.xlsx": (lambda: encrypted(KASHGAR_2018.read_bytes()), "failed", "file-encrypted"),
    "坏-空文件.xlsx": (lambda: b"", "failed", "file-unreadable"),
    "改名-实为xls.xlsx": (lambda: XLS_SAMPLE.read_bytes(), "read", None),
    "改名-实为xlsx.xls": (lambda: KASHGAR_2018.read_bytes(), "read", None),
    "~$锁定文件.xlsx": (lambda: b"\x0bzhang san  " + b"\0" * 150, "skipped", "skipped-file"),
    "说明.txt": (lambda: "请查收。".encode(), "skipped", "skipped-file"),
    "扫描件.pdf": (lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "skipped", "skipped-file"),
    "坏-百万行.xlsx": (million_rows, "failed", "file-too-large"),
    "坏-远端单元格.xlsx": (far_cell, "failed", "file-too-large"),
    "坏-压缩炸弹.xlsx": (lambda: zip_bomb(KASHGAR_2018.read_bytes()), "failed", "file-too-large"),
    "坏-实体炸弹-共享字符串.xlsx": (
        lambda: rezip(KASHGAR_2018.read_bytes(), {"xl/sharedStrings.xml": with_doctype}),
        "failed",
        "file-unreadable",
    ),
    "坏-实体声明-工作表.xlsx": (
        lambda: rezip(
            KASHGAR_2018.read_bytes(),
            {sheet_member(KASHGAR_2018.read_bytes()): lambda x: with_doctype(x, use=False)},
        ),
        "failed",
        "file-unreadable",
    ),
    "坏-合并炸弹.xlsx": (
        lambda: add_merges(KASHGAR_2018.read_bytes(), ["Z1:XFD1048576"]),
        "failed",
        "file-too-large",
    ),
    "坏-大合并.xlsx": (  # 1.9 M merged cells: openpyxl alone took 21 s on it
        lambda: add_merges(KASHGAR_2018.read_bytes(), ["Z1:AZ70000"]),
        "failed",
        "file-too-large",
    ),
    "嵌套合并.xlsx": (lambda: nested_merges(KASHGAR_2018.read_bytes()), "read", None),
}


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "这是一个压缩包，不是工作簿")
        z.writestr("data/表.csv", "a,b\n1,2\n")
    return buf.getvalue()


def fill_bad(folder: Path) -> None:
    for name, (build, _, _) in BAD.items():
        (folder / name).write_bytes(build())
    cyclic(folder / "循环公式.xlsx")
    write_form(folder / f"多语种{EMOJI}.xlsx", scripts_spec(), sheet_name=f"自评表{EMOJI}Ωmega")


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def sheet_rows(path: Path, sheet: str) -> list[dict]:
    ws = load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    return [dict(zip(head, r, strict=False)) for r in rows[1:]]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The samples plus one of each bad file, through run_inbox once; and a
    clean run of the samples alone, to compare the good forms with."""
    root = tmp_path_factory.mktemp("robust")
    inbox = root / "收件箱"
    shutil.copytree(SAMPLES, inbox)
    fill_bad(inbox)
    before = digest(inbox)
    started = time.monotonic()
    # several bad files are renamed copies of one sample: all of them are counted
    result = run_inbox(inbox, root / "输出", jobs=2, loop=LoopOptions(keep_all=True))
    elapsed = time.monotonic() - started
    clean = run_inbox(SAMPLES, root / "干净", jobs=1, completed=False)
    return inbox, root / "输出", result, clean, before, elapsed


def test_each_bad_file_is_one_located_problem_and_the_batch_goes_on(batch):
    inbox, _, result, _, _, elapsed = batch
    files = result.batch.files.set_index("file")
    probs = result.batch.problems
    assert elapsed < 30
    for name, (_, status, code) in BAD.items():
        assert files.loc[name, "status"] == status, name
        if code is not None:
            mine = probs[probs["file"] == name]
            assert list(mine["code"]) == [code], (
                name,
                mine[["code", "message"]].to_dict("records"),
            )
            assert mine["message"].str.contains(r"[\u4e00-\u9fff]").all()
    for name in ("坏-百万行.xlsx", "坏-远端单元格.xlsx"):  # located to the sheet
        assert list(probs[probs["file"] == name]["sheet"]) == ["明细"]
    # all samples read as without the bad files
    for p in SAMPLES.iterdir():
        assert files.loc[p.name, "status"] == "read"


def test_renamed_files_read_by_content(batch):
    _, _, result, _, _, _ = batch
    p = result.batch.projects.set_index("file")
    assert p.loc["改名-实为xls.xlsx", "project_name"] == "公共文化服务体系建设专项资金"
    assert p.loc["改名-实为xlsx.xls", "project_name"] == "认证认可监管专项经费"
    # the renamed .xls is read with its content, so its completed copy is a real .xlsx
    assert p.loc["改名-实为xlsx.xls", "review_total"] == p.loc[KASHGAR_2018.name, "review_total"]


def test_scripts_emoji_cycles_and_nested_merges_read(batch):
    _, out, result, _, _, _ = batch
    p = result.batch.projects.set_index("file")
    multi = f"多语种{EMOJI}.xlsx"
    assert p.loc[multi, "project_name"] == f"{SCRIPTS} {EMOJI}项目"
    assert p.loc[multi, "sheet"] == f"自评表{EMOJI}Ωmega"
    assert p.loc[multi, "review_total"] == pytest.approx(100.0)
    assert p.loc["循环公式.xlsx", "project_name"] == "认证认可监管专项经费"
    assert p.loc["嵌套合并.xlsx", "review_total"] == p.loc[KASHGAR_2018.name, "review_total"]
    summary = sheet_rows(out / SUMMARY_NAME, "汇总")
    assert any(r["项目名称"] == f"{SCRIPTS} {EMOJI}项目" for r in summary)
    for name in (multi, "循环公式.xlsx", "嵌套合并.xlsx"):
        wb = load_workbook(out / "completed" / name)
        assert "复核" in wb.sheetnames


def test_good_forms_scored_as_in_a_clean_run(batch):
    _, _, result, clean, _, _ = batch
    cols = ["file", "sheet", "review_total", "grade", "budget_score"]
    ours = result.batch.projects[result.batch.projects["file"].isin(clean.batch.projects["file"])]
    a = ours[cols].sort_values(["file", "sheet"]).reset_index(drop=True)
    b = clean.batch.projects[cols].sort_values(["file", "sheet"]).reset_index(drop=True)
    assert a.equals(b)


def test_inputs_are_byte_identical_after_the_run(batch):
    inbox, _, _, _, before, _ = batch
    assert digest(inbox) == before


def test_problem_list_accounts_for_every_file(batch):
    inbox, out, _, _, _, _ = batch
    on_disk = {p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file()}
    summary = {r["源文件"] for r in sheet_rows(out / SUMMARY_NAME, "汇总") if r["源文件"]}
    listed = {r["源文件"] for r in sheet_rows(out / SUMMARY_NAME, "问题清单") if r["源文件"]}
    assert summary | listed == on_disk
    problems = sheet_rows(out / SUMMARY_NAME, "问题清单")
    for name, (_, _, code) in BAD.items():
        if code is not None:
            assert [r["代码"] for r in problems if r["源文件"] == name] == [code], name


def test_every_output_opens(batch):
    _, out, result, _, _, _ = batch
    done = sorted((out / "completed").rglob("*.xls[xm]"))
    assert len(done) == int((result.batch.files["status"] == "read").sum())
    for path in [out / SUMMARY_NAME, *done]:
        load_workbook(path, read_only=True).close()


def test_acceptance_through_the_cli(tmp_path: Path):
    """`perfxl run` on samples + bad files: exit 1, each bad file once in 问题清单
    with its code, the sample forms' review totals as in a clean run."""
    inbox = tmp_path / "收件箱"
    shutil.copytree(SAMPLES, inbox)
    fill_bad(inbox)
    before = digest(inbox)
    out = str(tmp_path / "输出")  # renamed copies of samples among the bad files: count them all
    r = runner.invoke(app, ["run", str(inbox), "-o", out, "-j", "2", "--keep-all"])
    assert r.exit_code == 1, r.output
    clean = runner.invoke(
        app, ["run", str(SAMPLES), "-o", str(tmp_path / "干净"), "--no-completed"]
    )
    assert clean.exit_code == 0, clean.output
    problems = sheet_rows(tmp_path / "输出" / SUMMARY_NAME, "问题清单")
    for name, (_, _, code) in BAD.items():
        if code is not None:
            assert [p["代码"] for p in problems if p["源文件"] == name] == [code], name

    def totals(folder: str) -> dict:
        rows = sheet_rows(tmp_path / folder / SUMMARY_NAME, "汇总")
        return {
            (r["源文件"], r["项目名称"]): r["复核总分"]
            for r in rows
            if r["源文件"] and (SAMPLES / r["源文件"]).exists()
        }

    assert totals("输出") == totals("干净") and len(totals("干净")) == 10
    assert digest(inbox) == before


# --------------------------------------------------------------------------- bounds, one by one


def test_million_rows_is_refused_before_loading_cells(tmp_path: Path):
    """In a child process, so that its peak memory is its own: the cells are
    never loaded (3 M values would cost calamine ~200 MB and 2 s)."""
    path = tmp_path / "百万行.xlsx"
    path.write_bytes(million_rows())
    far = tmp_path / "远端.xlsx"
    far.write_bytes(far_cell())
    code = textwrap.dedent(
        f"""
        import resource, sys, time
        from perfxl.read.workbook import read_workbook
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for p in ({str(path)!r}, {str(far)!r}):
            t = time.monotonic()
            r = read_workbook(p)
            print(p, r.status, ",".join(x.code for x in r.problems), time.monotonic() - t)
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    *lines, grown_mb = out.stdout.split("\n")[:-1]
    for line in lines:
        _, status, codes, seconds = line.rsplit(" ", 3)
        assert (status, codes) == ("failed", "file-too-large")
        assert float(seconds) < 2.0
    assert int(grown_mb) < 150  # the 53 MB of XML may be inflated once; no cell grid


def test_sheet_extent_pre_check_also_without_the_size_limit(tmp_path: Path):
    """With the per-sheet size bound lifted, the cell-reference scan still
    stops a sheet whose cells would span more than limits.max_cells."""
    lifted = tmp_path / "规则.toml"
    lifted.write_text("[limits]\nmax_sheet_mb = 10000.0\n", encoding="utf-8")
    rules = Rules.load(lifted)
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 30001))
    wide = package(rows + b'<row r="30001"><c r="CV30001"><v>1</v></c></row>')  # 30001 × 100
    assert sniff(wide, "宽.xlsx", rules).problem.code == "file-too-large"
    # without r="…" references a cell follows the previous one: 3 rows × 2 columns
    assert sheet_extent(b"<row><c><v>1</v></c><c><v>2</v></c></row>" * 3) == (3, 2)
    assert sheet_extent(b'<row r="9"><c r="B9"/><c r="AB7"/></row>') == (9, 28)
    # a crafted package may keep its sheet anywhere: the relationships decide
    moved = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(far_cell())) as src, zipfile.ZipFile(moved, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            name = info.filename.replace("xl/worksheets/sheet1.xml", "xl/x/数据.bin")
            if info.filename == "xl/_rels/workbook.xml.rels":
                part = part.replace(
                    b'Target="worksheets/sheet1.xml"', b"Target='x/\xe6\x95\xb0\xe6\x8d\xae.bin'"
                )
            dst.writestr(name, part)
    found = sniff(moved.getvalue(), "移走.xlsx").problem
    assert found.code == "file-too-large" and found.sheet == "明细"
    ok = read_bytes(KASHGAR_2018.read_bytes(), "k.xlsx", rules=rules)
    assert ok.status == "read" and not ok.problems


def test_far_cell_in_an_xls_is_refused_before_loading(tmp_path: Path):
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("明细")
    ws.write(0, 0, "项目名称")
    ws.write(65535, 255, 1)
    buf = io.BytesIO()
    wb.save(buf)
    started = time.monotonic()
    r = read_bytes(buf.getvalue(), "远端.xls")
    assert time.monotonic() - started < 1.0  # calamine alone: 2.6 s and 1 GB
    assert [p.code for p in r.problems] == ["file-too-large"]


def test_entities_are_never_expanded(tmp_path: Path):
    """Whatever part declares them, entities make the file unreadable, quickly."""
    data = KASHGAR_2018.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
    for member in members:
        started = time.monotonic()
        r = read_bytes(rezip(data, {member: with_doctype}), "x.xlsx")
        assert time.monotonic() - started < 1.0
        assert [p.code for p in r.problems] == ["file-unreadable"], member
        assert "实体" in r.problems[0].message


def test_unreadable_path_is_a_problem(tmp_path: Path):
    folder = tmp_path / "是文件夹.xlsx"
    folder.mkdir()
    r = read_workbook(folder)
    assert [p.code for p in r.problems] == ["file-unreadable"]
    if hasattr(os, "mkfifo"):  # a named pipe would block read_bytes() for ever
        fifo = tmp_path / "管道.xlsx"
        os.mkfifo(fifo)
        assert [p.code for p in read_workbook(fifo).problems] == ["file-unreadable"]


def set_cell(data: bytes, cell: str, inner: bytes) -> bytes:
    """Replace the XML of one cell's value (a crafted file says what it likes)."""

    def edit(xml: bytes) -> bytes:
        pattern = rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % cell.encode()
        return re.sub(pattern, b'<c r="%s">%s</c>' % (cell.encode(), inner), xml, count=1)

    return rezip(data, {sheet_member(data): edit})


@pytest.mark.parametrize("value", [b"NaN", b"inf", b"-1e400", b"1e26", b"-1e300", b"1e-320"])
def test_absurd_numbers_in_cells_are_read_and_scored(value: bytes):
    """Numbers no unit types, in the weight, target, self score and budget cells:
    the file reads, every form scores and validates, nothing raises."""
    data = KASHGAR_2018.read_bytes()
    form = read_workbook(KASHGAR_2018).forms[0]
    ind = form.indicators[0]
    total = form.fund("total")
    for cell in (ind.weight.cell, ind.score.cell, total.budget.cell, total.executed.cell):
        data = set_cell(data, cell, b"<v>" + value + b"</v>")
    result = read_bytes(data, "数字.xlsx")
    assert result.status == "read"
    check_result(result)


def test_a_workbook_openpyxl_cannot_open_does_not_stop_the_batch(tmp_path: Path, inbox: Path):
    """calamine reads what Excel and WPS open; openpyxl (the completed-copy writer)
    refuses some of it, e.g. an attribute it does not know in styles.xml."""
    odd = rezip(
        KASHGAR_2018.read_bytes(),
        {
            "xl/styles.xml": lambda x: x.replace(
                b'patternType="none"/>', b'patternType="none" x="1"/>'
            )
        },
    )
    (inbox / "样式异常.xlsx").write_bytes(odd)
    out = tmp_path / "输出"
    result = run_inbox(inbox, out, jobs=1)
    assert "样式异常.xlsx" in set(result.batch.projects["file"])  # read and scored
    copy_ = out / "completed" / "样式异常.xlsx"
    if copy_.exists():  # the unit's styles are kept as they were: calamine reads the copy
        book = python_calamine.CalamineWorkbook.from_path(str(copy_))
        assert book.sheet_names[-1] == "复核"
    else:  # no copy: then the batch says so for that file
        mine = result.batch.problems[result.batch.problems["file"] == "样式异常.xlsx"]
        assert mine["message"].str.contains("完成稿").any()
    for p in SAMPLES.iterdir():
        assert (out / "completed" / completed_names([p.name])[p.name]).exists()


# --------------------------------------------------------------------------- nothing injected

PAYLOADS = {
    "project": '=HYPERLINK("http://evil.example/p","点此")',
    "indicator": "+cmd|' /C calc'!A0",
    "target": "-2+3+cmd|' /C notepad'!A1",
    "reason": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+2 注入",
    "cr": "\r=3+4 注入",
}


def injected_spec() -> FormSpec:
    p = PAYLOADS
    return FormSpec(
        year=2024,
        project_name=p["project"],
        department="=2+5 主管部门",
        implementer="@实施单位",
        funds={"total": (10.0, 10.0, 8.0), "fiscal": (10.0, 10.0, 8.0)},
        indicators=[
            IndicatorSpec(
                "产出指标", "数量指标", p["indicator"], p["target"], "5次", 50, 40, p["reason"]
            ),
            IndicatorSpec("效益指标", "社会效益指标", p["tab"], "有所提升", "达成", 30, 30),
            IndicatorSpec(
                "满意度指标", "服务对象满意度指标", p["cr"], "≥90%", "80%", 10, 8, "=1/0"
            ),
        ],
        total_self=86,
    )


def test_input_texts_stay_text_and_links_stay_out(tmp_path: Path):
    inbox = tmp_path / "收件箱"
    path = write_form(inbox / "注入.xlsx", injected_spec())
    wb = load_workbook(path)  # a real hyperlink on the project name cell, as Excel keeps it
    form = read_workbook(path).forms[0]
    wb[form.sheet][form.project_name.cell].hyperlink = "http://evil.example/link"
    wb.save(path)
    out = tmp_path / "输出"
    run_inbox(inbox, out, jobs=1)
    markers = ("evil.example", "cmd|", "注入", "=2+5", "=1/0", "@实施单位", "@SUM")
    seen: set[str] = set()
    for book in (out / SUMMARY_NAME, out / "completed" / "注入.xlsx"):
        wb = load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    text = str(c.value) if c.value is not None else ""
                    hit = [m for m in markers if m in text]
                    if hit:
                        seen.update(hit)
                        assert c.data_type == "s", f"{book.name}!{ws.title}!{c.coordinate}"
        if book.name == SUMMARY_NAME:
            assert all(not ws._hyperlinks for ws in wb.worksheets)
            with zipfile.ZipFile(book) as z:
                rels = [z.read(n) for n in z.namelist() if n.endswith(".rels")]
            assert not any(b"hyperlink" in r or b"evil.example" in r for r in rels)
    assert seen == set(markers)


# --------------------------------------------------------------------------- interrupted run


def test_killed_run_leaves_no_half_written_workbook(tmp_path: Path):
    inbox = tmp_path / "收件箱"
    made = generate_corpus(inbox / "a", 40, seed=7)
    for k in range(1, 5):  # a few hundred files: copies under other folders
        shutil.copytree(inbox / "a", inbox / f"copy{k}")
    assert len(list(inbox.rglob("*.xls*"))) == 5 * len(made)
    before = digest(inbox)
    out = tmp_path / "输出"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from perfxl.cli import console; console()",
            "run",
            str(inbox),
            "-o",
            str(out),
            "-j",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its pool workers share its process group
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "completed").is_dir() and any((out / "completed").rglob("*.xlsx")):
            break
        time.sleep(0.05)
    time.sleep(0.3)  # well inside the writing of the completed copies
    assert proc.poll() is None, "the run ended before it could be killed: nothing was tested"
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL
    finals = {"汇总表.xlsx"} | {
        "completed/" + n for n in completed_names(list(digest(inbox))).values()
    }
    written = [p for p in out.rglob("*") if p.is_file()]
    assert written, "the run was killed before writing anything: nothing was tested"
    for p in written:
        rel = p.relative_to(out).as_posix()
        if rel.startswith(".perfxl-cache/") and not p.name.startswith(".~"):
            json.loads(zlib.decompress(p.read_bytes()))  # a cache entry is whole or absent
            continue
        if p.name.startswith("."):  # a temp file left by SIGKILL: never a final name
            assert rel not in finals and rel.removeprefix("completed/") not in finals
            continue
        assert p.suffix in (".xlsx", ".xlsm"), rel
        load_workbook(p, read_only=True).close()
    assert digest(inbox) == before
    # a second run removes what the killed one left half-written, and nothing else
    stale = out / "completed" / "a" / ".~残留-0123456789ab.xlsx"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"half")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    fresh = out / ".~另一次运行正在写-0123456789ab.xlsx"  # a concurrent run's file
    fresh.write_bytes(b"being written")
    keep = out / ".~用户自己的文件.xlsx"
    keep.write_bytes(b"not ours")
    os.utime(keep, (hour_ago, hour_ago))
    result = runner.invoke(app, ["run", str(inbox), "-o", str(out), "--no-completed"])
    assert result.exit_code in (0, 1), result.output
    assert not stale.exists() and keep.exists() and fresh.exists()


# --------------------------------------------------------------------------- clear errors


def one_chinese_line(output: str) -> str:
    lines = [ln for ln in output.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, output
    assert re.search(r"[\u4e00-\u9fff]", lines[0]) and "Traceback" not in output
    return lines[0]


def test_missing_inbox_and_unusable_output(tmp_path: Path, inbox: Path):
    r = runner.invoke(app, ["run", str(tmp_path / "没有"), "-o", str(tmp_path / "o")])
    assert r.exit_code == 2 and "收件箱不存在" in one_chinese_line(r.output)
    r = runner.invoke(app, ["run", str(inbox), "-o", str(inbox / "输出")])
    assert r.exit_code == 2 and "收件箱内" in one_chinese_line(r.output)
    blocker = tmp_path / "普通文件"
    blocker.write_text("x")
    for out in (blocker, blocker / "输出"):  # fails even as root, where chmod does not
        r = runner.invoke(app, ["run", str(inbox), "-o", str(out)])
        assert r.exit_code == 2, r.output
        one_chinese_line(r.output)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores 0o500")
def test_read_only_output_folder(tmp_path: Path, inbox: Path):
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        r = runner.invoke(app, ["run", str(inbox), "-o", str(locked / "输出")])
        assert r.exit_code == 2
        one_chinese_line(r.output)
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[limits]\nmax_rows = 5\n", "未知的键"),
        ('[budget]\nlow_execution = "高"\n', "类型错误"),
        ("[budget\nrule = ", "格式错误"),
    ],
    ids=["unknown-key", "wrong-type", "toml-syntax"],
)
def test_bad_rules_file_is_one_line(tmp_path: Path, inbox: Path, text: str, says: str):
    rules = tmp_path / "规则.toml"
    rules.write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["run", str(inbox), "-o", str(tmp_path / "o"), "--rules", str(rules)])
    assert r.exit_code == 2 and says in one_chinese_line(r.output)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("args", [["--bogus"], ["--jobs", "0"]], ids=["unknown", "bad-value"])
def test_bad_option_is_one_chinese_line(tmp_path: Path, inbox: Path, args: list[str]):
    r = runner.invoke(app, ["run", str(inbox), "-o", str(tmp_path / "o"), *args])
    assert r.exit_code == 2
    one_chinese_line(r.output)


def test_bad_option_is_exit_2_without_traceback(tmp_path: Path, inbox: Path):
    r = runner.invoke(app, ["run", str(inbox), "-o", str(tmp_path / "o"), "--bogus"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert not (tmp_path / "o").exists()


def test_debug_shows_the_traceback(tmp_path: Path):
    rules = tmp_path / "规则.toml"
    rules.write_text("[budget\n", encoding="utf-8")
    cmd = [sys.executable, "-c", "from perfxl.cli import console; console()"]
    args = ["run", str(SAMPLES), "-o", str(tmp_path / "o"), "--rules", str(rules)]
    plain = subprocess.run(cmd + args, capture_output=True, text=True, timeout=60, check=False)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr + plain.stdout
    debug = subprocess.run(
        [*cmd, "--debug", *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert debug.returncode != 0 and "Traceback" in debug.stderr + debug.stdout
    assert "RulesError" in debug.stderr + debug.stdout


# --------------------------------------------------------------------------- fuzzing

SEED_BYTES = [KASHGAR_2018.read_bytes(), XLS_SAMPLE.read_bytes()]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_result(result) -> None:
    """A read returns forms or problems, never raises; what reads, scores."""
    assert result.status in ("read", "failed", "skipped")
    assert result.forms or result.problems
    for p in result.problems:
        assert p.code and p.message and p.file
    reviews = [(f, score_form(f)) for f in result.forms]
    if reviews:
        check_all(build_frames(reviews), DEFAULT)


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(0, 7)),
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 64)),
)


def mutate(data: bytes, ops) -> bytes:
    buf = bytearray(data)
    for op, pos, arg in ops:
        if not buf:
            break
        i = pos % len(buf)
        if op == "flip":
            buf[i] ^= 1 << arg
        elif op == "cut":
            del buf[i:]
        elif op == "insert":
            buf[i:i] = arg
        else:
            del buf[i : i + arg]
    return bytes(buf)


def test_xls_with_a_looping_sector_chain_is_refused() -> None:
    """Found by fuzzing: three byte edits make the OLE container's FAT loop, and
    calamine then followed the chain until the machine ran out of memory."""
    import olefile

    from perfxl.read.sniff import _chains_end

    ops = [("insert", 2697, b"s`\xce"), ("delete", 2600, 2),
           ("insert", 746142, b"Z0\x08\xcen\xc5n3\xc7f\x8cb\xfaF\x04")]  # fmt: skip
    data = mutate(XLS_SAMPLE.read_bytes(), ops)
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        assert not _chains_end(ole.fat), "the sample changed: this no longer makes a loop"
    result = read_bytes(data, "循环.xls")
    assert result.status == "failed"
    assert [p.code for p in result.problems] == ["file-unreadable"]
    assert _chains_end([1, 2, 0xFFFFFFFE, 0xFFFFFFFF]) and not _chains_end([1, 2, 0])


def test_xls_claiming_a_stream_larger_than_the_file_is_refused() -> None:
    """A directory entry may claim any size; the far-cell check must not be
    skipped because of it (the stream cannot be larger than its file)."""
    import olefile

    data = bytearray(XLS_SAMPLE.read_bytes())
    with olefile.OleFileIO(io.BytesIO(bytes(data))) as ole:
        sid = next(i for i, e in enumerate(ole.direntries) if e and e.name == "Workbook")
        per_sector = ole.sectorsize // 128
        chain, sector = [], ole.first_dir_sector
        while sector < len(ole.fat) and len(chain) <= sid // per_sector:
            chain.append(sector)
            sector = ole.fat[sector]
        offset = (chain[sid // per_sector] + 1) * ole.sectorsize + (sid % per_sector) * 128
    struct.pack_into("<I", data, offset + 120, 0x7FFFFFF0)
    with olefile.OleFileIO(io.BytesIO(bytes(data))) as ole:
        assert ole.get_size("Workbook") == 0x7FFFFFF0  # the edit hit the right entry
    result = read_bytes(bytes(data), "谎报.xls")
    assert result.status == "failed" and [p.code for p in result.problems] == ["file-unreadable"]


@FUZZ
@given(seed=st.sampled_from(SEED_BYTES), ops=st.lists(mutation, min_size=1, max_size=6))
@example(seed=SEED_BYTES[0], ops=[("flip", 49, 1)])  # bad deflate data: zlib.error
def test_fuzz_file_bytes(seed: bytes, ops) -> None:
    check_result(read_bytes(mutate(seed, ops), "变异.xlsx"))


@FUZZ
@given(
    member=st.sampled_from(["sheet", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml"]),
    ops=st.lists(mutation, min_size=1, max_size=6),
)
def test_fuzz_xml_inside_the_package(member: str, ops) -> None:
    """Mutations behind the zip layer reach the XML parsers, the grid and the form."""
    data = SEED_BYTES[0]
    name = sheet_member(data) if member == "sheet" else member
    check_result(read_bytes(rezip(data, {name: lambda x: mutate(x, ops)}), "变异.xlsx"))


FORM_LAYOUT = layout_form(scripts_spec())
cell_value = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(
        ["项目名称", "三级指标", "总分", "分值", "≥", "%", "达成", "—", "年度资金总额"]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
)


@FUZZ
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 12), cell_value), min_size=1, max_size=25
    )
)
def test_fuzz_cells_of_a_form(changes) -> None:
    layout = copy.deepcopy(FORM_LAYOUT)
    for r, c, v in changes:
        if isinstance(v, str):
            v = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", v)
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            v = None  # xlsxwriter cannot store NaN/inf; an empty cell instead
        _, style, fmt = layout.cells.get((r, c), (None, "value", None))
        layout.cells[(r, c)] = (v, style, fmt)
    data = render_xlsx([("自评表", layout, 0, 0)])
    check_result(read_bytes(data, "变异.xlsx"))
