"""Parse how targets (年度指标值) and actuals (实际完成值) are written.

Units write the same target a dozen ways (``≥15家``, ``15家以上``, ``≥ １５家``,
``不少于15家``, a 指标性质 column holding ``≥``), so every spelling is reduced
here to one :class:`Reading`; the scorer and the checks never look at raw text.
Parsing never raises: what cannot be read comes back as kind ``unparsable`` (or
qualitative with no band) so the caller can report it with the cell address.
See spec/notation.md.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from numbers import Real
from typing import Any, Literal

from .rules import DEFAULT, Rules

Kind = Literal["number", "time", "qualitative", "na", "empty", "unparsable"]
Op = Literal[">=", "<=", "="]
Band = Literal["达成", "部分达成", "未达成"]


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


# --- text normalisation -------------------------------------------------------

# Only width variants are folded (＞＝ → >=, ４ → 4, ％ → %); full NFKC would also
# turn list markers such as ① or superscripts into digits and invent numbers.
_FOLD = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for cp in [*range(0xFE50, 0xFE70), *range(0xFF00, 0xFFF0)]
    if unicodedata.decomposition(chr(cp)).startswith(("<wide>", "<narrow>", "<small>"))
}
_FOLD.update({cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})
_PUNCT = "。，,.、;；:：!！?？\"'“”‘’()（）[]【】《》"


def _raw_text(value: Any) -> str:
    """The cell as display text, for messages and the equal-to-target rule."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    try:
        return str(value).strip()
    except Exception:  # a foreign object whose __str__ fails must not stop a batch
        return ""


def normalize_text(value: Any) -> str:
    """Full-width → half-width digits/punctuation/letters, whitespace removed."""
    return "".join(_raw_text(value).translate(_FOLD).split())


# --- tables -------------------------------------------------------------------

_GE: Op = ">="
_LE: Op = "<="
_EQ: Op = "="
# written before the number; matched at the end of the text before it, longest first
_OP_WORDS: dict[Op, str] = {
    _GE: "≥ ≧ >= => ≮ > 大于或等于 大于等于 不低于 不少于 不小于 至少 达到 达 超过 高于 大于 多于",
    _LE: "≤ ≦ <= =< ≯ < 小于或等于 小于等于 不高于 不超过 不大于 不多于 不晚于 不迟于 控制在 低于 "
    "小于 少于",
    _EQ: "= ═ 等于 为",
}
_PREFIX_OPS = sorted(
    ((w, op) for op, words in _OP_WORDS.items() for w in words.split()), key=lambda p: -len(p[0])
)
_NATURE_OPS: dict[str, Op] = {w: op for w, op in _PREFIX_OPS} | {"正向": _GE, "反向": _LE}
# written after the number and its unit (15家以上, 5万元以内)
_SUFFIX_OPS: list[tuple[str, Op]] = [
    ("及以上", _GE), ("以上", _GE), ("及以下", _LE), ("以下", _LE),
    ("以内", _LE), ("之内", _LE), ("内", _LE),
]  # fmt: skip
_UNIT_TAILS = ("及以上", "以上", "及以下", "以下", "以内", "之内", "内", "左右", "余", "多")
_BUILTIN_UNITS = (
    "家 次 个 项 份 人 人次 户 件 批 所 台 套 辆 起 座 头 只 株 吨 处 场 场次 期 篇 条 公里 千米 米 "
    "亩 公顷 平方米 立方米 小时 天 日 周 月 个月 季度 年 % 百分比 百分点 万元 元 千元 亿元 "
    "工作日 个工作日 分钟 万人 万人次 万亩 千克 公斤 册 本 张 间 栋 门 课时 学时 分"
).split()
_OP_SYMBOLS = "≥≤≧≦<>=═≮≯"
_NUM_RE = re.compile(r"[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_RUN_RE = re.compile(r"%|[A-Za-z]+|[\u3400-\u4dbf\u4e00-\u9fff]+")
_PLAIN_RE = re.compile(
    r"([+-]?(?:[0-9]+(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"(%|[\u3400-\u4dbf\u4e00-\u9fff]{1,6})?"
)
_NUMERAL_RE = re.compile(
    r"(约|大约|近|将近|超过|共|计|合计)?([零〇一二两三四五六七八九十百千万亿]+)"
    r"([\u4e00-\u9fff]*?)(左右|余|多)?"
)
_TAIL = (
    r"(?:份)?(?:[0-9]{1,2}[日号])?(?:底|末|中旬|上旬|下旬|初|中)?"
    r"(?:之前|以前|前|以内|内|止|为止)?(?:完成|完工|结束|完毕|实施完毕)?"
)
_MONTH_RE = re.compile(r"(?<![0-9.])(?:(?:19|20)[0-9]{2}年)?([0-9]{1,2})月" + _TAIL + "$")
_ISO_RE = re.compile(
    r"^(?:19|20)[0-9]{2}[-/.]([0-9]{1,2})(?:[-/.][0-9]{1,2})?(?:T?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
    r"(?:之前|以前|前)?$"
)
_YEAR_END_RE = re.compile(
    r"^(?:(?:19|20)[0-9]{2})?年(?:底|末|终|内|度内)(?:之前|以前|前)?(?:完成)?$"
)
_QUARTER_RE = re.compile(
    r"^(?:(?:19|20)[0-9]{2}年)?第?([1-4一二三四])季度(?:末|底)?(?:之前|以前|前)?(?:完成)?$"
)
_QUARTERS = {"1": 3, "2": 6, "3": 9, "4": 12, "一": 3, "二": 6, "三": 9, "四": 12}
_HALF_RE = re.compile(r"^(?:(?:19|20)[0-9]{2}年)?(上|下)半年(?:之前|以前|前|内)?(?:完成)?$")
_LEAD_RE = re.compile(r"^(?:[" + _OP_SYMBOLS + r"]+|不晚于|不迟于|截至|截止|截止到|于|在|约)")
_RANGE_RE = re.compile(r"(?:-|~|—|–|至|到)(" + _NUM_RE.pattern + ")")
_NAME_UNIT_RE = re.compile(r"\(([^()]{1,5})\)$")
_EXCEL_EPOCH = date(1899, 12, 30)


@lru_cache(maxsize=16)
def _tables(rules: Rules) -> tuple[dict[str, Band], frozenset[str], tuple[str, ...]]:
    """Band of each word, NA markers, known units (longest first), for one Rules."""
    words: dict[str, Band] = {}
    for key, band in (("achieved", "达成"), ("partly", "部分达成"), ("not_achieved", "未达成")):
        for w in rules.words.get(key, ()):
            words.setdefault(_strip_punct(normalize_text(w)), band)  # type: ignore[arg-type]
    na = frozenset(normalize_text(w).lower() for w in rules.words.get("not_applicable", ()))
    units = {normalize_text(u) for u in (*_BUILTIN_UNITS, *rules.units)} - {""}
    return words, na, tuple(sorted(units, key=len, reverse=True))


def _strip_punct(t: str) -> str:
    return t.strip(_PUNCT)


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
    return t.lower() in _tables(rules)[1] or t.startswith("不适用")


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


def _serial_month(x: float) -> int | None:
    """Month of an Excel serial date number (2000–2099 only: anything else is no date)."""
    if 36526 <= x < 73051:
        return (_EXCEL_EPOCH + timedelta(days=int(x))).month
    return None


# --- pieces of a written value ------------------------------------------------


@dataclass(frozen=True)
class _Parts:
    """Number, written unit and operator found in one text."""

    number: float
    unit: str
    op: Op | None
    hi: float | None = None  # upper bound of a range (90%-100%)


def _prefix_op(prefix: str) -> Op | None:
    for strip in ("大约", "约", "预计"):
        if prefix.endswith(strip):
            prefix = prefix[: -len(strip)]
            break
    for word, op in _PREFIX_OPS:
        if prefix.endswith(word):
            return op
    return None


def _unit_after(after: str, known: tuple[str, ...]) -> str:
    """The unit at the start of ``after``: % or a run of letters or CJK characters,
    cut to a known unit when it runs on into words (3个村 → 个, 15家以上 → 家)."""
    m = _RUN_RE.match(after)
    if not m:
        return ""
    core = m.group()
    changed = True
    while changed and core:
        changed = False
        for tail in _UNIT_TAILS:
            if core.endswith(tail):
                core, changed = core[: -len(tail)], True
    if not core or core in known:
        return core
    return next((u for u in known if core.startswith(u)), core)


def _extract(t: str, rules: Rules) -> _Parts | None:
    """Pick the number that carries the value (the one after an operator, else
    the first that is not a year) with its unit and operator."""
    known = _tables(rules)[2]
    found: list[_Parts] = []
    for m in _NUM_RE.finditer(t):
        prefix, after = t[: m.start()], t[m.end() :]
        number = float(m.group().replace(",", ""))
        if prefix and prefix[-1] in "+-" and (len(prefix) == 1 or prefix[-2] in _OP_SYMBOLS):
            number = -number if prefix[-1] == "-" else number
            prefix = prefix[:-1]
        unit = _unit_after(after, known)
        rest = after[len(unit) :].removeprefix("(含)")
        op = _prefix_op(prefix) or next((o for w, o in _SUFFIX_OPS if rest.startswith(w)), None)
        if op is None and re.fullmatch(r"(?:19|20)[0-9]{2}", m.group()) and unit.startswith("年"):
            continue  # a year (完成2019年度任务) is never the quantity
        hi = None
        if op is None and (r := _RANGE_RE.match(rest)):
            hi = float(r.group(1).replace(",", ""))
            unit = unit or _unit_after(rest[r.end() :], known)
        parts = _Parts(number, unit, op, hi)
        if op is not None:
            return parts
        found.append(parts)
    return found[0] if found else None


def _month_of(t: str) -> int | None:
    """Month number of a time text (10月, 10月底前, 2018-10-31, 年底前), else None."""
    t = _LEAD_RE.sub("", t)
    if m := _MONTH_RE.search(t) or _ISO_RE.match(t):
        month = int(m.group(1))
        return month if 1 <= month <= 12 else None
    if _YEAR_END_RE.match(t):
        return 12
    if m := _QUARTER_RE.match(t):
        return _QUARTERS[m.group(1)]
    if m := _HALF_RE.match(t):
        return 6 if m.group(1) == "上" else 12
    return None


def _unreadable(t: str, rules: Rules) -> bool:
    """An operator with no number, or a number in words (约五万, 三个): neither a
    number a scorer can use nor qualitative text (一般, 百姓满意 stay text)."""
    if t[:1] in _OP_SYMBOLS:
        return True
    m = _NUMERAL_RE.fullmatch(t)
    if not m:
        return False
    approx, _, unit, _ = m.groups()
    return bool(approx) or not unit or unit in _tables(rules)[2]


def _when(text: str, month: float) -> Reading:
    """A time actual: the month it was done in."""
    return Reading("time", text, number=float(month), unit="月", written_unit="月")


def _time(text: str, month: int, t: str = "") -> Reading:
    """A "done by month M" target; explicit when 前/≤/不晚于 … was written."""
    explicit = bool(re.search(r"[" + _OP_SYMBOLS + r"]|前|内|止|不晚于|不迟于", t))
    return Reading("time", text, _LE, float(month), "月", explicit, written_unit="月")


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
    text = _raw_text(value)
    if _is_empty(value):
        return Reading("empty")
    t = normalize_text(value)
    if _is_na(t, rules):
        return Reading("na", text)
    nature_t, unit_t = normalize_text(nature), normalize_text(unit)
    if "定性" in nature_t:
        return Reading("qualitative", text)
    nature_op = _NATURE_OPS.get(nature_t)
    level2 = normalize_text(level2)
    if isinstance(value, (date, datetime)):
        return _time(text, value.month)
    if isinstance(value, (bool, Real)):
        x = _finite(value)
        if x is None:
            return Reading("unparsable", text)
        if percent_format:
            parts = _Parts(round(x * 100, 10), "%", None)
        elif not unit_t and "时效" in level2 and (month := _serial_month(x)):
            return _time(text, month)
        elif unit_t == "月" and x.is_integer() and 1 <= x <= 12:
            return _time(text, int(x))  # split variant: 指标值 10 + 度量单位 月
        else:
            parts = _Parts(x, unit_t, None)
    else:
        if unit_t and re.fullmatch(r"[" + _OP_SYMBOLS + r"]*[+-]?" + _NUM_RE.pattern, t):
            t += unit_t  # split variant: 指标值 15 + 度量单位 家
        found = _extract(t, rules)
        month = _month_of(t)
        if month is not None and not (found is not None and found.op == _GE):
            return _time(text, month, t)  # ≥3月 is a duration, not "by March"
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
    if not written and (m := _NAME_UNIT_RE.search(name)) and m.group(1) in _tables(rules)[2]:
        written = m.group(1)  # 满意度(%) with a bare 90
    op = op or nature_op
    explicit = op is not None
    number = parts.number
    canonical, factor = _canon(written, rules)
    if op is None and parts.hi is not None:
        op, explicit = (_LE, True) if "成本" in level2 else (_GE, True)
        number = parts.hi if op == _LE else number
    if op is None:
        if number == 0:
            op = _EQ
        elif "成本" in level2 or ("时效" in level2 and canonical != "%"):
            op = _LE
        else:
            op = _EQ
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
    text = _raw_text(value)
    if _is_empty(value):
        return Reading("empty")
    t = normalize_text(value)
    unit_t = normalize_text(unit)
    if isinstance(value, (date, datetime)):
        return _when(text, value.month)
    if isinstance(value, (bool, Real)):
        x = _finite(value)
        if x is None:
            return Reading("unparsable", text)
        if percent_format:
            return Reading("number", text, number=round(x * 100, 10), unit="%", written_unit="%")
        if target.kind == "time":
            return _when(text, _serial_month(x) or x)
        return _bare_actual(text, x, target, unit_t, rules)
    if _is_na(t, rules):
        if t == "无" and target.kind == "number" and target.number == 0:
            return Reading("number", text, number=0.0, unit=target.unit)  # 无 accidents
        return Reading("na", text)
    words = _tables(rules)[0]
    key = _strip_punct(t)
    if target.kind in ("qualitative", "unparsable") and key == _strip_punct(
        normalize_text(target.text)
    ):
        return Reading("qualitative", text, band="达成")
    band = words.get(key)
    if band is not None and target.kind not in ("number", "time"):
        return Reading("qualitative", text, band=band)
    # against a number target 10月 is a quantity (≤10个月) and 2019.10 an amount
    if target.kind != "number" and (month := _month_of(t)) is not None:
        return _when(text, month)
    parts = _extract(t, rules)
    if parts is not None:
        if target.kind == "time" and not parts.unit:
            month = _serial_month(parts.number) or parts.number
            return _when(text, month)
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
    if isinstance(value, (bool, date, datetime)):
        return None
    if isinstance(value, Real):
        return _finite(value)
    t = normalize_text(value)
    m = _PLAIN_RE.fullmatch(t) if t else None
    if m is None:
        return None
    try:
        x = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    if m.group(2) in ("%", "百分比"):
        x /= 100
    return x if math.isfinite(x) else None
