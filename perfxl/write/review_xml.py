"""The 复核 sheet as a worksheet part, rendered from review_sheet's lines.

Whatever lines and columns :class:`ReviewSheet` lays out are written here:
text goes to the shared string table (never inline strings, which WPS has
been reported to reject), each look (title, section, header, table cell,
number format, wrapped) becomes one cell format appended to the styles.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from perfxl.write.book_parts import SharedStrings, Styles
from perfxl.write.review_sheet import Formatted, Line, put_text, text_width, wrapped_height
from perfxl.write.sheet_edit import column_letter, format_number

__all__ = ["review_sheet_xml"]

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="{ref}"/>'
    '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/>'
)
_TAIL = (
    '<printOptions horizontalCentered="1"/>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "</worksheet>"
)
_EPOCH = dt.datetime(1899, 12, 30)
_TEXTS: dict[str, tuple[str, float]] = {}  # texts recur in every copy of a batch
_TABULAR = frozenset(("header", "table"))
_INF = float("inf")
_NUMBERS = (int, float)
_LETTERS = ["", *(column_letter(c) for c in range(1, 53))]


class _Looks:
    """One cell format per look, appended to the workbook's styles once."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.memo: dict[tuple[str, str | None, bool], int] = {}

    def xf(self, style: str, fmt: str | None, wrap: bool) -> int:
        key = (style, fmt, wrap)
        if key not in self.memo:
            st, changes = self.styles, {}
            if fmt:
                changes["numFmtId"] = st.number_format(fmt)
            if style == "title":
                changes["fontId"] = st.font(True, 14)
            elif style == "section":
                changes["fontId"] = st.font(True, 12)
            elif style in ("header", "table"):
                changes["borderId"] = st.thin_border("999999")
                if style == "header":
                    changes["fontId"] = st.font(True, None)
                    changes["fillId"] = st.fill("D9D9D9")
                if wrap:
                    changes["wrap"] = True
            self.memo[key] = st.xf(0, **changes) if changes else 0
        return self.memo[key]


def _cell(value: Any, fmt: str | None, strings: SharedStrings) -> tuple[str, str | None]:
    """(attributes and body of one cell, the number format a date needs)."""
    if type(value) is str:
        return f' t="s"><v>{strings.index(put_text(value))}</v>', fmt
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v>', fmt
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return f' t="s"><v>{strings.index(str(value))}</v>', fmt
        return f"><v>{format_number(value)}</v>", fmt
    if isinstance(value, dt.datetime | dt.date):
        when = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        serial = (when.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f"><v>{format_number(serial)}</v>", fmt or "yyyy-mm-dd"
    return f' t="s"><v>{strings.index(put_text(str(value)))}</v>', fmt


def _text(value: str) -> tuple[str, float]:
    """(the text as a cell may hold it, its display width), kept per process:
    headers, names and phrases recur in every copy of a batch."""
    known = _TEXTS.get(value)
    if known is None:
        known = (put_text(value), text_width(value))
        if len(_TEXTS) < 20000:
            _TEXTS[value] = known
    return known


def review_sheet_xml(lines: list[Line], styles: Styles, strings: SharedStrings) -> bytes:
    """The sheet part; column widths and wrapping as review_sheet.column_widths
    and is_wrapped decide them (each cell's width measured once here). Text
    and plain numbers, nearly every cell, take the short way: this renders
    ≈ 250 cells per copy, the largest part of a copy's own work."""
    looks = _Looks(styles)
    memo = looks.memo
    ours, index = strings.ours, strings.index
    hits = 0  # strings found in ``ours`` without index(): counted for the table's count
    rows: list[str] = []
    widths: dict[int, float] = {}
    last_col = 1
    texts, letters, n_letters = _TEXTS, _LETTERS, len(_LETTERS)
    for r, (style, values) in enumerate(lines, start=1):
        if not values:
            continue
        cells = []
        height = 0.0  # a wrapped cell's row is made tall enough for all its lines
        tabular = style in _TABULAR
        plain_look = (style, None, False)
        plain = memo[plain_look] if plain_look in memo else looks.xf(*plain_look)
        s_attr = f' s="{plain}"' if plain else ""
        for c, value in enumerate(values, start=1):
            col = letters[c] if c < n_letters else column_letter(c)
            kind = type(value)
            if kind is str:
                known = texts.get(value) or _text(value)
                i = ours.get(known[0])
                if i is None:
                    i = index(known[0])
                else:
                    hits += 1
                width = known[1]
                if tabular:
                    if width > 50.0:
                        height = max(height, wrapped_height(width, 50.0))
                        xf = memo.get((style, None, True)) or looks.xf(style, None, True)
                        cells.append(f'<c r="{col}{r}" s="{xf}" t="s"><v>{i}</v></c>')
                        widths[c] = 50.0
                    else:
                        if widths.get(c, 0.0) < width:
                            widths[c] = width
                        cells.append(f'<c r="{col}{r}"{s_attr} t="s"><v>{i}</v></c>')
                else:
                    cells.append(f'<c r="{col}{r}"{s_attr} t="s"><v>{i}</v></c>')
            elif kind is int or (kind is float and value == value and abs(value) != _INF):
                if tabular and widths.get(c, 0.0) < 10.0:
                    widths[c] = 10.0
                cells.append(f'<c r="{col}{r}"{s_attr}><v>{_number(value)}</v></c>')
            elif value is None:
                if tabular and c not in widths:
                    widths[c] = 0.0
                if plain:
                    cells.append(f'<c r="{col}{r}"{s_attr}/>')
                continue
            elif (
                kind is Formatted
                and type(value.value) in _NUMBERS
                and value.value == value.value
                and abs(value.value) != _INF
            ):  # a score, a rate or an amount in its number format
                if tabular and widths.get(c, 0.0) < 10.0:
                    widths[c] = 10.0
                look = (style, value.fmt, False)
                xf = memo[look] if look in memo else looks.xf(*look)
                s_xf = f' s="{xf}"' if xf else ""
                cells.append(f'<c r="{col}{r}"{s_xf}><v>{_number(value.value)}</v></c>')
            else:
                fmt = None
                if kind is Formatted:
                    value, fmt = value.value, value.fmt
                if value is None:
                    if tabular and c not in widths:
                        widths[c] = 0.0
                    look = (style, fmt, False)
                    xf = memo[look] if look in memo else looks.xf(*look)
                    if xf:
                        cells.append(f'<c r="{col}{r}" s="{xf}"/>')
                    continue
                width = _width(value) if tabular else 0.0
                if tabular:
                    old = widths.get(c, 0.0)
                    widths[c] = old if old >= width else min(width, 50.0)
                if type(value) is str:
                    body = f' t="s"><v>{index(put_text(value))}</v>'
                else:
                    body, fmt = _cell(value, fmt, strings)
                look = (style, fmt, width > 50)
                if width > 50:
                    height = max(height, wrapped_height(width, 50.0))
                xf = memo[look] if look in memo else looks.xf(*look)
                cells.append(
                    f'<c r="{col}{r}" s="{xf}"{body}</c>' if xf else f'<c r="{col}{r}"{body}</c>'
                )
            if c > last_col:
                last_col = c
        if cells:
            tall = f' ht="{height:g}" customHeight="1"' if height else ""
            rows.append(f'<row r="{r}"{tall}>' + "".join(cells) + "</row>")
    strings.refs += hits
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{max(w + 2, 8):.6g}" customWidth="1"/>'
        for c, w in sorted(widths.items())
    )
    ref = f"A1:{column_letter(last_col)}{max(len(lines), 1)}"
    xml = _HEAD.format(ref=ref) + (f"<cols>{cols}</cols>" if cols else "")
    xml += "<sheetData>" + "".join(rows) + "</sheetData>" + _TAIL
    return xml.encode("utf-8")


def _number(value: int | float) -> str:
    """format_number for a finite int or float (not a bool), the short way."""
    if type(value) is int or (value.is_integer() and -1e15 < value < 1e15):
        return str(int(value))
    return repr(value)


def _width(value: Any) -> float:
    if type(value) is not str:
        return text_width(value)
    return _text(value)[1]
