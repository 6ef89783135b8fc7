"""A self-evaluation form carrying everything a unit's workbook may hold,
for the completed-copy fidelity tests (tests/test_package.py).

The form's cells are copied from a sample; the features sit beside it on the
form sheet (where perfxl edits) and on other sheets: a picture, a text box,
a chart, sparklines and an Excel-2010 data bar (x14 extensions), a protected
range, ignored "number stored as text" errors, rich text, a visible comment
(also one on a cell perfxl fills), formulas with cached values, custom and
app properties, printer settings, a VBA project (.xlsm), a WPS in-cell
picture part and hidden / very hidden sheets. xlsxwriter writes most of it;
the parts it cannot write (printer settings, the WPS cell-image part) are
added to the package here, as small XML written by hand.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

__all__ = ["FEATURES", "build_feature_book", "png"]

# feature -> the part (or part:marker) that carries it in the built package
FEATURES = {
    "图片（公章）": "xl/media/image1.png",
    "文本框/图形": "xl/drawings/drawing1.xml:<xdr:sp",
    "图表": "xl/charts/chart1.xml",
    "迷你图（x14 扩展）": "xl/worksheets/sheet1.xml:<x14:sparklineGroups",
    "数据条（x14 扩展）": "xl/worksheets/sheet1.xml:<x14:dataBar",
    "允许编辑区域": "xl/worksheets/sheet1.xml:<protectedRanges",
    "忽略错误（文本型数字）": "xl/worksheets/sheet1.xml:<ignoredErrors",
    "单元格富文本": "xl/sharedStrings.xml:<r>",
    "显示的批注": "xl/drawings/vmlDrawing1.vml:visibility:visible",
    "公式及其计算结果": "xl/worksheets/sheet1.xml:<f>SUM(M20:M24)</f><v>26</v>",
    "自定义属性": "docProps/custom.xml",
    "应用程序属性（单位、经理）": "docProps/app.xml:<Manager>",
    "打印机设置": "xl/printerSettings/printerSettings1.bin",
    "VBA 工程（.xlsm）": "xl/vbaProject.bin",
    "WPS 单元格图片": "xl/cellimages.xml",
    "隐藏与深度隐藏工作表": "xl/workbook.xml:veryHidden",
}
_CELLIMAGES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<etc:cellImages xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
    b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    b' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    b' xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"><etc:cellImage><xdr:pic>'
    b'<xdr:nvPicPr><xdr:cNvPr id="2" name="ID_0A1B2C3D"/><xdr:cNvPicPr/></xdr:nvPicPr>'
    b'<xdr:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
    b'<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="95250" cy="95250"/></a:xfrm>'
    b'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic></etc:cellImage>'
    b"</etc:cellImages>"
)
_CELLIMAGES_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/image" Target="media/wps_image1.png"/></Relationships>'
)


def png(rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A 2 × 2 PNG of one colour (a stand-in for a seal picture)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    raw = b"".join(b"\x00" + bytes(rgb) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def build_feature_book(path: Path, form: Path, commented: str, tmp: Path) -> None:
    """Write the feature workbook to ``path`` (.xlsx or .xlsm), its form copied
    from the sample ``form``; ``commented`` is a cell perfxl will fill, which
    gets a visible comment of the unit's."""
    import python_calamine as pc
    import xlsxwriter

    book = pc.CalamineWorkbook.from_path(str(form))
    sheet_name = book.sheet_names[0]
    sheet = book.get_sheet_by_name(sheet_name)
    rows, merged = sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []
    macro = path.suffix.lower() == ".xlsm"
    tmp.mkdir(parents=True, exist_ok=True)
    built = tmp / ("built" + path.suffix)
    wb = xlsxwriter.Workbook(str(built), {"strings_to_formulas": False})
    ws = wb.add_worksheet(sheet_name)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in ("", None):
                ws.write(r, c, value)
    for (r0, c0), (r1, c1) in merged:
        if (r0, c0) != (r1, c1):
            ws.merge_range(r0, c0, r1, c1, rows[r0][c0] if rows[r0][c0] != "" else None)
    (tmp / "seal.png").write_bytes(png())
    ws.insert_image("M2", str(tmp / "seal.png"))
    ws.insert_textbox("M6", "盖章处", {"width": 120, "height": 40})
    for i, v in enumerate([3, 5, 4, 8, 6]):
        ws.write_number(19 + i, 12, v)
    ws.add_sparkline("N20", {"range": f"'{sheet_name}'!M20:M24"})
    ws.conditional_format("M20:M24", {"type": "data_bar", "data_bar_2010": True})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": f"='{sheet_name}'!$M$20:$M$24"})
    ws.insert_chart("P2", chart)
    ws.write_formula("M26", "=SUM(M20:M24)", None, 26)
    ws.write_string("M28", "0123")
    ws.ignore_errors({"number_stored_as_text": "M28"})
    bold = wb.add_format({"bold": True, "font_color": "red"})
    ws.write_rich_string("M30", bold, "重要", "：单位自填说明")
    ws.write_comment("M32", "单位的批注（显示）", {"visible": True, "author": "单位"})
    ws.write_comment(commented, "单位原有批注", {"visible": True, "author": "单位"})
    ws.unprotect_range("M34:M35", "可编辑区")
    ws.protect(
        "", {"format_cells": True, "select_locked_cells": True, "select_unlocked_cells": True}
    )
    ws.set_landscape()
    wb.add_worksheet("隐藏").hide()
    wb.add_worksheet("深度隐藏").very_hidden()
    wb.set_properties({"company": "某某单位", "manager": "张三", "title": "项目支出绩效自评表"})
    wb.set_custom_property("报送批次", "第一批")
    if macro:
        (tmp / "vbaProject.bin").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
        wb.add_vba_project(str(tmp / "vbaProject.bin"))
    wb.close()
    path.write_bytes(_add_parts(built.read_bytes()))


def _add_parts(data: bytes) -> bytes:
    """Printer settings of sheet 1 and a WPS cell-image part, as Excel/WPS write them."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            body = zin.read(info)
            name = info.filename
            if name == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.'
                    b'spreadsheetml.printerSettings"/>'
                    b'<Override PartName="/xl/cellimages.xml" ContentType="application/vnd.wps-officedocument.'
                    b'cellimage+xml"/></Types>',
                )
                if b'Extension="png"' not in body:
                    body = body.replace(
                        b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>'
                    )
                if b"vbaProject" in body:  # xlsxwriter declares the VBA part's type itself
                    body = body.replace(
                        b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.'
                        b'spreadsheetml.printerSettings"/>',
                        b'<Override PartName="/xl/printerSettings/printerSettings1.bin" ContentType='
                        b'"application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>',
                    )
            elif name == "xl/_rels/workbook.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId900" Type="http://www.wps.cn/officeDocument/2020/cellImage"'
                    b' Target="cellimages.xml"/></Relationships>',
                )
            elif name == "xl/worksheets/_rels/sheet1.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId900" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/printerSettings" Target="../printerSettings/printerSettings1.bin"/>'
                    b"</Relationships>",
                )
            elif name == "xl/worksheets/sheet1.xml":
                body = re.sub(rb"<pageSetup\b", b'<pageSetup r:id="rId900"', body, count=1)
            zout.writestr(info, body)
        zout.writestr("xl/printerSettings/printerSettings1.bin", b"\x00DEVMODE" + bytes(200))
        zout.writestr("xl/cellimages.xml", _CELLIMAGES)
        zout.writestr("xl/_rels/cellimages.xml.rels", _CELLIMAGES_RELS)
        zout.writestr("xl/media/wps_image1.png", png((30, 30, 200)))
    return out.getvalue()
