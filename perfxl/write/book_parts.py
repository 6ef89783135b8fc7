"""The workbook-wide parts perfxl appends to: shared strings and styles.

Both are append-only: every existing string and style keeps its index, so no
cell of the unit's changes meaning. Counts are kept right (Excel repairs a
workbook whose counts disagree), custom number formats are numbered from 164,
and new cell formats copy the cell's old format and change only what perfxl
sets (its fill, its number format), so fonts, borders and alignment stay.
"""

from __future__ import annotations

import html
import re

from perfxl.write.package import CT, REL, Package, PackageError, parse_xml, tag
from perfxl.write.styles_part import BUILTIN_FORMATS, Styles

__all__ = ["BUILTIN_FORMATS", "SharedStrings", "Styles"]
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
