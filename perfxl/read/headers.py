"""Header rows of the indicator table and the budget block: which column plays
which role.

A header is matched first by its spelling (the synonym table, after
normalisation), then by meaning (the key words of ``labels.HEADER_WORDS``):
exact spellings are placed first so that a keyword match never takes a role a
synonym already claimed. Header cells that claim no role are kept, so the
caller can tell a clerk about a filled column it did not use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perfxl.read.grid import Grid, is_blank
from perfxl.read.mapping import MappedColumn, UnusedColumn
from perfxl.text import a1, column_letter

Span = tuple[int, int]


@dataclass
class Header:
    """The columns found in one header row (two rows for a two-row header)."""

    row: int  # 0-based header row (the first one of a two-row header)
    cols: dict[str, Span] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # role -> header cell
    texts: dict[str, str] = field(default_factory=dict)  # role -> header text
    unknown: dict[int, tuple[int, str, str]] = field(default_factory=dict)  # c0 -> (c1, cell, text)

    def claim(self, role: str, span: Span, how: str, cell: str, text: str) -> None:
        self.cols[role] = span
        self.how[role] = how
        self.cells[role] = cell
        self.texts[role] = text
        self.unknown.pop(span[0], None)

    def claimed(self, c: int) -> bool:
        return any(c0 <= c <= c1 for c0, c1 in self.cols.values())

    def letters(self) -> dict[str, str]:
        return {k: column_letter(span[0]) for k, span in self.cols.items()}

    def mapped(self, block: str) -> list[MappedColumn]:
        return [
            MappedColumn(
                block,
                role,
                column_letter(span[0]),
                self.cells[role],
                self.texts[role],
                self.how[role],
            )
            for role, span in sorted(self.cols.items(), key=lambda kv: kv[1][0])
        ]


def read_header(
    g: Grid,
    r: int,
    roles: tuple[str, ...],
    block: str,
    *,
    first_col: int = 0,
    own_cells_only: bool = False,
    words_from: int = 0,
) -> Header:
    """The roles of the header cells of row r from column ``first_col`` on
    (a merged header's span is its columns). ``own_cells_only``: skip cells
    merged down from the row above (the sub-row of a two-row header).
    ``words_from``: key words are trusted only from this column on (left of
    the 三级指标 column stand block labels such as 年度绩效指标完成情况)."""
    h = Header(r)
    cells: list[tuple[int, int, str]] = []
    for c in range(first_col, g.ncols):
        ar, ac = g.anchor(r, c)
        if ac != c or (own_cells_only and ar != r):  # continuation, or the row above
            continue
        v = g.value(r, c)
        if is_blank(v):
            continue
        if not isinstance(v, str):  # a number where a header should be: no role, but seen
            h.unknown[c] = (g.span(r, c)[3], a1(r, c), g.text(r, c))
            continue
        cells.append((c, g.span(r, c)[3], v))
    wanted = set(roles)
    taken: set[int] = set()
    for c0, c1, text in cells:  # exact spellings first
        keys = g.keys_at.get(g.anchor(r, c0), frozenset()) & wanted  # indexed with the grid
        role = next((k for k in roles if k in keys and k not in h.cols), None)
        if role:
            h.claim(role, (c0, c1), "label", a1(*g.anchor(r, c0)), text.strip())
            taken.add(c0)
    for c0, c1, text in cells:  # then by meaning
        if c0 in taken:
            continue
        if c0 < words_from:
            h.unknown[c0] = (c1, a1(*g.anchor(r, c0)), text.strip())
            continue
        free = [k for k in roles if k not in h.cols]
        role = g.labels.role_by_words(text, block, free)
        if role:
            h.claim(role, (c0, c1), "words", a1(*g.anchor(r, c0)), text.strip())
        elif not h.claimed(c0):
            h.unknown[c0] = (c1, a1(*g.anchor(r, c0)), text.strip())
    return h


def merge_sub_header(h: Header, sub: Header) -> None:
    """A two-row header: the sub-row's roles override the group header above
    them (a merged 年度指标值 over 指标性质 | 指标值 | 度量单位)."""
    for role, span in sub.cols.items():
        h.claim(role, span, sub.how[role], sub.cells[role], sub.texts[role])
    for c0, item in sub.unknown.items():
        if not h.claimed(c0):
            h.unknown.setdefault(c0, item)


def column_has_data(g: Grid, span: Span, rows: range) -> bool:
    c0, c1 = span
    for r in rows:
        for c in range(c0, c1 + 1):
            ar, ac = g.anchor(r, c)
            if ar == r and not is_blank(g.raw(ar, ac)):
                return True
    return False


def unused_columns(
    g: Grid, h: Header, block: str, rows: range, first_col: int = 0
) -> list[UnusedColumn]:
    """Header cells no role claimed, from ``first_col`` on (left of it sit labels)."""
    return [
        UnusedColumn(block, column_letter(c0), cell, text, column_has_data(g, (c0, c1), rows))
        for c0, (c1, cell, text) in sorted(h.unknown.items())
        if c0 >= first_col
    ]
