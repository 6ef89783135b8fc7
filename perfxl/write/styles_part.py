"""The workbook's style sheet, appended to as text.

perfxl adds a few fills, fonts, borders, number formats and cell formats to
a unit's style sheet and changes nothing that is there, so the part is not
parsed and re-serialised whole (that cost more than all of a copy's style
changes): each list it appends to (``numFmts``, ``fonts``, ``fills``,
``borders``, ``cellXfs``) is found by its tags, new entries are added at its
end with its ``count`` updated, and an existing entry is parsed on its own,
in the style sheet's namespaces, only when a new one copies it (the cell
format of a restyled cell, the workbook's default font). Every byte of the
part outside those lists' counts and ends stays as the unit's program wrote
it. A style sheet with XML comments or CDATA, or one whose lists cannot be
found plainly, is refused (:class:`PackageError`: the caller falls back).
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import etree

from perfxl.write.package import REL, Package, PackageError, parse_xml, tag

__all__ = ["BUILTIN_FORMATS", "Styles"]

# the built-in number formats perfxl uses (ECMA-376 18.8.30); others get ids from 164
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10}  # fmt: skip
# the style sheet's lists in the order the schema requires (CT_Stylesheet)
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")  # fmt: skip
_ITEM = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
         "cellXfs": "xf"}  # fmt: skip
_ROOT = re.compile(rb"<(\w+:)?styleSheet\b[^>]*>")
_COUNT = re.compile(rb'\scount\s*=\s*["\'](\d*)["\']')
_NUM_FMT = re.compile(rb"numFmtId\s*=\s*[\"'](\d+)[\"']|formatCode\s*=\s*(\"[^\"]*\"|'[^']*')")
_DERIVED: dict[tuple, bytes] = {}  # (root tag, base entry, change) -> the new entry
_APPLIES = {"fillId": "applyFill", "numFmtId": "applyNumberFormat", "fontId": "applyFont",
            "borderId": "applyBorder"}  # fmt: skip


def _m(name: str) -> str:
    return tag("main", name)


class _List:
    """One list of the style sheet: where it is, its entries, what is appended."""

    def __init__(self, data: bytes, prefix: bytes, name: str) -> None:
        self.name, self.new = name, []
        p, item = prefix, _ITEM[name].encode()
        found = re.search(rb"<" + p + name.encode() + rb"\b[^>]*?(/?)>", data)
        self.span: tuple[int, int] | None = None  # (start, end) of the whole list
        self.items: list[bytes] = []
        if found is None:
            return
        if found.group(1):  # <fonts count="0"/>
            self.span, self.start_tag, body = found.span(), found.group(0)[:-2] + b">", b""
        else:
            close = b"</" + p + name.encode() + b">"
            end = data.find(close, found.end())
            if end < 0:
                raise PackageError(f"styles: {name} not closed")
            self.span, self.start_tag = (found.start(), end + len(close)), found.group(0)
            body = data[found.end() : end]
        pattern = rb"<" + p + item + rb"\b[^>]*?(?:/>|>.*?</" + p + item + rb">)"
        self.items = re.findall(pattern, body, re.DOTALL)
        self.body = body
        if len(re.findall(rb"<" + p + item + rb"\b", body)) != len(self.items):
            raise PackageError(f"styles: {name} entries not recognised")

    def append(self, item: bytes) -> int:
        self.new.append(item)
        return len(self.items) + len(self.new) - 1

    def text(self, prefix: bytes) -> bytes:
        """The list as it is written back (its count, the unit's entries, perfxl's)."""
        count = b' count="%d"' % (len(self.items) + len(self.new))
        if self.span is None:
            head = b"<" + prefix + self.name.encode() + count + b">"
            return head + b"".join(self.new) + b"</" + prefix + self.name.encode() + b">"
        head = self.start_tag
        head = _COUNT.sub(count, head, 1) if _COUNT.search(head) else head[:-1] + count + b">"
        close = b"</" + prefix + self.name.encode() + b">"
        return head + self.body + b"".join(self.new) + close


class Styles:
    """The style sheet: fills, fonts, borders, number formats and cell formats
    appended on demand, each distinct one once per workbook (see the module
    docstring)."""

    def __init__(self, pkg: Package, workbook: str) -> None:
        self.pkg = pkg
        part = next((t for _, ty, t in pkg.rels(workbook) if ty == REL["styles"]), None)
        if part is None:
            raise PackageError("no styles part")
        self.part = part
        self.data = data = pkg.read(part)
        root = _ROOT.search(data)
        if root is None or root.group(0).endswith(b"/>"):
            raise PackageError("styles: unexpected root")
        if b"<!--" in data or b"<![CDATA[" in data:
            raise PackageError("styles: comments or CDATA")
        self.prefix = root.group(1) or b""
        self.root_tag = root.group(0)
        self.root_close = b"</" + self.prefix + b"styleSheet>"
        self.lists = {name: _List(data, self.prefix, name) for name in _ITEM}
        if not self.lists["cellXfs"].items:
            raise PackageError("styles: no cell formats")
        self._memo: dict[Any, int] = {}
        self.changed = False

    # ------------------------------------------------------------------ entries

    def _parse(self, item: bytes) -> Any:
        """One entry as an element, alone under a copy of the style sheet's
        root (so it has the sheet's namespaces, and none is declared on it)."""
        wrapper = parse_xml(self.root_tag + item + self.root_close)
        return next(el for el in wrapper if isinstance(el.tag, str))

    def _new(self, local: str) -> Any:
        return etree.SubElement(parse_xml(self.root_tag + self.root_close), _m(local))

    def _text(self, el: Any) -> bytes:
        """An entry serialised as it sits under its root."""
        text = etree.tostring(el.getparent(), encoding="UTF-8")
        if text.startswith(b"<?xml"):
            text = text[text.index(b"?>") + 2 :].lstrip()
        return text[text.index(b">") + 1 : text.rindex(b"</")]

    def _append(self, name: str, item: bytes) -> int:
        self.changed = True
        return self.lists[name].append(item)

    def _item(self, local: str, attrs: str = "", body: str = "") -> bytes:
        p = self.prefix.decode()
        if body:
            return f"<{p}{local}{attrs}>{body}</{p}{local}>".encode()
        return f"<{p}{local}{attrs}/>".encode()

    def fill(self, rgb: str) -> int:
        key = ("fill", rgb)
        if key not in self._memo:
            p = self.prefix.decode()
            body = (f'<{p}patternFill patternType="solid"><{p}fgColor rgb="FF{rgb}"/>'
                    f'<{p}bgColor rgb="FF{rgb}"/></{p}patternFill>')  # fmt: skip
            self._memo[key] = self._append("fills", self._item("fill", "", body))
        return self._memo[key]

    def number_format(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        key = ("fmt", code)
        if key not in self._memo:
            listing, ids = self.lists["numFmts"], []
            for item in listing.items:
                found_id, found_code = None, None
                for m in _NUM_FMT.finditer(item):
                    if m.group(1):
                        found_id = int(m.group(1))
                    else:
                        found_code = html.unescape(m.group(2)[1:-1].decode("utf-8"))
                if found_id is None:
                    continue
                ids.append(found_id)
                if found_code == code:
                    self._memo[key] = found_id
                    return found_id
            new = max([163, *ids, *self._new_format_ids]) + 1
            attrs = f' numFmtId="{new}" formatCode="{html.escape(code, quote=True)}"'
            self._append("numFmts", self._item("numFmt", attrs))
            self._memo[key] = new
        return self._memo[key]

    @property
    def _new_format_ids(self) -> list[int]:
        return [v for k, v in self._memo.items() if k[0] == "fmt"]

    def font(self, bold: bool, size: float | None) -> int:
        """The workbook's default font, bold and/or resized (keeps its typeface)."""
        key = ("font", bold, size)
        if key not in self._memo:
            fonts = self.lists["fonts"].items
            base = fonts[0] if fonts else b""
            self._memo[key] = self._append("fonts", self._derived(base, key, self._make_font))
        return self._memo[key]

    def _make_font(self, base: bytes, key: tuple) -> bytes:
        _, bold, size = key
        el = self._parse(base) if base else self._new("font")
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
        return self._text(el)

    def _derived(self, base: bytes, key: tuple, make: Any) -> bytes:
        """An entry made from ``base`` as ``key`` says: a pure function of the
        two (and of the root's namespaces), kept per process, since the forms
        of one inbox mostly share their template's styles."""
        memo_key = (self.root_tag, base, key)
        item = _DERIVED.get(memo_key)
        if item is None:
            item = make(base, key)
            if len(_DERIVED) < 4096:
                _DERIVED[memo_key] = item
        return item

    def thin_border(self, rgb: str) -> int:
        key = ("border", rgb)
        if key not in self._memo:
            p = self.prefix.decode()
            sides = "".join(
                f'<{p}{side} style="thin"><{p}color rgb="FF{rgb}"/></{p}{side}>'
                for side in ("left", "right", "top", "bottom")
            )
            item = self._item("border", "", sides + f"<{p}diagonal/>")
            self._memo[key] = self._append("borders", item)
        return self._memo[key]

    def xf(self, base: int, **changes: Any) -> int:
        """A cell format: format ``base`` with ``fillId``/``numFmtId``/``fontId``/
        ``borderId`` replaced and, with ``wrap``, text wrapped at the top."""
        key = ("xf", base, tuple(sorted(changes.items())))
        if key not in self._memo:
            xfs = self.lists["cellXfs"]
            known = xfs.items + xfs.new
            item = known[base] if 0 <= base < len(known) else known[0]
            self._memo[key] = self._append(
                "cellXfs", self._derived(item, ("xf", key[2]), self._make_xf)
            )
        return self._memo[key]

    def _make_xf(self, base: bytes, key: tuple) -> bytes:
        changes = dict(key[1])
        el = self._parse(base)
        for name, value in changes.items():
            if name in _APPLIES:
                el.set(name, str(value))
                el.set(_APPLIES[name], "1")
        if changes.get("wrap"):
            align = el.find(_m("alignment"))
            if align is None:
                align = etree.Element(_m("alignment"))
                el.insert(0, align)
            align.set("wrapText", "1")
            align.set("vertical", "top")
            el.set("applyAlignment", "1")
        return self._text(el)

    # ------------------------------------------------------------------ saving

    def finish(self) -> None:
        """Write the lists back into the part, a new list where the schema puts it."""
        if not self.changed:
            return
        data, out, at = self.data, [], 0
        changed = [lst for lst in self.lists.values() if lst.new]
        placed = []
        for lst in changed:
            if lst.span is not None:
                placed.append((lst.span[0], lst.span[1], lst))
            else:
                placed.append((*(self._slot(lst.name),) * 2, lst))
        for start, end, lst in sorted(placed, key=lambda x: (x[0], _ORDER.index(x[2].name))):
            out.append(data[at:start])
            out.append(lst.text(self.prefix))
            at = end
        out.append(data[at:])
        self.pkg.put(self.part, b"".join(out))

    def _slot(self, name: str) -> int:
        """Where a list the style sheet lacks goes: before the first later list."""
        later = _ORDER[_ORDER.index(name) + 1 :]
        starts = []
        for other in later:
            lst = self.lists.get(other)
            if lst is not None and lst.span is not None:
                starts.append(lst.span[0])
                continue
            found = re.search(rb"<" + self.prefix + other.encode() + rb"\b", self.data)
            if found is not None:
                starts.append(found.start())
        return min(starts) if starts else self.data.rindex(self.root_close)


def _insert_before(parent: Any, el: Any, later: tuple[str, ...]) -> None:
    for i, child in enumerate(parent):
        if isinstance(child.tag, str) and etree.QName(child).localname in later:
            parent.insert(i, el)
            return
    parent.append(el)
