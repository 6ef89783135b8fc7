"""Computed cells of a generated form as formulas with cached results.

Forms filled in Excel or WPS hold their sums, 执行率, budget score and 总分 as
formulas whose last results are saved with them (so numbers arrive as
formulas too in the inboxes perfxl reads). The layout asks :func:`add_formulas` to turn those
cells into :class:`~perfxl.form_spec.Formula` values, only where the formula
gives exactly the number the cell holds, so every reader sees the same value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from perfxl.forms.spec import Formula

if TYPE_CHECKING:
    from perfxl.forms.layout import FormLayout


def _number(g: FormLayout, at: tuple[int, int]) -> float | None:
    """The number a cell shows (a formula's cached result), or None for text and blanks."""
    v = g.cells.get(at, (None, "", None))[0]
    v = v.cached if isinstance(v, Formula) else v
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _total(g: FormLayout, cells: list[tuple[int, int]]) -> float | None:
    """What SUM over these cells gives, or None unless every one is a number or blank
    (a text amount would make SUM skip what the unit meant) and one is a number."""
    values = [g.cells.get(at, (None, "", None))[0] for at in cells]
    nums = [_number(g, at) for at in cells]
    if any(n is None and v is not None for n, v in zip(nums, values, strict=True)):
        return None
    present = [n for n in nums if n is not None]
    return sum(present) if present else None


def _round(x: float, digits: int) -> float | None:
    """round(), or None on a half tie, where Excel's ROUND (away from zero) and
    Python's (by the binary value) may part: the formula must give the cached value."""
    scaled = abs(x) * 10**digits
    return None if abs(scaled - int(scaled) - 0.5) < 1e-6 else round(x, digits)


def _try(
    g: FormLayout,
    at: tuple[int, int],
    template: str,
    refs: tuple[tuple[int, int], ...],
    result: float | None,
) -> bool:
    """Make the cell a formula when it holds a plain number and the formula gives that
    number (to float noise): a unit's own figure that the formula would not reproduce
    (full marks despite a shortfall, a total that is not the sum) stays a number."""
    v, style, numfmt = g.cells.get(at, (None, "", None))
    if isinstance(v, Formula) or _number(g, at) is None or result is None:
        return False
    if abs(result - float(v)) > 1e-9 * max(1.0, abs(result)):
        return False
    g.cells[at] = (Formula(template, refs, v), style, numfmt)
    return True


def add_formulas(
    g: FormLayout,
    fund_rows: tuple[int, int],
    fund_cols: dict[str, int],
    sum_row: int,
    inds: tuple[int, int],
    cols: dict[str, int],
) -> None:
    """The cells a form computes, as formulas with cached results (what Excel/WPS save):
    the 资金总额 row sums the source rows below it, 执行率 = 执行数 / 预算数, the budget
    得分 = min(执行率, 1) × 分值, and the 总分 row sums the 分值 and 得分 columns."""
    top, last = fund_rows
    for key in ("initial", "budget", "executed"):
        if key in fund_cols and last > top:
            c = fund_cols[key]
            below = [(r, c) for r in range(top + 1, last + 1)]
            _try(g, (top, c), "SUM({0}:{1})", (below[0], below[-1]), _total(g, below))
    bud, exe = (top, fund_cols["budget"]), (top, fund_cols["executed"])
    rate, weight, score = ((top, fund_cols[k]) for k in ("rate", "weight", "score"))
    b, e, w = _number(g, bud), _number(g, exe), _number(g, weight)
    ratio = e / b if b and e is not None else None
    if ratio is not None and not _try(g, rate, "IFERROR({0}/{1},0)", (exe, bud), ratio):
        _try(g, rate, "IFERROR(ROUND({0}/{1},4),0)", (exe, bud), _round(ratio, 4))
    written = _number(g, rate)
    if w is not None:  # from the 执行率 cell when it holds a number, else from the amounts
        done = written is not None and _try(
            g, score, "ROUND(MIN({0},1)*{1},2)", (rate, weight), _round(min(written, 1) * w, 2)
        )
        if not done and ratio is not None:
            result = _round(min(ratio, 1) * w, 2)
            _try(g, score, "IFERROR(ROUND(MIN({0}/{1},1)*{2},2),0)", (exe, bud, weight), result)
    for key in ("weight", "score"):
        fund, c = (top, fund_cols[key]), cols[key]
        column = [fund] + [(r, c) for r in range(inds[0], inds[1] + 1)]
        refs = (fund, (inds[0], c), (inds[1], c))
        _try(g, (sum_row, c), "SUM({0},{1}:{2})", refs, _total(g, column))
