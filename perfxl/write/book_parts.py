"""The workbook-wide parts perfxl appends to: shared strings and styles.

Both are append-only: every existing string and style keeps its index, so no
cell of the unit's changes meaning. Counts are kept right (Excel repairs a
workbook whose counts disagree), custom number formats are numbered from 164,
and new cell formats copy the cell's old format and change only what perfxl
sets (its fill, its number format), so fonts, borders and alignment stay.
"""

from __future__ import annotations

import copy
import html
import re
from typing import Any

from lxml import etree

from perfxl.write.package import CT, REL, Package, PackageError, parse_xml, tag

__all__ = ["BUILTIN_FORMATS", "SharedStrings", "Styles"]

# the built-in number formats perfxl uses (ECMA-376 18.8.30); others get ids from 164
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10}  # fmt: skip
_ITEMS: dict[tuple[bytes, str], bytes] = {}  # (prefix, text) -> its <si> element
_SST_ROOT = re.compile(rb"<(\w+:)?sst\b[^>]*>")
_COUNT = re.compile(rb'\scount="(\d+)"')
_UNIQUE = re.compile(rb'\suniqueCount="\d*"')
_EMPTY_SST = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' count="0" uniqueCount="0"></sst>'
)


def _m(name: str) -> str:
    return tag("main", name)


class SharedStrings:
    """The shared string table, with perfxl's strings appended (never inline).

    Appending works on the part's bytes (a few hundred strings a copy, where
    building elements cost more than the rest of the copy); the table is
    parsed only if an existing string's text is asked for.
    """

    def __init__(self, pkg: Package, workbook: str) -> None:
        self.pkg = pkg
        self.part = next((t for _, ty, t in pkg.rels(workbook) if ty == REL["strings"]), None)
        if self.part is None:
            self.part = "xl/sharedStrings.xml"
            pkg.put(self.part, _EMPTY_SST, CT["strings"])
            pkg.add_rel(workbook, REL["strings"], self.part)
        self.data = pkg.read(self.part)
        root = _SST_ROOT.search(self.data)
        if root is None:
            raise PackageError("shared strings: unexpected root")
        self.prefix = root.group(1) or b""
        if root.group(0).endswith(b"/>"):  # an empty table written as <sst …/>
            start, end = root.span()
            self.data = (
                self.data[:start] + root.group(0)[:-2] + b"></" + self.prefix + b"sst>"
                + self.data[end:]
            )  # fmt: skip
        self.size = self.data.count(b"<" + self.prefix + b"si>") + self.data.count(
            b"<" + self.prefix + b"si "
        )
        self.ours: dict[str, int] = {}
        self.new: list[bytes] = []
        self.refs = 0
        self._texts: list[str] | None = None

    def text(self, i: int) -> str:
        """The plain text of an existing string (phonetic runs left out)."""
        if self._texts is None:
            root, rph = parse_xml(self.data), _m("rPh")
            self._texts = [
                "".join(t.text or "" for t in si.iter(_m("t")) if t.getparent().tag != rph)
                for si in root
                if si.tag == _m("si")
            ]
        return self._texts[i] if 0 <= i < len(self._texts) else ""

    def index(self, text: str) -> int:
        """Index of ``text`` among perfxl's strings (appended once each)."""
        self.refs += 1
        found = self.ours.get(text)
        if found is not None:
            return found
        item = _ITEMS.get((self.prefix, text))
        if item is None:
            p = self.prefix
            space = b' xml:space="preserve"' if text != text.strip() or "\n" in text else b""
            body = html.escape(text, quote=False).encode("utf-8")
            item = b"<%ssi><%st%s>%s</%st></%ssi>" % (p, p, space, body, p, p)
            if len(_ITEMS) < 20000:  # headers and names recur in every copy of a batch
                _ITEMS[(self.prefix, text)] = item
        self.new.append(item)
        self.ours[text] = self.size
        self.size += 1
        return self.size - 1

    def finish(self) -> None:
        if not self.refs:
            return
        data = self.data
        close = data.rfind(b"</" + self.prefix + b"sst>")
        root = _SST_ROOT.search(data)
        if close < 0 or root is None:
            raise PackageError("shared strings: no end tag")
        head = root.group(0)
        count = _COUNT.search(head)
        if count is not None:
            head = _COUNT.sub(b' count="%d"' % (int(count.group(1)) + self.refs), head, 1)
        if _UNIQUE.search(head):
            head = _UNIQUE.sub(b' uniqueCount="%d"' % self.size, head, 1)
        else:
            head = head[:-1] + b' uniqueCount="%d">' % self.size
        s, e = root.span()
        self.pkg.put(self.part, data[:s] + head + data[e:close] + b"".join(self.new) + data[close:])


class Styles:
    """The style sheet: fills, fonts, borders, number formats and cell formats
    appended on demand, each distinct one once per workbook."""

    def __init__(self, pkg: Package, workbook: str) -> None:
        self.pkg = pkg
        part = next((t for _, ty, t in pkg.rels(workbook) if ty == REL["styles"]), None)
        if part is None:
            raise PackageError("no styles part")
        self.part = part
        self.root = pkg.xml(part)
        if self.root.tag != _m("styleSheet"):
            raise PackageError("styles: unexpected root")
        self.xfs = self._list("cellXfs", "xf")
        if not len(self.xfs):
            raise PackageError("styles: no cell formats")
        self.fills = self._list("fills", "fill")
        self._memo: dict[Any, int] = {}
        self._elements: dict[Any, list[Any]] = {}
        self.changed = False

    # lists in the order the schema requires (CT_Stylesheet)
    _ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
              "dxfs", "tableStyles", "colors", "extLst")  # fmt: skip

    def _list(self, name: str, item: str) -> Any:
        el = self.root.find(_m(name))
        if el is None:
            el = etree.Element(_m(name))
            el.set("count", "0")
            later = self._ORDER[self._ORDER.index(name) + 1 :]
            for i, child in enumerate(self.root):
                if etree.QName(child).localname in later:
                    self.root.insert(i, el)
                    break
            else:
                self.root.append(el)
        return el

    def _items(self, listing: Any) -> list[Any]:
        """The elements of a list (comments left out), collected once per list."""
        known = self._elements.get(listing)
        if known is None:
            known = self._elements[listing] = [el for el in listing if isinstance(el.tag, str)]
        return known

    def _append(self, listing: Any, item: Any) -> int:
        items = self._items(listing)
        listing.append(item)
        items.append(item)
        listing.set("count", str(len(items)))
        self.changed = True
        return len(items) - 1

    def fill(self, rgb: str) -> int:
        key = ("fill", rgb)
        if key not in self._memo:
            el = etree.Element(_m("fill"))
            pattern = etree.SubElement(el, _m("patternFill"), patternType="solid")
            etree.SubElement(pattern, _m("fgColor"), rgb="FF" + rgb)
            etree.SubElement(pattern, _m("bgColor"), rgb="FF" + rgb)
            self._memo[key] = self._append(self.fills, el)
        return self._memo[key]

    def number_format(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        key = ("fmt", code)
        if key not in self._memo:
            listing = self._list("numFmts", "numFmt")
            ids = [int(el.get("numFmtId", "0")) for el in listing if isinstance(el.tag, str)]
            for el in listing:
                if isinstance(el.tag, str) and el.get("formatCode") == code:
                    self._memo[key] = int(el.get("numFmtId", "0"))
                    return self._memo[key]
            new = max([163, *ids]) + 1
            self._append(listing, etree.Element(_m("numFmt"), numFmtId=str(new), formatCode=code))
            self._memo[key] = new
        return self._memo[key]

    def font(self, bold: bool, size: float | None) -> int:
        """The workbook's default font, bold and/or resized (keeps its typeface)."""
        key = ("font", bold, size)
        if key not in self._memo:
            fonts = self._list("fonts", "font")
            base = next((el for el in fonts if isinstance(el.tag, str)), None)
            el = copy.deepcopy(base) if base is not None else etree.Element(_m("font"))
            for old in el.findall(_m("b")):
                el.remove(old)
            if bold:
                el.insert(0, etree.Element(_m("b")))
            if size is not None:
                sz = el.find(_m("sz"))
                if sz is None:
                    sz = etree.Element(_m("sz"))
                    _insert_before(el, sz, ("color", "name", "family", "charset", "scheme"))
                sz.set("val", f"{size:g}")
            self._memo[key] = self._append(fonts, el)
        return self._memo[key]

    def thin_border(self, rgb: str) -> int:
        key = ("border", rgb)
        if key not in self._memo:
            el = etree.Element(_m("border"))
            for side in ("left", "right", "top", "bottom"):
                s = etree.SubElement(el, _m(side), style="thin")
                etree.SubElement(s, _m("color"), rgb="FF" + rgb)
            etree.SubElement(el, _m("diagonal"))
            self._memo[key] = self._append(self._list("borders", "border"), el)
        return self._memo[key]

    def xf(self, base: int, **changes: Any) -> int:
        """A cell format: format ``base`` with ``fillId``/``numFmtId``/``fontId``/
        ``borderId`` replaced and, with ``wrap``, text wrapped at the top."""
        key = ("xf", base, tuple(sorted(changes.items())))
        if key not in self._memo:
            items = self._items(self.xfs)
            el = copy.deepcopy(items[base] if 0 <= base < len(items) else items[0])
            applies = {"fillId": "applyFill", "numFmtId": "applyNumberFormat",
                       "fontId": "applyFont", "borderId": "applyBorder"}  # fmt: skip
            for name, value in changes.items():
                if name in applies:
                    el.set(name, str(value))
                    el.set(applies[name], "1")
            if changes.get("wrap"):
                align = el.find(_m("alignment"))
                if align is None:
                    align = etree.Element(_m("alignment"))
                    el.insert(0, align)
                align.set("wrapText", "1")
                align.set("vertical", "top")
                el.set("applyAlignment", "1")
            self._memo[key] = self._append(self.xfs, el)
        return self._memo[key]

    def finish(self) -> None:
        if self.changed:
            self.pkg.touch(self.part)


def _insert_before(parent: Any, el: Any, later: tuple[str, ...]) -> None:
    for i, child in enumerate(parent):
        if isinstance(child.tag, str) and etree.QName(child).localname in later:
            parent.insert(i, el)
            return
    parent.append(el)
