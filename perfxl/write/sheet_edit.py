"""Edit cells of one worksheet part in place: fill empty cells, restyle marked ones.

Only the ``<c>`` elements perfxl fills or marks change (and a ``<row>`` or
``<c>`` is created where the sheet had none); everything else in the part —
attributes, extension lists, element order — is left as parsed.

A form sheet is mostly its ``<sheetData>``, and perfxl touches a few of its
rows, so the rows are not parsed as a whole: the part is split into the
text before ``<sheetData>``, its rows and the text after; the sheet's other
elements (columns, merged ranges, where a comment drawing goes) are parsed
with an empty ``<sheetData/>`` in between, and a row is parsed only when a
cell in it is asked for. On saving, each edited row is put back where it was
and every other row keeps its bytes. Parsing a form sheet whole cost more
than the rest of a copy's edits together. A sheet whose rows cannot be told
apart safely (a row without its number, comments or CDATA among the rows)
is parsed whole, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from perfxl.write.book_parts import SharedStrings, Styles
from perfxl.write.fill_plan import cell_index
from perfxl.write.package import Package, PackageError, parse_xml, tag

__all__ = ["SheetEdit", "column_letter", "format_number"]


def _m(name: str) -> str:
    return tag("main", name)


def column_letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def format_number(value: float | int) -> str:
    """A number as a cell's ``<v>``: integers plainly, floats round-tripping."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int) or (
        isinstance(value, float) and value.is_integer() and abs(value) < 1e15
    ):
        return str(int(value))
    return repr(float(value))


def _ref_col(ref: str) -> int:
    col = 0
    for ch in ref:
        if ch.isalpha():
            col = col * 26 + ord(ch.upper()) - 64
        else:
            break
    return col


_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
_WORKSHEET = re.compile(rb"<(\w+:)?worksheet\b[^>]*>")


class SheetEdit:
    """One worksheet part, with lookups for the cells perfxl touches (rows
    parsed on demand where the part allows it, see the module docstring)."""

    def __init__(self, pkg: Package, part: str, styles: Styles, strings: SharedStrings) -> None:
        self.pkg, self.part, self.styles, self.strings = pkg, part, styles, strings
        self._rows: dict[int, Any] | None = None
        self._cols: list[tuple[int, int, int]] | None = None
        self.changed = False
        self.root_changed = False  # the sheet's elements around the rows were edited
        self._split = _split(pkg.read(part))
        if self._split is not None:
            self.root = parse_xml(self._split.head + self._split.empty + self._split.tail)
        else:
            self.root = pkg.xml(part)
        if self.root.tag != _m("worksheet"):
            raise PackageError(f"{part}: not a worksheet")
        self.data = self.root.find(_m("sheetData"))
        if self.data is None:
            raise PackageError(f"{part}: no sheetData")
        self.merged = []
        for el in self.root.iterfind(f"{_m('mergeCells')}/{_m('mergeCell')}"):
            a, _, b = el.get("ref", "").partition(":")
            first, last = cell_index(a), cell_index(b or a)
            if first and last:
                self.merged.append((*first, *last))
        self._parsed: dict[int, Any] = {}  # split mode: the rows parsed so far
        self._dirty: set[int] = set()  # rows edited or created
        self._cells: dict[tuple[int, int], Any] = {}

    # ------------------------------------------------------------------ lookups

    def anchor(self, address: str) -> tuple[int, int] | None:
        """The cell that holds ``address``: the top-left of its merged range."""
        where = cell_index(address)
        if where is None:
            return None
        row, col = where
        for r0, c0, r1, c1 in self.merged:
            if r0 <= row <= r1 and c0 <= col <= c1:
                return r0, c0
        return where

    def rows(self) -> dict[int, Any]:
        if self._rows is None:
            self._rows, n = {}, 0
            for el in self.data.iterchildren(_m("row")):
                r = el.get("r")
                n = int(r) if r and r.isdigit() else n + 1
                self._rows[n] = el
        return self._rows

    def prepare(self, rows: Iterable[int]) -> None:
        """Parse the rows perfxl is about to touch in one document (a parse a
        row cost more than the rest of their edits)."""
        if self._split is None:
            return
        spans = self._split.spans
        wanted = sorted(r for r in set(rows) if r in spans and r not in self._parsed)
        if len(wanted) < 2:
            return
        text = b"".join(self._split.body[spans[r][0] : spans[r][1]] for r in wanted)
        wrapper = parse_xml(self._split.wrap_head + text + self._split.wrap_tail)
        found = list(wrapper.iter(_m("row")))
        if len(found) != len(wanted):
            raise PackageError(f"{self.part}: rows not found")
        self._parsed.update(zip(wanted, found, strict=True))

    def _row(self, row: int) -> Any:
        """The row's element (None: the sheet has no such row)."""
        if self._split is None:
            return self.rows().get(row)
        if row in self._parsed:
            return self._parsed[row]
        rows = self._split
        span = rows.spans.get(row)
        if span is None:
            return None
        wrapper = parse_xml(rows.wrap_head + rows.body[span[0] : span[1]] + rows.wrap_tail)
        row_el = next(wrapper.iter(_m("row")), None)
        if row_el is None:
            raise PackageError(f"{self.part}: row {row} not found")
        self._parsed[row] = row_el
        return row_el

    def cell(self, row: int, col: int, create: bool = False) -> Any:
        known = self._cells.get((row, col))
        if known is not None:  # a cell is looked up a few times (empty? fill, mark)
            return known
        found = self._find(row, col, create)
        if found is not None:
            self._cells[(row, col)] = found
        return found

    def _find(self, row: int, col: int, create: bool) -> Any:
        row_el = self._row(row)
        if row_el is None:
            if not create:
                return None
            row_el = self._new_row(row)
        n, before = 0, None
        for c in row_el.iterchildren(_m("c")):
            ref = c.get("r")
            n = _ref_col(ref) if ref else n + 1
            if n == col:
                return c
            if n > col:
                before = c
                break
        if not create:
            return None
        self._explicit(row_el, row)
        c = etree.Element(_m("c"), r=f"{column_letter(col)}{row}")
        base = self._base_style(row_el, col)
        if base:
            c.set("s", str(base))
        if before is not None:
            before.addprevious(c)
        else:
            last = row_el.find(_m("extLst"))
            if last is not None:
                last.addprevious(c)
            else:
                row_el.append(c)
        self._widen_spans(row_el, col)
        self._dirty.add(row)
        return c

    def _new_row(self, row: int) -> Any:
        if self._split is not None:  # a new row, in a wrapper of its own until saved
            wrapper = parse_xml(self._split.wrap_head + self._split.wrap_tail)
            new = etree.SubElement(next(wrapper.iter(_m("sheetData"))), _m("row"), r=str(row))
            self._parsed[row] = new
            self._dirty.add(row)
            return new
        rows = self.rows()
        for r, el in rows.items():
            if el.get("r") is None:
                el.set("r", str(r))
        new = etree.Element(_m("row"), r=str(row))
        later = [r for r in rows if r > row]
        if later:
            rows[min(later)].addprevious(new)
        else:
            self.data.append(new)
        rows[row] = new
        return new

    def _explicit(self, row_el: Any, row: int) -> None:
        """Give every cell of the row its address, so an inserted one shifts none."""
        n = 0
        for c in row_el.iterchildren(_m("c")):
            ref = c.get("r")
            n = _ref_col(ref) if ref else n + 1
            if not ref:
                c.set("r", f"{column_letter(n)}{row}")

    def _widen_spans(self, row_el: Any, col: int) -> None:
        spans = row_el.get("spans")
        if not spans or ":" not in spans or " " in spans:
            return
        lo, _, hi = spans.partition(":")
        if lo.isdigit() and hi.isdigit():
            row_el.set("spans", f"{min(int(lo), col)}:{max(int(hi), col)}")

    def _base_style(self, row_el: Any, col: int) -> int:
        """A new cell looks as the empty one did: its row's style, else its column's."""
        if row_el.get("customFormat") in ("1", "true") and (row_el.get("s") or "").isdigit():
            return int(row_el.get("s"))
        if self._cols is None:
            self._cols = []
            for el in self.root.iterfind(f"{_m('cols')}/{_m('col')}"):
                try:
                    self._cols.append(
                        (int(el.get("min")), int(el.get("max")), int(el.get("style") or 0))
                    )
                except (TypeError, ValueError):
                    continue
        for lo, hi, style in self._cols:
            if lo <= col <= hi:
                return style
        return 0

    # ------------------------------------------------------------------ edits

    def is_empty(self, c: Any) -> bool:
        """As the old writer judged: no value, or only blank text; a formula is not empty."""
        if c is None:
            return True
        if c.find(_m("f")) is not None:
            return False
        kind = c.get("t", "n")
        if kind == "inlineStr":
            return not "".join(
                c.find(_m("is")).itertext() if c.find(_m("is")) is not None else ""
            ).strip()
        v = c.find(_m("v"))
        if v is None or v.text is None or not v.text.strip():
            return True
        if kind == "s":
            return not self.strings.text(int(v.text)).strip() if v.text.strip().isdigit() else False
        if kind == "str":
            return not v.text.strip()
        return False

    def set_value(self, c: Any, value: Any) -> None:
        for child in list(c):
            if etree.QName(child).localname in ("f", "v", "is"):
                c.remove(child)
        for attr in ("t", "cm", "vm"):
            c.attrib.pop(attr, None)
        v = etree.Element(_m("v"))
        if isinstance(value, str):
            c.set("t", "s")
            v.text = str(self.strings.index(value))
        else:
            v.text = format_number(value)
        c.insert(0, v)
        self._touched(c)

    def restyle(self, c: Any, fill_rgb: str, fmt: str | None) -> None:
        base = int(c.get("s") or 0) if (c.get("s") or "0").isdigit() else 0
        changes: dict[str, Any] = {"fillId": self.styles.fill(fill_rgb)}
        if fmt:
            changes["numFmtId"] = self.styles.number_format(fmt)
        c.set("s", str(self.styles.xf(base, **changes)))
        self._touched(c)

    def _touched(self, c: Any) -> None:
        self.changed = True
        row = c.getparent().get("r") if c.getparent() is not None else None
        if row and row.isdigit():
            self._dirty.add(int(row))

    def finish(self) -> None:
        if not self.changed:
            return
        if self._split is None:
            self.pkg.touch(self.part)
            return
        rows = self._split
        head, tail, spans = rows.head, rows.tail, rows.spans
        if self.root_changed:  # the elements around the rows, re-serialised
            text = etree.tostring(
                self.root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
            at = text.find(rows.empty)
            if at < 0:
                raise PackageError(f"{self.part}: sheetData lost")
            head, tail = text[:at], text[at + len(rows.empty) :]
        # the rows' bytes, each edited or new row in its place (rows are in order);
        # a new row goes before the row it follows in number, new rows by number
        order = sorted(
            [(spans[r][0], 1, r) for r in self._dirty if r in spans]
            + [(rows.insert_at(r), 0, r) for r in self._dirty if r not in spans]
        )  # fmt: skip
        texts = self._row_texts()
        pieces, at = [], 0
        for start, _, r in order:
            pieces.append(rows.body[at:start])
            pieces.append(texts[r])
            at = spans[r][1] if r in spans else start
        pieces.append(rows.body[at:])
        self.pkg.put(self.part, head + rows.open_tag + b"".join(pieces) + rows.close_tag + tail)

    def _row_texts(self) -> dict[int, bytes]:
        """The edited rows serialised, each document of rows once: a row's
        text is cut from its document's, so no namespace is declared on it."""
        number = {id(el): r for r, el in self._parsed.items()}
        documents: dict[int, Any] = {}
        for r in self._dirty:
            root = self._parsed[r].getroottree().getroot()
            documents[id(root)] = root
        texts: dict[int, bytes] = {}
        row_open = b"<" + (self._split.prefix if self._split else b"") + b"row"
        for root in documents.values():
            els = list(root.iter(_m("row")))
            chunks = _split_rows(_rows_text(root), row_open)
            if len(chunks) != len(els):
                raise PackageError(f"{self.part}: rows not serialised as expected")
            for el, chunk in zip(els, chunks, strict=True):
                texts[number[id(el)]] = chunk
        return texts


def _rows_text(wrapper: Any) -> bytes:
    """The text between a row document's sheetData tags."""
    text = etree.tostring(wrapper, encoding="UTF-8")
    if text.startswith(b"<?xml"):
        text = text[text.index(b"?>") + 2 :].lstrip()
    opened = _SHEET_DATA.search(text)
    close = text.rfind(b"</", 0, text.rfind(b"</"))
    if opened is None or close < opened.end():
        raise PackageError("row: unexpected serialisation")
    return text[opened.end() : close]


def _split_rows(text: bytes, row_open: bytes) -> list[bytes]:
    """Consecutive rows' text cut at each row's start tag (rows never nest)."""
    starts, at = [], text.find(row_open)
    while at >= 0:
        if text[at + len(row_open) : at + len(row_open) + 1] in (
            b" ",
            b">",
            b"/",
            b"\t",
            b"\n",
            b"\r",
        ):
            starts.append(at)
        at = text.find(row_open, at + 1)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


@dataclass(frozen=True)
class _Rows:
    """A worksheet part cut around its rows (see the module docstring)."""

    head: bytes  # up to <sheetData>
    body: bytes  # the rows
    tail: bytes  # after </sheetData>
    spans: dict[int, tuple[int, int]]  # row number -> its (start, end) in body
    open_tag: bytes  # <sheetData> as written (a self-closing one becomes a pair)
    close_tag: bytes
    empty: bytes  # what stands for the rows while the rest is parsed: <sheetData/>
    wrap_head: bytes  # the worksheet's start tag (its namespaces) + <sheetData>: a row's
    wrap_tail: bytes  # document while it is parsed on its own
    prefix: bytes  # the main namespace's prefix in this part (b"" when it is the default)

    def insert_at(self, row: int) -> int:
        """Where a new row goes in body: before the first row after it."""
        later = [start for r, (start, _) in self.spans.items() if r > row]
        return min(later) if later else len(self.body)


def _split(data: bytes) -> _Rows | None:
    """The part cut around its rows, or None when they cannot be told apart safely."""
    sheet_data = _SHEET_DATA.search(data)
    root = _WORKSHEET.search(data)
    if sheet_data is None or root is None or root.end() > sheet_data.start():
        return None
    if root.group(0).endswith(b"/>"):
        return None
    prefix = sheet_data.group(1) or b""
    close_tag = b"</" + prefix + b"sheetData>"
    if sheet_data.group(2):  # <sheetData/>: no rows
        start = end = sheet_data.end()
        open_tag, after = b"<" + prefix + b"sheetData>", sheet_data.end()
    else:
        start, end = sheet_data.end(), data.find(close_tag, sheet_data.end())
        if end < 0:
            return None
        open_tag, after = sheet_data.group(0), end + len(close_tag)
    body = data[start:end]
    if b"<!--" in body or b"<![CDATA[" in body or b"<?" in body:
        return None
    spans: dict[int, tuple[int, int]] = {}
    row_open, row_close = b"<" + prefix + b"row", b"</" + prefix + b"row>"
    at = body.find(row_open)
    while at >= 0:  # plain finds: a pattern tried at every "<" cost more than the parse saved
        tag_end = body.find(b">", at)
        start_tag = body[at : tag_end + 1]
        number = _ROW_NUMBER.search(start_tag)
        if tag_end < 0 or start_tag[len(row_open)] not in b" \t\r\n/>" or number is None:
            return None  # a row without its number, or an element that only looks like one
        if int(number.group(1)) in spans:
            return None  # a number twice
        end = tag_end + 1 if start_tag.endswith(b"/>") else body.find(row_close, tag_end)
        if end < 0:
            return None
        if not start_tag.endswith(b"/>"):
            end += len(row_close)
        spans[int(number.group(1))] = (at, end)
        at = body.find(row_open, end)
    if not spans and body.strip():
        return None  # rows under another prefix
    worksheet_close = b"</" + (root.group(1) or b"") + b"worksheet>"
    return _Rows(
        head=data[: sheet_data.start()], body=body, tail=data[after:], spans=spans,
        open_tag=open_tag, close_tag=close_tag, empty=b"<" + prefix + b"sheetData/>",
        wrap_head=root.group(0) + open_tag, wrap_tail=close_tag + worksheet_close, prefix=prefix,
    )  # fmt: skip
