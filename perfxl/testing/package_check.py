"""A structural check of an .xlsx package: what makes Excel offer a repair.

Used by the tests on every completed copy (and handy on any workbook):
the zip is sound, every part has a content type and parses, every internal
relationship resolves, ids that must be unique are (relationship ids per
part, sheet ids and names, comment refs, VML shape ids), counts in the
styles and shared strings agree with their lists, every cell's style and
shared string index exists, custom number formats are numbered from 164,
and worksheet children come in the order the schema requires. Returns the
list of findings (empty: sound).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

__all__ = ["check_package"]

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
SHEET_ORDER = (
    "sheetPr dimension sheetViews sheetFormatPr cols sheetData sheetCalcPr sheetProtection "
    "protectedRanges scenarios autoFilter sortState dataConsolidate customSheetViews mergeCells "
    "phoneticPr conditionalFormatting dataValidations hyperlinks printOptions pageMargins "
    "pageSetup headerFooter rowBreaks colBreaks customProperties cellWatches ignoredErrors "
    "smartTags drawing legacyDrawing legacyDrawingHF drawingHF picture oleObjects controls "
    "webPublishItems tableParts extLst"
).split()
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_SHAPE = re.compile(rb"<v:shape\b[^>]*\bid=\"(_x0000_s\d+)\"")


def check_package(data: bytes) -> list[str]:
    out: list[str] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        bad = zf.testzip()
    except (zipfile.BadZipFile, OSError) as exc:
        return [f"zip: {exc}"]
    if bad:
        out.append(f"zip: bad CRC in {bad}")
    names = [i.filename for i in zf.infolist()]
    if len(names) != len(set(names)):
        out.append("zip: duplicate member names")
    parts = {n: zf.read(n) for n in names}
    trees = {}
    for name, body in parts.items():
        if name.endswith((".xml", ".rels")):
            try:
                trees[name] = etree.fromstring(body, _PARSER)
            except etree.XMLSyntaxError as exc:
                out.append(f"{name}: does not parse ({exc})")
    out += _content_types(trees, names)
    out += _relationships(trees, names)
    out += _workbook(trees)
    out += _styles_and_strings(trees)
    out += _sheets(trees)
    shapes = [m for n, b in parts.items() if n.endswith(".vml") for m in _SHAPE.findall(b)]
    if len(shapes) != len(set(shapes)):
        out.append("vml: shape ids repeat across the package")
    return out


def _content_types(trees: dict, names: list[str]) -> list[str]:
    ct = trees.get("[Content_Types].xml")
    if ct is None:
        return ["[Content_Types].xml missing"]
    defaults = {el.get("Extension", "").lower() for el in ct.iter(CT + "Default")}
    overrides = [el.get("PartName", "").lstrip("/") for el in ct.iter(CT + "Override")]
    out = [f"content type for a missing part {p}" for p in overrides if p not in names]
    if len(overrides) != len(set(overrides)):
        out.append("content types: a part overridden twice")
    for n in names:
        ext = n.rsplit(".", 1)[-1].lower()
        if n != "[Content_Types].xml" and not n.endswith("/") and n not in overrides:
            if ext not in defaults:
                out.append(f"{n}: no content type")
    return out


def _relationships(trees: dict, names: list[str]) -> list[str]:
    out = []
    for name, root in trees.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        ids = [el.get("Id") for el in root.iter(REL)]
        if len(ids) != len(set(ids)):
            out.append(f"{name}: relationship ids repeat")
        for el in root.iter(REL):
            if el.get("TargetMode") == "External":
                continue
            target = el.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            if path not in names:
                out.append(f"{name}: {el.get('Id')} points to missing {path}")
    return out


def _workbook(trees: dict) -> list[str]:
    wb = trees.get("xl/workbook.xml")
    if wb is None:
        return ["xl/workbook.xml missing"]
    sheets = list(wb.iter(M + "sheet"))
    out = []
    for attr in ("sheetId", "name", R_ID):
        values = [(s.get(attr) or "").lower() for s in sheets]
        if len(values) != len(set(values)):
            out.append(f"workbook: sheet {attr} repeats")
    names = [(d.get("name", "").lower(), d.get("localSheetId")) for d in wb.iter(M + "definedName")]
    if len(names) != len(set(names)):
        out.append("workbook: a defined name repeats in one scope")
    return out


def _count(el, child: str) -> list[str]:
    if el is None:
        return []
    n = len(el.findall(M + child))
    c = el.get("count")
    return [] if c is None or int(c) == n else [f"styles: {el.tag[len(M) :]} count {c} ≠ {n}"]


def _styles_and_strings(trees: dict) -> list[str]:
    out: list[str] = []
    st = trees.get("xl/styles.xml")
    xfs = 0
    if st is not None:
        for parent, child in (("numFmts", "numFmt"), ("fonts", "font"), ("fills", "fill"),
                              ("borders", "border"), ("cellXfs", "xf")):  # fmt: skip
            out += _count(st.find(M + parent), child)
        ids = [int(el.get("numFmtId")) for el in st.iter(M + "numFmt")]
        if any(i < 164 for i in ids) or len(ids) != len(set(ids)):
            out.append("styles: custom number formats not unique from 164")
        cell_xfs = st.find(M + "cellXfs")
        xfs = len(cell_xfs) if cell_xfs is not None else 0
        limits = {k: len(st.find(M + p)) if st.find(M + p) is not None else 0
                  for k, p in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders"))}  # fmt: skip
        for xf in cell_xfs if cell_xfs is not None else ():
            for key, limit in limits.items():
                if int(xf.get(key, "0")) >= max(limit, 1):
                    out.append(f"styles: xf {key} out of range")
    sst = trees.get("xl/sharedStrings.xml")
    strings = len(sst.findall(M + "si")) if sst is not None else 0
    if sst is not None and sst.get("uniqueCount") not in (None, str(strings)):
        out.append(f"sharedStrings: uniqueCount {sst.get('uniqueCount')} ≠ {strings}")
    for name, root in trees.items():
        if root.tag != M + "worksheet":
            continue
        for c in root.iter(M + "c"):
            if int(c.get("s", "0")) >= max(xfs, 1):
                out.append(f"{name}!{c.get('r')}: style index out of range")
            v = c.find(M + "v")
            if c.get("t") == "s" and (v is None or int(v.text) >= strings):
                out.append(f"{name}!{c.get('r')}: shared string index out of range")
            if c.get("t") == "inlineStr" and "perfxl" in name:
                out.append(f"{name}: inline string")
    return out


def _sheets(trees: dict) -> list[str]:
    out = []
    for name, root in trees.items():
        if root.tag == M + "worksheet":
            seen = [etree.QName(el).localname for el in root if isinstance(el.tag, str)]
            known = [SHEET_ORDER.index(t) for t in seen if t in SHEET_ORDER]
            if known != sorted(known):
                out.append(f"{name}: children out of schema order {seen}")
            refs = [c.get("r") for c in root.iter(M + "c") if c.get("r")]
            if len(refs) != len(set(refs)):
                out.append(f"{name}: a cell appears twice")
            rows = [int(r.get("r")) for r in root.iter(M + "row") if r.get("r")]
            if rows != sorted(set(rows)):
                out.append(f"{name}: rows out of order")
        if root.tag == M + "comments":
            refs = [c.get("ref") for c in root.iter(M + "comment")]
            if len(refs) != len(set(refs)):
                out.append(f"{name}: two comments on one cell")
            authors = len(root.findall(f"{M}authors/{M}author"))
            if any(int(c.get("authorId", "0")) >= authors for c in root.iter(M + "comment")):
                out.append(f"{name}: comment author out of range")
    return out
