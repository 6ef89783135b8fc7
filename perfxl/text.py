"""How perfxl writes small things as text, in one place: Excel addresses and
their natural order, numbers and percentages in messages, display widths.

Kept free of heavy imports (no openpyxl, no pandas): the reader and the pool
workers use the address helpers.
"""

from __future__ import annotations

import functools
import math
import re


@functools.lru_cache(maxsize=4096)
def column_letter(col: int) -> str:
    """0-based column → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=65536)  # the same few hundred cells of every form
def a1(row: int, col: int) -> str:
    """0-based (row, col) → Excel address: (0, 0) → A1, (9, 27) → AB10."""
    return f"{column_letter(col)}{row + 1}"


def cell_sort_key(cell: str) -> tuple[int, int]:
    """Natural order of Excel addresses (A2 before A10, Z9 before AA1); '' first."""
    letters = "".join(ch for ch in cell if ch.isalpha()).upper()
    digits = "".join(ch for ch in cell if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return (int(digits) if digits else 0, col)


def number_text(x: float | None) -> str:
    """A figure in a problem message: 2 decimals without trailing zeros (4.3,
    82.08), 4 significant digits when it has more; "空" when missing."""
    if x is None or type(x).__name__ == "NAType" or (isinstance(x, float) and math.isnan(x)):
        return "空"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x, 2)) < 1e-9 else f"{x:.4g}"


def plain_number(value: float, places: int = 2) -> str:
    """A figure as reports and notes write it: rounded to ``places``, without
    trailing zeros (5, 4.3, 82.08); never "-0"."""
    text = f"{round(value, places):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent_text(fraction: float) -> str:
    """A fraction in a problem message as a percentage: 0.86 → 86%, 1.025 → 102.5%."""
    return f"{fraction * 100:.2f}".rstrip("0").rstrip(".") + "%"


# CJK and full-width characters (U+2E80 and up) take two columns
_WIDE = re.compile("[\u2e80-\U0010ffff]")


def text_width(text: str) -> int:
    """Display width in Excel column units: CJK and full-width characters take
    two columns; a text of several lines is as wide as its widest line."""
    if "\n" in text:
        return max(text_width(line) for line in text.split("\n"))
    return len(text) + len(_WIDE.findall(text))
