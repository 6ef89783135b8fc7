"""Edit cells of one worksheet part in place: fill empty cells, restyle marked ones.

Only the ``<c>`` elements perfxl fills or marks change (and a ``<row>`` or
``<c>`` is created where the sheet had none); everything else in the part —
attributes, extension lists, element order — is left as parsed.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from perfxl.write.book_parts import SharedStrings, Styles
from perfxl.write.fill_plan import cell_index
from perfxl.write.package import Package, PackageError, tag

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


class SheetEdit:
    """One worksheet part, parsed once, with lookups for the cells perfxl touches."""

    def __init__(self, pkg: Package, part: str, styles: Styles, strings: SharedStrings) -> None:
        self.pkg, self.part, self.styles, self.strings = pkg, part, styles, strings
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
        self._rows: dict[int, Any] | None = None
        self._cols: list[tuple[int, int, int]] | None = None
        self.changed = False

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

    def cell(self, row: int, col: int, create: bool = False) -> Any:
        rows = self.rows()
        row_el = rows.get(row)
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
        return c

    def _new_row(self, row: int) -> Any:
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
        self.changed = True

    def restyle(self, c: Any, fill_rgb: str, fmt: str | None) -> None:
        base = int(c.get("s") or 0) if (c.get("s") or "0").isdigit() else 0
        changes: dict[str, Any] = {"fillId": self.styles.fill(fill_rgb)}
        if fmt:
            changes["numFmtId"] = self.styles.number_format(fmt)
        c.set("s", str(self.styles.xf(base, **changes)))
        self.changed = True

    def finish(self) -> None:
        if self.changed:
            self.pkg.touch(self.part)
