"""Parse how targets (年度指标值) and actuals (实际完成值) are written.

Units write the same target a dozen ways (``≥15家``, ``15家以上``, ``≥ １５家``,
``不少于15家``, a 指标性质 column holding ``≥``), so every spelling is reduced
here to one :class:`Reading`; the scorer and the checks never look at raw text.
Parsing never raises: what cannot be read comes back as kind ``unparsable`` (or
qualitative with no band) so the caller can report it with the cell address.
The spellings accepted are those the README's "规范未明确之处的取舍" table
and tests/test_notation.py list: an operator (≥ ≤ = and their words) or an
implied one (以上 → ≥, a bare amount under 成本指标 → ≤), a number (full-width
digits and thousands separators too), a unit from the rules' ``[units]``, or a
qualitative phrase matched against the rules' word lists.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Real
from typing import Any, Literal

from perfxl.notation.vocabulary import (
    BARE_NUMBER_RE,
    EQ,
    EXPLICIT_TIME_RE,
    GE,
    LE,
    NAME_UNIT_RE,
    NATURE_OPS,
    NUM_RE,
    NUMERAL_RE,
    OP_SYMBOLS,
    PLAIN_RE,
    RANGE_RE,
    SUFFIX_OPS,
    Band,
    Op,
    normalize_text,
    prefix_op,
    raw_text,
    rule_tables,
    serial_date,
    strip_punct,
    unit_after,
    when_of,
)
from perfxl.rules.schema import DEFAULT, Rules

Kind = Literal["number", "time", "qualitative", "na", "empty", "unparsable"]


@dataclass(frozen=True)
class Reading:
    """A parsed target or actual.

    kind: number (op + number + unit), time (month number; op is "<=" for a
    target: "done by month M"), qualitative (text, no number), na (not
    applicable: — / 不适用), empty, unparsable (e.g. a number-like text that
    makes no sense such as "约五万" where a number is needed).
    number: in the canonical unit (万元 for money, % for percentages as 0..100
    numbers, month number for time).
    unit: canonical unit ('' when none was written).
    explicit_op: True when the operator was written (≥, 以上, 不超过 …).
    band: for qualitative actuals, the grade band of the word; None if unknown.
    ambiguous_percent: a bare 0<x<=1 actual against a % target, read as x*100.
    written_unit: the unit as written (元, 百分比 …) before conversion, so that
    a bare actual is read in the unit the target was written in (a target of
    ``50000元`` and an actual of ``48000`` mean 4.8 万元, not 48000 万元).
    """

    kind: Kind
    text: str = ""
    op: Op | None = None
    number: float | None = None
    unit: str = ""
    explicit_op: bool = False
    band: Band | None = None
    ambiguous_percent: bool = False
    written_unit: str = ""
    year: int | None = None
    year_offset: int = 0

    def month_index(self, form_year: int | None) -> float | None:
        """A time reading as months since year 0, so lateness counts across
        years: its own year, else the form's year (+1 for 次年/下年). Without
        any year both sides of a comparison use year 0 and only months count."""
        if self.kind != "time" or self.number is None:
            return None
        year = self.year if self.year is not None else (form_year or 0) + self.year_offset
        return year * 12 + self.number


def _canon(unit: str, rules: Rules) -> tuple[str, float]:
    """Canonical unit and the factor a value in ``unit`` is multiplied by."""
    if not unit:
        return "", 1.0
    table = rules.units
    spec = table.get(unit) or table.get(normalize_text(unit))
    return (spec[0], spec[1]) if spec else (unit, 1.0)


def _scale(x: float, factor: float) -> float:
    """x × factor, dividing by the inverse for 元 → 万元 so 12345元 is exactly 1.2345."""
    if factor == 1.0:
        return x
    inverse = 1.0 / factor
    if factor < 1.0 and abs(inverse - round(inverse)) < 1e-9:
        return x / round(inverse)
    return x * factor


def _is_na(t: str, rules: Rules) -> bool:
    return t.lower() in rule_tables(rules)[1] or t.startswith("不适用")


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


def _finite(value: Any) -> float | None:
    """A real number cell as a finite float; None for bool, nan, inf, overflow."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    try:
        x = float(value)
    except (OverflowError, ValueError):
        return None
    return x if math.isfinite(x) else None


# --- pieces of a written value ------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    """Number, written unit and operator found in one text."""

    number: float
    unit: str
    op: Op | None
    hi: float | None = None  # upper bound of a range (90%-100%)


def _extract(t: str, rules: Rules) -> _Parts | None:
    """Pick the number that carries the value (the one after an operator, else
    the first that is not a year) with its unit and operator."""
    known = rule_tables(rules)[2]
    found: list[_Parts] = []
    for m in NUM_RE.finditer(t):
        prefix, after = t[: m.start()], t[m.end() :]
        number = float(m.group().replace(",", ""))
        if prefix and prefix[-1] in "+-" and (len(prefix) == 1 or prefix[-2] in OP_SYMBOLS):
            number = -number if prefix[-1] == "-" else number
            prefix = prefix[:-1]
        unit = unit_after(after, known)
        rest = after[len(unit) :].removeprefix("(含)")
        op = prefix_op(prefix) or next((o for w, o in SUFFIX_OPS if rest.startswith(w)), None)
        if op is None and re.fullmatch(r"(?:19|20)[0-9]{2}", m.group()) and unit.startswith("年"):
            continue  # a year (完成2019年度任务) is never the quantity
        hi = None
        if op is None and (r := RANGE_RE.match(rest)):
            hi = float(r.group(1).replace(",", ""))
            unit = unit or unit_after(rest[r.end() :], known)
        parts = _Parts(number, unit, op, hi)
        if op is not None:
            return parts
        found.append(parts)
    return found[0] if found else None


def _unreadable(t: str, rules: Rules) -> bool:
    """An operator with no number, or a number in words (约五万, 三个): neither a
    number a scorer can use nor qualitative text (一般, 百姓满意 stay text)."""
    if t[:1] in OP_SYMBOLS:
        return True
    m = NUMERAL_RE.fullmatch(t)
    if not m:
        return False
    approx, _, unit, _ = m.groups()
    return bool(approx) or not unit or unit in rule_tables(rules)[2]


def _when(text: str, month: float, year: int | None = None, offset: int = 0) -> Reading:
    """A time actual: the month it was done in (and its year when known)."""
    return Reading("time", text, number=float(month), unit="月", written_unit="月",
                   year=year, year_offset=offset)  # fmt: skip


def _time(text: str, month: int, t: str = "", year: int | None = None, offset: int = 0) -> Reading:
    """A "done by month M" target; explicit when 前/≤/不晚于 … was written."""
    explicit = bool(EXPLICIT_TIME_RE.search(t))
    return Reading("time", text, LE, float(month), "月", explicit, written_unit="月",
                   year=year, year_offset=offset)  # fmt: skip


def _serial_when(text: str, x: float) -> Reading:
    """A number in a time column: an Excel date serial (with its year), else a month."""
    day = serial_date(x)
    return _when(text, day.month, day.year) if day else _when(text, x)


# --- targets ------------------------------------------------------------------


def parse_target(
    value: Any,
    *,
    nature: Any = None,
    unit: Any = None,
    level2: str = "",
    name: str = "",
    rules: Rules = DEFAULT,
    percent_format: bool = False,
) -> Reading:
    """Parse a 年度指标值 cell. ``nature``/``unit``: the split variant's 指标性质 and
    度量单位 cells. ``level2`` decides the default direction of a bare number
    (成本指标 → <=, 时效指标 month → time). ``name`` is the 三级 name (a zero
    target may sit in it: 重大事故发生次数为0). ``percent_format``: the target
    cell is a number shown as a percentage (0.9 means 90%)."""
    return _finite_reading(_target(value, nature, unit, level2, name, rules, percent_format))


def _target(
    value: Any, nature: Any, unit: Any, level2: str, name: str, rules: Rules, percent_format: bool
) -> Reading:
    text = raw_text(value)
    if _is_empty(value):
        return Reading("empty")
    t = normalize_text(value)
    if _is_na(t, rules):
        return Reading("na", text)
    nature_t, unit_t = normalize_text(nature), normalize_text(unit)
    if "定性" in nature_t:
        return Reading("qualitative", text)
    nature_op = NATURE_OPS.get(nature_t)
    level2 = normalize_text(level2)
    if isinstance(value, (date, datetime)):
        return _time(text, value.month, year=value.year)
    if isinstance(value, (bool, Real)):
        x = _finite(value)
        if x is None:
            return Reading("unparsable", text)
        if percent_format:
            parts = _Parts(round(x * 100, 10), "%", None)
        elif not unit_t and "时效" in level2 and (day := serial_date(x)):
            return _time(text, day.month, year=day.year)
        elif unit_t == "月" and x.is_integer() and 1 <= x <= 12:
            return _time(text, int(x))  # split variant: 指标值 10 + 度量单位 月
        else:
            parts = _Parts(x, unit_t, None)
    else:
        if unit_t and BARE_NUMBER_RE.fullmatch(t):
            t += unit_t  # split variant: 指标值 15 + 度量单位 家
        found = _extract(t, rules)
        when = when_of(t)
        if when is not None and not (found is not None and found.op == GE):
            return _time(text, when[0], t, when[1], when[2])  # ≥3月 is a duration, not "by March"
        if found is None:
            return Reading("unparsable" if _unreadable(t, rules) else "qualitative", text)
        parts = found
    return _number_target(text, parts, nature_op, level2, normalize_text(name), rules)


def _number_target(
    text: str, parts: _Parts, nature_op: Op | None, level2: str, name: str, rules: Rules
) -> Reading:
    """Apply name hints, the unit table and the default direction."""
    op, written = parts.op, parts.unit
    hint = _extract(name, rules) if name and (op is None or not written) else None
    if hint is not None and hint.number == parts.number:
        op, written = op or hint.op, written or hint.unit
    if not written and (m := NAME_UNIT_RE.search(name)) and m.group(1) in rule_tables(rules)[2]:
        written = m.group(1)  # 满意度(%) with a bare 90
    op = op or nature_op
    explicit = op is not None
    number = parts.number
    canonical, factor = _canon(written, rules)
    if op is None and parts.hi is not None:
        op, explicit = (LE, True) if "成本" in level2 else (GE, True)
        number = parts.hi if op == LE else number
    if op is None:
        if number == 0:
            op = EQ
        elif "成本" in level2 or ("时效" in level2 and canonical != "%"):
            op = LE
        else:
            op = EQ
    return Reading("number", text, op, _scale(number, factor), canonical, explicit,
                   written_unit=written)  # fmt: skip


# --- actuals ------------------------------------------------------------------


def parse_actual(
    value: Any,
    *,
    target: Reading,
    percent_format: bool = False,
    unit: Any = None,
    rules: Rules = DEFAULT,
) -> Reading:
    """Parse a 实际完成值 cell against its parsed target (unit taken from the
    target when the actual has none; qualitative band from the word table, or
    达成 when equal to the target text)."""
    return _finite_reading(_actual(value, target, percent_format, unit, rules))


def _finite_reading(r: Reading) -> Reading:
    """A number beyond float range (1e308 × 100, a 400-digit text) cannot be scored."""
    if r.number is not None and not math.isfinite(r.number):
        return Reading("unparsable", r.text)
    return r


def _actual(value: Any, target: Reading, percent_format: bool, unit: Any, rules: Rules) -> Reading:
    text = raw_text(value)
    if _is_empty(value):
        return Reading("empty")
    t = normalize_text(value)
    unit_t = normalize_text(unit)
    if isinstance(value, (date, datetime)):
        return _when(text, value.month, value.year)
    if isinstance(value, (bool, Real)):
        x = _finite(value)
        if x is None:
            return Reading("unparsable", text)
        if percent_format:
            return Reading("number", text, number=round(x * 100, 10), unit="%", written_unit="%")
        if target.kind == "time":
            return _serial_when(text, x)
        return _bare_actual(text, x, target, unit_t, rules)
    if _is_na(t, rules):
        if t == "无" and target.kind == "number" and target.number == 0:
            return Reading("number", text, number=0.0, unit=target.unit)  # 无 accidents
        return Reading("na", text)
    words = rule_tables(rules)[0]
    key = strip_punct(t)
    if target.kind in ("qualitative", "unparsable") and key == strip_punct(
        normalize_text(target.text)
    ):
        return Reading("qualitative", text, band="达成")
    band = words.get(key)
    if band is not None and target.kind not in ("number", "time"):
        return Reading("qualitative", text, band=band)
    # against a number target 10月 is a quantity (≤10个月) and 2019.10 an amount
    if target.kind != "number" and (when := when_of(t)) is not None:
        return _when(text, *when)
    parts = _extract(t, rules)
    if parts is not None:
        if target.kind == "time" and not parts.unit:
            return _serial_when(text, parts.number)
        if not parts.unit:
            return _bare_actual(text, parts.number, target, unit_t, rules)
        canonical, factor = _canon(parts.unit, rules)
        number = _scale(parts.number, factor)
        return Reading("number", text, number=number, unit=canonical, written_unit=parts.unit)
    if band is not None:
        return Reading("qualitative", text, band=band)
    if _unreadable(t, rules):
        return Reading("unparsable", text)
    return Reading("qualitative", text)


def _bare_actual(text: str, x: float, target: Reading, unit_t: str, rules: Rules) -> Reading:
    """A number without a unit: read in the 度量单位 cell's unit, else the unit the
    target was written in; 0<x<=1 against a % target is taken as a fraction."""
    written = unit_t or target.written_unit
    canonical, factor = _canon(written, rules)
    if canonical == "%" and 0 < x <= 1:
        return Reading("number", text, number=round(x * 100, 10), unit="%",
                       ambiguous_percent=True, written_unit=written)  # fmt: skip
    return Reading("number", text, number=_scale(x, factor), unit=canonical, written_unit=written)


# --- plain amounts --------------------------------------------------------------


def parse_number(value: Any) -> float | None:
    """A plain amount: 43.2, "43.2", "４３．２", "5万元" (→5), "1,234.5", "86%" (→0.86).

    Returns None when empty or not a number. No unit conversion: the caller
    knows the money unit of its column (the funds block's label).
    """
    kind = type(value)
    if kind is float:  # what calamine gives for every number: the common case first
        return value if math.isfinite(value) else None
    if value is None:
        return None
    if isinstance(value, (bool, date, datetime)):
        return None
    if isinstance(value, Real):
        return _finite(value)
    t = normalize_text(value)
    m = PLAIN_RE.fullmatch(t) if t else None
    if m is None:
        return None
    try:
        x = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    if m.group(2) in ("%", "百分比"):
        x /= 100
    return x if math.isfinite(x) else None
