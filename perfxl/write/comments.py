"""perfxl's cell comments, merged into the unit's own.

A cell comment lives in two parts: the comments part (its text and author)
and the legacy VML drawing (its box: position, size, whether it is shown).
The unit's comments stay as they were, visible ones visible: a cell that has
one gets perfxl's lines appended as a new run of its text, and its VML shape
is left alone; a cell without one gets a new comment and a new hidden shape.
Shape ids stay unique across the workbook (each VML drawing owns blocks of
1,024 ids named by its ``o:idmap``).
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import etree

from perfxl.write.package import CT, NS, REL, Package, PackageError, tag
from perfxl.write.review_sheet import text_width
from perfxl.write.sheet_edit import SheetEdit, column_letter

__all__ = ["AUTHOR", "VmlIds", "add_comments"]

AUTHOR = "perfxl"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_IDMAP = re.compile(rb"<o:idmap\b[^>]*\bdata=\"([\d,\s]*)\"")
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_SHAPETYPE = (
    b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
    b' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    b'<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
_COMMENTS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<authors><author>" + AUTHOR.encode() + b"</author></authors><commentList>%s</commentList>"
    b"</comments>"
)
_COMMENT = b'<comment ref="%s" authorId="0"><text><t xml:space="preserve">%s</t></text></comment>'
_VML_HEAD = (
    b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    b' xmlns:x="urn:schemas-microsoft-com:office:excel">'
    b'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%d"/></o:shapelayout>'
)


def _m(name: str) -> str:
    return tag("main", name)


class VmlIds:
    """The idmap blocks taken by every VML drawing of the package."""

    def __init__(self, pkg: Package) -> None:
        self.taken: set[int] = set()
        for name in pkg.names:
            if name.lower().endswith(".vml"):
                for m in _IDMAP.finditer(pkg.read(name)):
                    self.taken.update(int(x) for x in re.split(rb"[,\s]+", m.group(1)) if x)

    def block(self) -> int:
        n = 1
        while n in self.taken:
            n += 1
        self.taken.add(n)
        return n


def add_comments(
    pkg: Package, sheet: SheetEdit, notes: dict[tuple[int, int], str], ids: VmlIds
) -> None:
    """Attach ``notes`` ((row, col) -> text) to the sheet's cells."""
    if not notes:
        return
    rels = pkg.rels(sheet.part)
    part = next((t for _, ty, t in rels if ty == REL["comments"]), None)
    if part is None:  # the sheet's first comments: the part is written as text
        part = pkg.free_name("xl/comments%d.xml")
        body = b"".join(
            _COMMENT % (f"{column_letter(col)}{row}".encode(), _escape(text))
            for (row, col), text in notes.items()
        )
        pkg.put(part, _COMMENTS % body, CT["comments"])
        pkg.add_rel(sheet.part, REL["comments"], part)
        _add_shapes(pkg, sheet, [(row, col, text) for (row, col), text in notes.items()], ids)
        return
    root = pkg.xml(part)
    authors, listing = root.find(_m("authors")), root.find(_m("commentList"))
    if root.tag != _m("comments") or authors is None or listing is None:
        raise PackageError(f"{part}: unexpected comments part")
    existing = {
        (c.get("ref") or "").upper().replace("$", ""): c for c in listing.iter(_m("comment"))
    }
    names = [a.text or "" for a in authors.iter(_m("author"))]
    if AUTHOR not in names:
        etree.SubElement(authors, _m("author")).text = AUTHOR
        names.append(AUTHOR)
    author_id = str(names.index(AUTHOR))
    new: list[tuple[int, int, str]] = []
    for (row, col), text in notes.items():
        ref = f"{column_letter(col)}{row}"
        old = existing.get(ref)
        if old is not None:
            _append_run(old, text)
            continue
        c = etree.SubElement(listing, _m("comment"), ref=ref, authorId=author_id)
        t = etree.SubElement(etree.SubElement(c, _m("text")), _m("t"))
        t.text = text
        t.set(_XML_SPACE, "preserve")
        new.append((row, col, text))
    pkg.touch(part)
    if new:
        _add_shapes(pkg, sheet, new, ids)


def _escape(text: str) -> bytes:
    return html.escape(text, quote=False).encode("utf-8")


def _append_run(comment: Any, text: str) -> None:
    """perfxl's lines as a new run after the unit's text, which keeps its runs."""
    body = comment.find(_m("text"))
    if body is None:
        body = etree.SubElement(comment, _m("text"))
    run = etree.Element(_m("r"))
    t = etree.SubElement(run, _m("t"))
    t.text = "\n" + text
    t.set(_XML_SPACE, "preserve")
    later = [el for el in body if etree.QName(el).localname in ("rPh", "phoneticPr")]
    if later:
        later[0].addprevious(run)
    else:
        body.append(run)


def _add_shapes(
    pkg: Package, sheet: SheetEdit, new: list[tuple[int, int, str]], ids: VmlIds
) -> None:
    legacy = sheet.root.find(_m("legacyDrawing"))
    part = None
    if legacy is not None:
        rid = legacy.get(f"{{{NS['r']}}}id")
        part = next((t for i, ty, t in pkg.rels(sheet.part) if i == rid and ty == REL["vml"]), None)
    if part is not None:
        data = pkg.read(part)
        used = [int(x) for x in _SHAPE_ID.findall(data)]
        blocks = [
            int(x) for m in _IDMAP.finditer(data) for x in re.split(rb"[,\s]+", m.group(1)) if x
        ]
        start = max(used + [max(blocks or [1]) * 1024]) + 1
        shapes = b"".join(_shape(start + i, r, c, text) for i, (r, c, text) in enumerate(new))
        if b'id="_x0000_t202"' not in data:
            shapes = _SHAPETYPE + shapes
        end = data.rfind(b"</xml>")
        if end < 0:
            raise PackageError(f"{part}: unexpected VML")
        pkg.put(part, data[:end] + shapes + data[end:])
        return
    block = ids.block()
    shapes = b"".join(
        _shape(block * 1024 + 1 + i, r, c, text) for i, (r, c, text) in enumerate(new)
    )
    part = pkg.free_name("xl/drawings/vmlDrawing%d.vml")
    pkg.ensure_default("vml", CT["vml"])
    pkg.put(part, _VML_HEAD % block + _SHAPETYPE + shapes + b"</xml>")
    rid = pkg.add_rel(sheet.part, REL["vml"], part)
    el = etree.Element(_m("legacyDrawing"))
    el.set(f"{{{NS['r']}}}id", rid)
    _place(sheet.root, el)
    sheet.changed = sheet.root_changed = True


# CT_Worksheet children that come after legacyDrawing
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                 "webPublishItems", "tableParts", "extLst")  # fmt: skip


def _place(root: Any, el: Any) -> None:
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname in _AFTER_LEGACY:
            child.addprevious(el)
            return
    root.append(el)


def _shape(shape_id: int, row: int, col: int, text: str) -> bytes:
    lines = sum(1 + int(text_width(line) // 40) for line in text.split("\n"))
    height = min(24 + 16 * lines, 400) * 0.75
    r0, c0 = row - 1, col - 1
    anchor = f"{c0 + 1}, 15, {max(r0 - 1, 0)}, 10, {c0 + 4}, 15, {r0 + 3}, 4"
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;'
        f"margin-left:59.25pt;margin-top:1.5pt;width:225pt;height:{height:g}pt;z-index:1;"
        'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
        '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
        '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
        '<div style="text-align:left"></div></v:textbox>'
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
        f"<x:Row>{r0}</x:Row><x:Column>{c0}</x:Column></x:ClientData></v:shape>"
    ).encode("ascii")
