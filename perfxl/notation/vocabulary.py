"""The vocabulary of :mod:`perfxl.notation.parse`: word, operator and unit tables,
the compiled regexes, and the lookups that only consult them.

Kept apart from the parsing logic so the vocabulary (how units write ≥, 以上,
10月底前, 第三季度 ...) can be read and extended in one place. The text
normaliser lives here too, because every table is keyed by normalised text.
Every regex is compiled once, at import; a character class built from a table
escapes it, so a symbol added to a table can never become a range or a nested set.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from perfxl.rules.schema import Rules

Op = Literal[">=", "<=", "="]
Band = Literal["达成", "部分达成", "未达成"]


# --- text normalisation -------------------------------------------------------

# Only width variants are folded (＞＝ → >=, ４ → 4, ％ → %); full NFKC would also
# turn list markers such as ① or superscripts into digits and invent numbers.
FOLD = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for cp in [*range(0xFE50, 0xFE70), *range(0xFF00, 0xFFF0)]
    if unicodedata.decomposition(chr(cp)).startswith(("<wide>", "<narrow>", "<small>"))
}
FOLD.update({cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})
PUNCT = "。，,.、;；:：!！?？\"'“”‘’()（）[]【】《》"


def raw_text(value: Any) -> str:
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
    return "".join(raw_text(value).translate(FOLD).split())


@lru_cache(maxsize=16)
def rule_tables(rules: Rules) -> tuple[dict[str, Band], frozenset[str], tuple[str, ...]]:
    """Band of each word, NA markers, known units (longest first), for one Rules."""
    words: dict[str, Band] = {}
    w_ = rules.words
    for words_of, band in (
        (w_.achieved, "达成"),
        (w_.partly, "部分达成"),
        (w_.not_achieved, "未达成"),
    ):
        for w in words_of:
            words.setdefault(strip_punct(normalize_text(w)), band)  # type: ignore[arg-type]
    na = frozenset(normalize_text(w).lower() for w in rules.words.not_applicable)
    units = {normalize_text(u) for u in (*BUILTIN_UNITS, *rules.units)} - {""}
    return words, na, tuple(sorted(units, key=len, reverse=True))


def strip_punct(t: str) -> str:
    """Sentence punctuation and brackets around a word (达成。 is 达成)."""
    return t.strip(PUNCT)


# --- operators and units ------------------------------------------------------

GE: Op = ">="
LE: Op = "<="
EQ: Op = "="
# written before the number; matched at the end of the text before it, longest first
OP_WORDS: dict[Op, str] = {
    GE: "≥ ≧ >= => ≮ > 大于或等于 大于等于 不低于 不少于 不小于 至少 达到 达 超过 高于 大于 多于",
    LE: "≤ ≦ <= =< ≯ < 小于或等于 小于等于 不高于 不超过 不大于 不多于 不晚于 不迟于 控制在 低于 "
    "小于 少于",
    EQ: "= ═ 等于 为",
}
PREFIX_OPS = sorted(
    ((w, op) for op, words in OP_WORDS.items() for w in words.split()), key=lambda p: -len(p[0])
)
NATURE_OPS: dict[str, Op] = {w: op for w, op in PREFIX_OPS} | {"正向": GE, "反向": LE}
# written after the number and its unit (15家以上, 5万元以内)
SUFFIX_OPS: list[tuple[str, Op]] = [
    ("及以上", GE), ("以上", GE), ("及以下", LE), ("以下", LE),
    ("以内", LE), ("之内", LE), ("内", LE),
]  # fmt: skip
UNIT_TAILS = ("及以上", "以上", "及以下", "以下", "以内", "之内", "内", "左右", "余", "多")
BUILTIN_UNITS = (
    "家 次 个 项 份 人 人次 户 件 批 所 台 套 辆 起 座 头 只 株 吨 处 场 场次 期 篇 条 公里 千米 米 "
    "亩 公顷 平方米 立方米 小时 天 日 周 月 个月 季度 年 % 百分比 百分点 万元 元 千元 亿元 "
    "工作日 个工作日 分钟 万人 万人次 万亩 千克 公斤 册 本 张 间 栋 门 课时 学时 分"
).split()
OP_SYMBOLS = "≥≤≧≦<>=═≮≯"
_OP_CLASS = "[" + re.escape(OP_SYMBOLS) + "]"  # one operator symbol, as a character class

# --- regexes ------------------------------------------------------------------

NUM_RE = re.compile(r"[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
RUN_RE = re.compile(r"%|[A-Za-z]+|[\u3400-\u4dbf\u4e00-\u9fff]+")
PLAIN_RE = re.compile(
    r"([+-]?(?:[0-9]+(?:,[0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"(%|[\u3400-\u4dbf\u4e00-\u9fff]{1,6})?"
)
NUMERAL_RE = re.compile(
    r"(约|大约|近|将近|超过|共|计|合计)?([零〇一二两三四五六七八九十百千万亿]+)"
    r"([\u4e00-\u9fff]*?)(左右|余|多)?"
)
_TAIL = (
    r"(?:份)?(?:[0-9]{1,2}[日号])?(?:底|末|中旬|上旬|下旬|初|中)?"
    r"(?:之前|以前|前|以内|内|止|为止)?(?:完成|完工|结束|完毕|实施完毕)?"
)
# a year written before a month, or a word for "the next year" (次年1月, 下年1月)
_YEAR = r"(?:((?:19|20)[0-9]{2})年|(次年|下年|翌年|明年|下一年|第二年))?"
MONTH_RE = re.compile(r"(?<![0-9.])" + _YEAR + r"([0-9]{1,2})月" + _TAIL + "$")
ISO_RE = re.compile(
    r"^((?:19|20)[0-9]{2})[-/.]([0-9]{1,2})(?:[-/.][0-9]{1,2})?(?:T?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
    r"(?:之前|以前|前)?$"
)
YEAR_END_RE = re.compile(r"^((?:19|20)[0-9]{2})?年(?:底|末|终|内|度内)(?:之前|以前|前)?(?:完成)?$")
QUARTER_RE = re.compile(
    r"^(?:((?:19|20)[0-9]{2})年)?第?([1-4一二三四])季度(?:末|底)?(?:之前|以前|前)?(?:完成)?$"
)
QUARTERS = {"1": 3, "2": 6, "3": 9, "4": 12, "一": 3, "二": 6, "三": 9, "四": 12}
HALF_RE = re.compile(r"^(?:((?:19|20)[0-9]{2})年)?(上|下)半年(?:之前|以前|前|内)?(?:完成)?$")
LEAD_RE = re.compile(r"^(?:" + _OP_CLASS + r"+|不晚于|不迟于|截至|截止|截止到|于|在|约)")
RANGE_RE = re.compile(r"(?:-|~|—|–|至|到)(" + NUM_RE.pattern + ")")
NAME_UNIT_RE = re.compile(r"\(([^()]{1,5})\)$")
# a time target with a written bound: ≤10月, 10月前, 年内, 不晚于 …
EXPLICIT_TIME_RE = re.compile(_OP_CLASS + r"|前|内|止|不晚于|不迟于")
# a split-variant 指标值 that is only a number (its unit is in the 度量单位 cell); the
# operator prefix binds only to NUM_RE's first alternative ("≥15" does not match)
BARE_NUMBER_RE = re.compile(_OP_CLASS + r"*[+-]?" + NUM_RE.pattern)
EXCEL_EPOCH = date(1899, 12, 30)


# --- lookups ------------------------------------------------------------------


def prefix_op(prefix: str) -> Op | None:
    """The operator word that ends ``prefix`` (不少于15 → >=), longest word first,
    so 大于等于 is not read as 大于; a hedge (约, 预计) before the number is skipped."""
    for strip in ("大约", "约", "预计"):
        if prefix.endswith(strip):
            prefix = prefix[: -len(strip)]
            break
    for word, op in PREFIX_OPS:
        if prefix.endswith(word):
            return op
    return None


def unit_after(after: str, known: tuple[str, ...]) -> str:
    """The unit at the start of ``after``: % or a run of letters or CJK characters,
    cut to a known unit when it runs on into words (3个村 → 个, 15家以上 → 家)."""
    m = RUN_RE.match(after)
    if not m:
        return ""
    core = m.group()
    changed = True
    while changed and core:
        changed = False
        for tail in UNIT_TAILS:
            if core.endswith(tail):
                core, changed = core[: -len(tail)], True
    if not core or core in known:
        return core
    return next((u for u in known if core.startswith(u)), core)


def when_of(t: str) -> tuple[int, int | None, int] | None:
    """(month, year or None, years after the form's year) of a time text:
    10月 → (10, None, 0); 2023年12月底前 → (12, 2023, 0); 次年1月 → (1, None, 1);
    2018-10-31 → (10, 2018, 0); 年底前 → (12, None, 0). None when not a time."""
    t = LEAD_RE.sub("", t)
    if m := MONTH_RE.search(t):
        year, next_year, month = m.group(1), m.group(2), int(m.group(3))
        return _when(month, year, 1 if next_year else 0)
    if m := ISO_RE.match(t):
        return _when(int(m.group(2)), m.group(1), 0)
    if m := YEAR_END_RE.match(t):
        return _when(12, m.group(1), 0)
    if m := QUARTER_RE.match(t):
        return _when(QUARTERS[m.group(2)], m.group(1), 0)
    if m := HALF_RE.match(t):
        return _when(6 if m.group(2) == "上" else 12, m.group(1), 0)
    return None


def _when(month: int, year: str | None, offset: int) -> tuple[int, int | None, int] | None:
    if not 1 <= month <= 12:
        return None
    return month, (int(year) if year else None), offset


def serial_date(x: float) -> date | None:
    """The date of an Excel serial date number (2000–2099 only: anything else is no date)."""
    if 36526 <= x < 73051:
        return EXCEL_EPOCH + timedelta(days=int(x))
    return None
