"""Completed copies written by editing the package: nothing of the unit's lost,
no repair prompt, the same cells as the openpyxl copy, read back like the original."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import KASHGAR_2019, SAMPLES
from lxml import etree

from perfxl.batch.worker import review_file
from perfxl.model import Problem
from perfxl.rules.schema import DEFAULT
from perfxl.testing.feature_book import FEATURES, build_feature_book
from perfxl.testing.package_check import check_package
from perfxl.write.completed import FILLED_NOTE, make_plan, write_completed, write_copy
from perfxl.write.libreoffice import soffice
from perfxl.write.openpyxl_copy import openpyxl_copy
from perfxl.write.package import Package

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XLSX_SAMPLES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".xlsx", ".xlsm"))
# parts perfxl edits in a copy; every other part must come through raw
EDITED = re.compile(
    r"\[Content_Types\]\.xml|xl/workbook\.xml|xl/_rels/workbook\.xml\.rels|xl/styles\.xml|"
    r"xl/sharedStrings\.xml|xl/worksheets/sheet1\.xml|xl/worksheets/_rels/sheet1\.xml\.rels|"
    r"xl/comments\d*\.xml|xl/drawings/vmlDrawing\d*\.vml"
)


def _problems(sheet: str) -> list[Problem]:
    """Problems on cells of the form, one on a cell that already has a comment."""
    return [
        Problem("x-error", "error", "测试错误", "f", sheet, "E13"),
        Problem("x-warning", "warning", "测试警告", "f", sheet, "H14"),
        Problem("x-info", "info", "测试提示", "f", sheet, "M32"),
    ]


def _raw(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes as stored."""
    start = info.header_offset
    n, e = (
        int.from_bytes(data[start + 26 : start + 28], "little"),
        int.from_bytes(data[start + 28 : start + 30], "little"),
    )
    return data[start + 30 + n + e : start + 30 + n + e + info.compress_size]


@pytest.fixture(scope="module", params=[".xlsx", ".xlsm"])
def feature_copy(request, tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("features")
    _, reviews = review_file(KASHGAR_2019, KASHGAR_2019.name)
    fills = make_plan(reviews).fills
    src = tmp / f"特性{request.param}"
    build_feature_book(src, KASHGAR_2019, fills[0].cell, tmp / "build")
    result, reviews = review_file(src, src.name)
    assert result.forms, "the feature book must still be a form"
    dst = tmp / "completed" / src.name
    how = write_completed(src, dst, reviews, _problems(result.forms[0].sheet))
    assert how == "package"
    return src, dst


def test_feature_book_carries_every_feature(feature_copy) -> None:
    src, _ = feature_copy
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        for feature, where in FEATURES.items():
            part, _, marker = where.partition(":")
            if part == "xl/vbaProject.bin" and src.suffix == ".xlsx":
                continue
            assert part in names, feature
            assert not marker or marker.encode() in z.read(part), feature


def test_every_feature_survives_part_by_part(feature_copy) -> None:
    src, dst = feature_copy
    a, b = src.read_bytes(), dst.read_bytes()
    assert check_package(b) == []
    za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
    copied = {i.filename: i for i in zb.infolist()}
    for info in za.infolist():
        assert info.filename in copied, info.filename
        if EDITED.fullmatch(info.filename):
            continue
        other = copied[info.filename]
        # byte for byte, and raw: the same compressed bytes, not recompressed
        assert za.read(info) == zb.read(other), info.filename
        assert _raw(a, info) == _raw(b, other), info.filename
        assert (info.CRC, info.compress_type, info.date_time) == (
            other.CRC,
            other.compress_type,
            other.date_time,
        )
    for feature, where in FEATURES.items():
        part, _, marker = where.partition(":")
        if part == "xl/vbaProject.bin" and src.suffix == ".xlsx":
            continue
        assert part in copied, feature
        assert not marker or marker.encode() in zb.read(part), feature


def _without(root, refs: set[str]) -> bytes:
    for c in list(root.iter(M + "c")):
        if c.get("r") in refs:
            c.getparent().remove(c)
    for el in root.findall(M + "legacyDrawing"):
        root.remove(el)
    return etree.tostring(root, method="c14n")


def test_edited_parts_keep_everything_perfxl_did_not_change(feature_copy) -> None:
    src, dst = feature_copy
    za, zb = zipfile.ZipFile(src), zipfile.ZipFile(dst)
    old = etree.fromstring(za.read("xl/worksheets/sheet1.xml"))
    new = etree.fromstring(zb.read("xl/worksheets/sheet1.xml"))
    touched = {c.get("r") for c in new.iter(M + "c")} - {c.get("r") for c in old.iter(M + "c")} | {
        c.get("r")
        for c in new.iter(M + "c")
        if etree.tostring(c) not in {etree.tostring(o) for o in old.iter(M + "c")}
    }
    assert 0 < len(touched) < 10
    assert _without(old, touched) == _without(new, touched)
    # styles and shared strings: the unit's entries first, unchanged, perfxl's after
    for part, item in (("xl/styles.xml", "xf"), ("xl/sharedStrings.xml", "si")):
        before = [etree.tostring(e) for e in etree.fromstring(za.read(part)).iter(M + item)]
        after = [etree.tostring(e) for e in etree.fromstring(zb.read(part)).iter(M + item)]
        assert after[: len(before)] == before and len(after) > len(before)
    vml_a, vml_b = za.read("xl/drawings/vmlDrawing1.vml"), zb.read("xl/drawings/vmlDrawing1.vml")
    assert vml_b.startswith(vml_a[: vml_a.rfind(b"</xml>")])  # the unit's shapes, visible ones too
    assert vml_a.count(b"visibility:visible") == vml_b.count(b"visibility:visible") == 2
    wb = etree.fromstring(zb.read("xl/workbook.xml"))
    assert wb.find(M + "calcPr").get("fullCalcOnLoad") == "1"
    assert [s.get("state") for s in wb.iter(M + "sheet")] == [None, "hidden", "veryHidden", None]
    sheet = zb.read("xl/worksheets/sheet1.xml")
    assert re.search(rb"<f>SUM\(M20:M24\)</f><v>26</v>", sheet)  # the cached value stays


def test_comments_merge_with_the_units(feature_copy) -> None:
    src, dst = feature_copy
    _, reviews = review_file(src, src.name)
    fill = make_plan(reviews).fills[0]
    wb = openpyxl.load_workbook(dst, keep_vba=dst.suffix == ".xlsm")
    ws = wb[reviews[0][0].sheet]
    assert ws[fill.cell].comment.text == f"单位原有批注\n{FILLED_NOTE}"
    assert ws["M32"].comment.text == "单位的批注（显示）\n【提示】测试提示"
    assert ws["E13"].comment.text == "【错误】测试错误"
    assert ws["E13"].fill.fgColor.rgb[-6:] == "FFC7CE"
    if dst.suffix == ".xlsm":
        types = zipfile.ZipFile(dst).read("[Content_Types].xml")
        assert b"macroEnabled" in types and "xl/vbaProject.bin" in zipfile.ZipFile(dst).namelist()


def test_a_completed_copy_reads_like_the_original(feature_copy, tmp_path: Path) -> None:
    src, dst = feature_copy
    a, ra = review_file(src, "x")
    b, rb = review_file(dst, "x")
    assert a.forms == b.forms and a.problems == b.problems
    assert [s for _, s in ra] == [s for _, s in rb]
    # and completing the copy again keeps one mark per cell and sound names
    again = tmp_path / dst.name
    write_completed(dst, again, rb, [])
    assert check_package(again.read_bytes()) == []
    assert [f for f, _ in review_file(again, "x")[1]] == [f for f, _ in ra]


@pytest.mark.parametrize(
    "src",
    XLSX_SAMPLES + [SAMPLES / "2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls"],
    ids=lambda p: p.name[:12],
)
def test_samples_read_back_the_same_and_are_sound(src: Path, tmp_path: Path) -> None:
    result, reviews = review_file(src, src.name)
    dst = tmp_path / (src.stem + (".xlsm" if src.suffix == ".xlsm" else ".xlsx"))
    write_completed(src, dst, reviews, list(result.problems))
    assert check_package(dst.read_bytes()) == []
    again, _ = review_file(dst, src.name)
    assert [f.indicators for f in again.forms] == [f.indicators for f in result.forms]
    assert again.problems == result.problems


def _cells(path: Path) -> dict:
    """Every cell's value, fill colour, number format and comment text."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb[-6:] if c.fill.fill_type == "solid" else None
                note = c.comment.text if c.comment else None
                if c.value is not None or fill or note:
                    out[(ws.title, c.coordinate)] = (c.value, fill, c.number_format, note)
    return out


@pytest.mark.parametrize("src", XLSX_SAMPLES, ids=lambda p: p.name[:12])
def test_samples_cell_by_cell_as_the_openpyxl_copy(src: Path, tmp_path: Path) -> None:
    """Same values, fills, number formats and comment texts as the old writer
    (openpyxl's object model), given the same plan; only the note on how the
    copy was made differs in the 复核 sheet."""
    result, reviews = review_file(src, src.name)
    plan = make_plan(reviews)
    problems = list(result.problems) + _problems(reviews[0][0].sheet)[:2]
    ours = tmp_path / f"ours{src.suffix}"
    write_copy(src, ours, plan, problems)
    old = tmp_path / f"old{src.suffix}"
    from perfxl.write.fill_plan import plan_marks, sorted_problems
    from perfxl.write.review_sheet import ReviewSheet

    lines = ReviewSheet(DEFAULT).compose(src.name, plan.lines, sorted_problems(problems), "package")
    stamp = __import__("datetime").datetime(2024, 1, 1)
    openpyxl_copy(src.read_bytes(), None, plan.fills, plan_marks(sorted_problems(problems)),
                  lambda names: "复核", lambda: lines, old, stamp)  # fmt: skip
    a, b = _cells(ours), _cells(old)
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], key


def test_xls_values_copy_cell_by_cell_as_the_openpyxl_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without LibreOffice an .xls's copy is built from its values as a package:
    the same cells as the old openpyxl rebuild."""
    from perfxl.write.fill_plan import plan_marks, sorted_problems
    from perfxl.write.openpyxl_copy import calamine_values
    from perfxl.write.review_sheet import ReviewSheet

    src = SAMPLES / "2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls"
    monkeypatch.setenv("PERFXL_LIBREOFFICE", "0")
    soffice.cache_clear()
    try:
        result, reviews = review_file(src, src.name)
        plan = make_plan(reviews)
        problems = sorted_problems(list(result.problems) + _problems(reviews[0][0].sheet)[:2])
        ours = tmp_path / "ours.xlsx"
        assert write_copy(src, ours, plan, problems) == "values"
    finally:
        soffice.cache_clear()
    assert check_package(ours.read_bytes()) == []
    old = tmp_path / "old.xlsx"
    lines = ReviewSheet(DEFAULT).compose(src.name, plan.lines, problems, "values")
    openpyxl_copy(None, lambda: calamine_values(src), plan.fills, plan_marks(problems),
                  lambda names: "复核", lambda: lines, old, __import__("datetime").datetime(2024, 1, 1))  # fmt: skip
    a, b = _cells(ours), _cells(old)
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], key
    wa, wb = openpyxl.load_workbook(ours), openpyxl.load_workbook(old)
    for name in wa.sheetnames:
        assert {str(r) for r in wa[name].merged_cells.ranges} == {
            str(r) for r in wb[name].merged_cells.ranges
        }


def _blanked(src: Path, dst: Path, keep_every: int, na: bool) -> None:
    """The sample with its 得分 cells (every ``keep_every``-th kept), 总分 and
    等级 emptied, and with ``na`` its first indicator made not applicable."""
    result, _ = review_file(src, src.name)
    wb = openpyxl.load_workbook(src)
    for form in result.forms:
        ws = wb[form.sheet]
        cells = [i.score.cell for i in form.indicators][1:]
        for k, cell in enumerate(cells):
            if k % keep_every:
                ws[cell].value = None
        for cv in (form.total_self, form.grade, form.fund("total").score):
            if cv.cell:
                ws[cv.cell].value = None
        if na:
            ws[form.indicators[0].actual.cell].value = "不适用"
            ws[form.indicators[0].score.cell].value = None
    wb.save(dst)


@pytest.mark.parametrize("src", XLSX_SAMPLES, ids=lambda p: p.name[:12])
@pytest.mark.parametrize("keep_every,na", [(1, False), (2, True)])
def test_filled_form_agrees_with_itself(
    src: Path, keep_every: int, na: bool, tmp_path: Path
) -> None:
    blank = tmp_path / ("blank" + src.suffix)
    _blanked(src, blank, keep_every, na)
    result, reviews = review_file(blank, blank.name)
    dst = tmp_path / ("done" + src.suffix)
    write_completed(blank, dst, reviews, [])
    wb = openpyxl.load_workbook(dst, data_only=True)
    for form, score in reviews:
        ws = wb[form.sheet]
        cells = [i.score.cell for i in form.indicators] + [form.fund("total").score.cell]
        standing = sum(float(ws[c].value or 0) for c in cells if c)
        total = ws[form.total_self.cell].value
        assert total == pytest.approx(standing, abs=0.011)
        if form.grade.cell:
            assert ws[form.grade.cell].value == DEFAULT.grade(total)
        moved = [i for i in score.indicators if abs(i.effective_weight - i.weight) > 1e-9]
        assert bool(moved) == na
        filled = [i for i in moved if i.rule != "na" and not i.indicator.score.text]
        assert not na or filled  # some redistributed weight lands in a filled cell
        for isc in moved:
            cell = ws[isc.indicator.score.cell]
            if isc.rule == "na" or cell.comment is None or FILLED_NOTE not in cell.comment.text:
                continue  # not applicable, or the unit's own score: not filled
            line = f"分值 {_shown(isc.weight)}，按不适用指标调整为 {_shown(isc.effective_weight)}"
            assert line in cell.comment.text.split("\n")


def _shown(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


def _refused(tmp_path: Path, strip_styles: bool) -> Path:
    """KASHGAR_2019 with a comment whose VML drawing the patcher cannot append
    to (no closing tag), and optionally without a styles part (openpyxl then
    refuses it too)."""
    wb = openpyxl.load_workbook(KASHGAR_2019)
    wb.worksheets[0]["A1"].comment = openpyxl.comments.Comment("单位批注", "单位")
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename.endswith(".vml"):
                body = body.replace(b"</xml>", b"")
            if strip_styles:
                if info.filename == "xl/styles.xml":
                    continue
                body = re.sub(rb"<Relationship [^>]*styles\.xml\"/>", b"", body)
                body = re.sub(rb"<Override [^>]*styles\.xml\"[^>]*/>", b"", body)
            zout.writestr(info, body)
    src = tmp_path / "异常.xlsx"
    src.write_bytes(out.getvalue())
    return src


@pytest.mark.parametrize("strip_styles,how", [(False, "openpyxl"), (True, "values")])
def test_a_package_the_patcher_refuses_gets_a_plain_copy(
    strip_styles: bool, how: str, tmp_path: Path
) -> None:
    src = _refused(tmp_path, strip_styles)
    result, reviews = review_file(src, src.name)
    problems = [Problem("x", "error", "测试", src.name, reviews[0][0].sheet, "E13")]
    dst = tmp_path / "done.xlsx"
    assert write_completed(src, dst, reviews, problems) == how
    assert check_package(dst.read_bytes()) == []
    wb = openpyxl.load_workbook(dst)
    texts = [str(c.value) for row in wb["复核"].iter_rows() for c in row if c.value]
    assert "completed-plain-copy" in texts
    assert wb[reviews[0][0].sheet]["G28"].value == "优"


def test_members_with_data_descriptors_are_copied_raw(tmp_path: Path) -> None:
    """A zip written as a stream (sizes after the data, flag bit 3)."""

    class Stream(io.RawIOBase):
        def __init__(self) -> None:
            self.buf = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:
            self.buf += b
            return len(b)

    stream = Stream()
    with (
        zipfile.ZipFile(KASHGAR_2019) as zin,
        zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for info in zin.infolist():
            with z.open(info.filename, "w") as fh:
                fh.write(zin.read(info))
    data = bytes(stream.buf)
    assert all(i.flag_bits & 8 for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    out = io.BytesIO()
    Package(data).save(out, (2020, 1, 1, 0, 0, 0))
    assert out.getvalue() == data  # nothing edited: the very same bytes


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_every_copy_opens_in_libreoffice(feature_copy, tmp_path: Path) -> None:
    """Each copy converts to PDF and back to .xlsx without error."""
    copies = [feature_copy[1]]
    for src in XLSX_SAMPLES:
        result, reviews = review_file(src, src.name)
        dst = tmp_path / "in" / (src.stem + src.suffix)
        write_completed(src, dst, reviews, list(result.problems))
        copies.append(dst)
    for kind in ("pdf", "xlsx"):
        out = tmp_path / kind
        profile = (tmp_path / "profile").as_uri()
        cmd = [soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", kind,
               "--outdir", str(out), *map(str, copies)]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        for c in copies:
            made = out / f"{c.stem}.{kind}"
            assert made.is_file() and made.stat().st_size > 1000, (c.name, kind)
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_check_on_completed_copies_finds_what_it_found_on_the_inputs(tmp_path: Path) -> None:
    """`perfxl check 输出/completed/` lists the same problems as on the inbox
    (generated forms with problems, every layout, .xlsx/.xlsm; .xls too)."""
    from perfxl.batch.run import discover, run_batch
    from perfxl.forms.generate import generate_corpus
    from perfxl.pipeline import check_paths, write_completed_all

    inbox = tmp_path / "收件箱"
    generate_corpus(inbox, 30, seed=11)
    batch = run_batch(discover(inbox), jobs=2, inbox=str(inbox), plans=True)
    assert len(batch.plans) == int((batch.files["status"] == "read").sum())
    copies = write_completed_all(batch, tmp_path / "输出", DEFAULT, 2)
    assert len(copies) == len(batch.plans)
    again = check_paths([tmp_path / "输出" / "completed"], jobs=2)
    cols = ["sheet", "cell", "code", "severity", "message"]

    def keyed(frame, names):
        rows = frame[frame["file"].isin(names)]
        stem = rows["file"].map(lambda f: Path(f).with_suffix("").as_posix())
        return sorted(zip(stem, *(rows[c].fillna("") for c in cols), strict=True))

    xlsx = {p.relative_to(inbox).as_posix() for p in inbox.rglob("*.xls[xm]")}
    mine = {
        p.relative_to(tmp_path / "输出" / "completed").as_posix()
        for p in (tmp_path / "输出" / "completed").rglob("*.xls[xm]")
        if Path(p.relative_to(tmp_path / "输出" / "completed")).as_posix() in xlsx
    }
    before = keyed(batch.problems, xlsx)
    after = keyed(again.problems, mine)
    assert before and before == after
    assert len(again.projects) == len(batch.projects)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_xls_goes_through_libreoffice_and_keeps_its_formats(tmp_path: Path) -> None:
    """An 86% cell stays 86% (not 0.86) and a hidden sheet stays hidden; the
    复核 sheet says the copy was converted by LibreOffice."""
    import xlwt

    src = tmp_path / "旧表.xls"
    data = SAMPLES / "2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls"
    shutil.copyfile(data, src)
    result, reviews = review_file(src, src.name)
    extra = tmp_path / "百分比.xls"
    book = xlwt.Workbook(encoding="utf-8")
    sh = book.add_sheet("数据")
    sh.write(0, 0, 0.86, xlwt.easyxf(num_format_str="0%"))
    hidden = book.add_sheet("隐藏")
    hidden.write(0, 0, "x")
    hidden.visibility = 1
    book.save(str(extra))
    dst = tmp_path / "旧表.xlsx"
    assert write_completed(src, dst, reviews, list(result.problems)) == "libreoffice"
    assert check_package(dst.read_bytes()) == []
    notes = [str(c.value) for row in openpyxl.load_workbook(dst)["复核"].iter_rows(max_row=6)
             for c in row if c.value]  # fmt: skip
    assert any("LibreOffice" in n for n in notes)
    assert [f.indicators for f in review_file(dst, src.name)[0].forms] == [
        f.indicators for f in result.forms
    ]
    other = tmp_path / "百分比.xlsx"
    assert write_completed(extra, other, [], []) == "libreoffice"
    wb = openpyxl.load_workbook(other)
    assert wb["数据"]["A1"].number_format == "0%" and wb["隐藏"].sheet_state == "hidden"


def test_xls_without_libreoffice_keeps_values_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFXL_LIBREOFFICE", "0")
    soffice.cache_clear()
    try:
        src = SAMPLES / "2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls"
        result, reviews = review_file(src, src.name)
        dst = tmp_path / "旧表.xlsx"
        assert write_completed(src, dst, reviews, list(result.problems)) == "values"
    finally:
        soffice.cache_clear()
    assert check_package(dst.read_bytes()) == []
    notes = [str(c.value) for row in openpyxl.load_workbook(dst)["复核"].iter_rows(max_row=6)
             for c in row if c.value]  # fmt: skip
    assert any("只保留了单元格的值和合并单元格" in n for n in notes)


def _tiny(sheet_xml: bytes, styles: bytes) -> bytes:
    """A package written by hand: no shared strings part, the given sheet and styles."""
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = b"application/vnd.openxmlformats-officedocument.spreadsheetml."
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
        + ct
        + b'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
        + ct
        + b'worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="'
        + ct
        + b'styles+xml"/></Types>',
        "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="' + rel + b'/officeDocument" '
        b'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b"<workbook "
        + main
        + b' xmlns:r="'
        + rel
        + b'"><sheets><sheet name="'
        + "表".encode()
        + b'" sheetId="7" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="' + rel + b'/worksheet" '
        b'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="' + rel + b'/styles" '
        b'Target="styles.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
        "xl/styles.xml": styles,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def test_hand_written_package_edge_cases(tmp_path: Path) -> None:
    """Rows and cells without addresses, a blank inline string, a row style,
    no shared strings part, a custom number format at 170, a date cell."""
    import datetime as dt

    from perfxl.write.fill_plan import Fill
    from perfxl.write.patch import patch_package
    from perfxl.write.review_sheet import Formatted

    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData><row><c><v>1</v></c><c/></row>"
        b'<row><c t="inlineStr"><is><t> </t></is></c><c><v>2</v></c></row>'
        b'<row r="5" s="1" customFormat="1"><c r="A5"><v>5</v></c></row></sheetData>'
        b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        b"<extLst><ext uri='{X}'><keep/></ext></extLst></worksheet>"
    )
    styles = (
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<numFmts count="1"><numFmt numFmtId="170" formatCode="0.0"/></numFmts>'
        b'<fonts count="1"><font><sz val="11"/><name val="Arial"/></font></fonts>'
        b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
        b'patternType="gray125"/></fill></fills><borders count="1"><border/></borders>'
        b'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        b'<xf numFmtId="170" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>'
        b"</styleSheet>"
    )
    pkg = Package(_tiny(sheet, styles))
    fills = [Fill("表", "A2", 9.5, "0.00"), Fill("表", "B1", "良", None),
             Fill("表", "A1", 3, None), Fill("表", "C5", 0.5, "0.00%")]  # fmt: skip
    lines = [("title", ["标题"]), ("table", [dt.date(2024, 3, 1), Formatted(1.5, "0.000")])]
    patch_package(pkg, fills, [("表", "B2", "error", "【错误】x")], lambda n: "复核", lines)
    out = io.BytesIO()
    pkg.save(out, (2024, 1, 1, 0, 0, 0))
    data = out.getvalue()
    assert check_package(data) == []
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["表"]
    assert ws["A2"].value == 9.5 and ws["B1"].value == "良" and ws["A1"].value == 1  # kept
    assert ws["C5"].value == 0.5 and ws["C5"].number_format == "0.00%"
    assert ws["B2"].value == 2 and ws["B2"].comment.text == "【错误】x"
    review = wb["复核"]
    assert review["A2"].value == dt.datetime(2024, 3, 1) and review["B2"].number_format == "0.000"
    styles_out = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml")
    ids = sorted(int(x) for x in re.findall(rb'numFmtId="(\d+)" formatCode', styles_out))
    assert ids == [170, 171, 172]  # custom formats continue after the unit's
    sheet_out = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<keep/>" in sheet_out and b'<row r="5" s="1" customFormat="1">' in sheet_out
    assert re.search(rb'<c r="C5" s="\d+"><v>0.5</v></c>', sheet_out)


_STYLES = (
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Arial"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
    b'patternType="gray125"/></fill></fills><borders count="1"><border/></borders>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs>'
    b"</styleSheet>"
)


def _patched_sheet(sheet: bytes, fills: list, marks: list) -> tuple[bytes, bytes]:
    """(the package after patching, its form sheet part)."""
    from perfxl.write.patch import patch_package

    pkg = Package(_tiny(sheet, _STYLES))
    patch_package(pkg, fills, marks, lambda n: "复核", [("title", ["标题"])])
    out = io.BytesIO()
    pkg.save(out, (2024, 1, 1, 0, 0, 0))
    data = out.getvalue()
    assert check_package(data) == []
    return data, zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_rows_are_edited_in_place(prefix: str) -> None:
    """Only the rows perfxl edits or adds are rewritten; every other row keeps
    its bytes (quotes, spacing, prefixes); new rows land in row order before,
    between and after the unit's rows; the comment drawing perfxl adds goes
    after the rows, where the schema wants it."""
    from perfxl.write.fill_plan import Fill

    p = prefix.encode()
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    declare = b'xmlns:x="' + ns + b'"' if prefix else b'xmlns="' + ns + b'"'
    kept_row = b"<" + p + b'row r=\'3\' spans="1:2" x14ac:dyDescent="0.25"><' + p
    kept_row += b'c r="A3"><' + p + b"v>3</" + p + b"v></" + p + b"c></" + p + b"row>"
    edited_row = b"<" + p + b'row r="5"><' + p + b'c r="A5"><' + p + b"v>5</" + p + b"v></"
    edited_row += p + b"c><" + p + b'c r="B5"/></' + p + b"row>"
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<' + p + b"worksheet "
        + declare + b' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
        b' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        b' mc:Ignorable="x14ac"><' + p + b"cols><" + p + b"col min='1' max='2' width='9'/></"
        + p + b"cols><" + p + b"sheetData>"
    )  # fmt: skip
    tail = b"</" + p + b"sheetData><" + p + b"pageMargins left='0.7' right='0.7' top='0.75' "
    tail += b"bottom='0.75' header='0.3' footer='0.3'/></" + p + b"worksheet>"
    sheet = head + kept_row + edited_row + b"<" + p + b'row r="9"/>' + tail
    fills = [Fill("表", "B5", 7.5, None), Fill("表", "A1", 1, None),
             Fill("表", "A7", "良", None), Fill("表", "C12", 2, None)]  # fmt: skip
    data, out = _patched_sheet(sheet, fills, [])
    assert re.search(rb"</(x:)?sheetData><(x:)?pageMargins[^>]*/><(x:)?legacyDrawing ", out)
    assert kept_row in out and b"<" + p + b'row r="9"/>' in out
    numbers = [int(n) for n in re.findall(rb'<(?:x:)?row r="(\d+)"', out)]
    assert numbers == [1, 5, 7, 9, 12]  # (row 3 keeps its single quotes)
    assert out.index(b"r='3'") < out.index(b'r="5"')
    body = out[out.index(b"sheetData>") : out.rindex(b"sheetData>")]
    assert b"xmlns" not in body  # no namespace declared again on a row
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert [ws["B5"].value, ws["A1"].value, ws["A7"].value, ws["C12"].value] == [7.5, 1, "良", 2]
    assert ws["A3"].value == 3 and ws["A5"].value == 5


def test_a_comment_drawing_is_placed_among_the_sheets_elements() -> None:
    """A new comment on a sheet without one adds <legacyDrawing> before the
    elements the schema puts after it; an empty <sheetData/> gets its rows."""
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
        b'header="0.3" footer="0.3"/><tableParts count="0"/></worksheet>'
    )
    from perfxl.write.fill_plan import Fill

    data, out = _patched_sheet(sheet, [Fill("表", "B2", 4, None)], [("表", "B2", "error", "x")])
    assert re.search(rb"</sheetData><pageMargins[^>]*/><legacyDrawing [^>]*r:id=\"rId\d+\"/>"
                     rb"<tableParts", out), out  # fmt: skip
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert ws["B2"].value == 4 and ws["B2"].comment.text.endswith("x")


@pytest.mark.parametrize(
    "rows",
    [
        b"<row><c><v>1</v></c></row>",
        b'<row r="1"><!-- a note --><c r="A1"/></row>',
        b'<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[x]]></t></is></c></row>',
    ],  # fmt: skip
    ids=["no-number", "comment", "cdata"],
)
def test_rows_that_cannot_be_told_apart_are_parsed_whole(rows: bytes) -> None:
    """The whole-sheet path still fills them (and the copy stays sound)."""
    from perfxl.write.fill_plan import Fill

    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows
        + b"</sheetData></worksheet>"
    )
    data, _ = _patched_sheet(sheet, [Fill("表", "C3", 8, None)], [])
    assert openpyxl.load_workbook(io.BytesIO(data))["表"]["C3"].value == 8


@pytest.mark.parametrize("prefixed", [False, True])
def test_small_parts_are_edited_as_text_or_parsed(prefixed: bool) -> None:
    """Relationships and content types are appended to as text where their
    root is the plain one (single quotes and entities read right), and
    parsed where it is prefixed; both give the same relationships."""
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    p = "pr:" if prefixed else ""
    declare = f'xmlns:pr="{ns}"' if prefixed else f'xmlns="{ns}"'
    rels = (
        f"<{p}Relationships {declare}><{p}Relationship Id='rId1' Type='t/a' "
        f'Target=\'a&amp;b.xml\'/><{p}Relationship Id="rId3" Type="t/x" Target="http://x" '
        f'TargetMode="External"/></{p}Relationships>'
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", b"<Types xmlns='http://schemas.openxmlformats.org/"
                   b"package/2006/content-types'><Default Extension='rels' ContentType='r'/></Types>")  # fmt: skip
        z.writestr("xl/_rels/workbook.xml.rels", rels)
    pkg = Package(out.getvalue())
    assert pkg.rels("xl/workbook.xml") == [("rId1", "t/a", "xl/a&b.xml")]
    assert pkg.add_rel("xl/workbook.xml", "t/new", "xl/new & old.xml") == "rId4"  # unique
    pkg.override("xl/new & old.xml", "c/t")
    pkg.ensure_default("rels", "other")  # already there: nothing added
    pkg.ensure_default("vml", "v/t")
    assert pkg.rels("xl/workbook.xml")[-1] == ("rId4", "t/new", "xl/new & old.xml")
    rels_root = etree.fromstring(pkg.read("xl/_rels/workbook.xml.rels"))
    assert [el.get("Id") for el in rels_root] == ["rId1", "rId3", "rId4"]
    assert rels_root[-1].get("Target") == "new & old.xml"
    types = etree.fromstring(pkg.read("[Content_Types].xml"))
    assert [etree.QName(el).localname for el in types] == ["Default", "Default", "Override"]
    assert types[0].get("Extension") == "vml" and types[2].get("PartName") == "/xl/new & old.xml"


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_run_converts_its_xls_with_libreoffice_started_before_reading(tmp_path: Path) -> None:
    """run_inbox starts LibreOffice on the inbox's .xls before the review pass
    and hands each copy its converted package; a conversion that is cancelled
    stops its process and leaves no files behind."""
    from perfxl.pipeline import run_inbox
    from perfxl.write.libreoffice import Conversion

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    xls = "2019-歙县文化和旅游局-公共文化服务体系建设专项资金.xls"
    shutil.copyfile(SAMPLES / xls, inbox / xls)
    shutil.copyfile(KASHGAR_2019, inbox / KASHGAR_2019.name)
    result = run_inbox(inbox, tmp_path / "输出", jobs=2)
    copy = next(p for p in result.completed if p.name.startswith("2019-歙县"))
    notes = [str(c.value) for row in openpyxl.load_workbook(copy)["复核"].iter_rows(max_row=6)
             for c in row if c.value]  # fmt: skip
    assert any("LibreOffice" in n for n in notes)
    assert check_package(copy.read_bytes()) == []
    only_xls = tmp_path / "只有旧格式"  # every copy waits for LibreOffice
    only_xls.mkdir()
    for name in ("甲.xls", "乙.xls"):
        shutil.copyfile(SAMPLES / xls, only_xls / name)
    again = run_inbox(only_xls, tmp_path / "输出2", jobs=2)
    assert sorted(p.name for p in again.completed) == ["乙.xlsx", "甲.xlsx"]
    for path in again.completed:
        sheet = openpyxl.load_workbook(path)["复核"]
        assert any("LibreOffice" in str(c.value) for row in sheet.iter_rows(max_row=6) for c in row)
    started = Conversion([inbox / xls, only_xls / "甲.xls"], processes=2)
    assert len(started.processes) == 2 and started.tmp is not None
    folder = Path(started.tmp.name)
    started.cancel()
    assert started.processes == [] and not folder.exists()
    assert started.result() == {}  # nothing left to wait for
    both = Conversion([inbox / xls, only_xls / "甲.xls", only_xls / "乙.xls"], processes=2)
    made = both.result()
    assert {p.name for p in made} == {"乙.xls", "甲.xls", xls}
    assert all(data.startswith(b"PK") for data in made.values())
