"""Rules as typed data: one frozen dataclass per table of the rules file.

The defaults live in ``default.toml`` beside this module; named province sets
in ``sets/``; a clerk's file overrides any subset of keys (and may start from a
named set with ``base = "四川"``). The file is read once, into these classes:
code reads ``rules.budget.low_execution``, never a dotted string, and a key
that is not declared here is refused with a Chinese line naming it. To add a
key: declare the field here, give its default in ``default.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from perfxl.checks.codes import CODES
from perfxl.rules.files import default_text, resolve
from perfxl.rules.typed import RulesError, build, internal, positive, share

__all__ = ["DEFAULT", "Rules", "RulesError", "default_text", "load_rules"]

Band = Literal["达成", "部分达成", "未达成"]
FundKind = Literal["total", "fiscal", "carryover", "other"]


def _descending(values: list[float], key: str, what: str) -> None:
    if any(a <= b for a, b in zip(values, values[1:], strict=False)):
        raise RulesError(f"规则文件的键 {key} 应按{what}从高到低排列，实际为 {values}")


@dataclass(frozen=True)
class Tier:
    """A budget tier: the first tier whose ``min_rate`` ≤ the rate gives
    ``share`` × weight, or rate × weight × ``factor`` when factor is set."""

    min_rate: float = share()
    share: float | None = share(default=None)
    factor: float | None = positive(default=None)


@dataclass(frozen=True)
class Budget:
    """[budget]: how the execution rate is computed and scored."""

    default_weight: float = positive()
    weight_source: Literal["form", "fixed"] = "form"
    rule: Literal["proportional", "tiers"] = "proportional"
    rate_basis: Literal["budget", "initial"] = "budget"
    rate_rows: tuple[FundKind, ...] = ("total",)
    cap_at_weight: bool = True
    low_execution: float = share(default=0.9)
    reason_required_below: float = share(default=0.0)
    adjustment_reason_required: bool = False
    rate_tolerance: float = share(default=0.005)
    tiers: tuple[Tier, ...] = ()

    def validate(self, where: str) -> None:
        _descending([t.min_rate for t in self.tiers], f"{where}.tiers", "最低执行率 min_rate")
        for i, t in enumerate(self.tiers, 1):
            if t.share is not None and t.factor is not None:
                raise RulesError(f"规则文件的键 {where}.tiers[{i}] 只能有 share 或 factor 之一")
        if not self.rate_rows:
            raise RulesError(f'规则文件的键 {where}.rate_rows 至少要有一行（如 ["total"]）')


@dataclass(frozen=True)
class Weights:
    """[weights]: the 分值 a form must add up to and the standard 一级 split."""

    level1: dict[str, float]
    total: float = positive(default=100.0)
    tolerance: float = positive(default=0.01)
    check_level1_split: bool = True


@dataclass(frozen=True)
class Indicators:
    """[indicators]: how one 三级 indicator is scored."""

    band_scores: dict[Band, float] = field(metadata={"range": (0.0, 1.0)})
    band_ranges: dict[Band, tuple[float, float]] = field(metadata={"range": (0.0, 1.0)})
    over_achievement_ratio: float = positive(default=1.2)
    not_applicable: Literal["redistribute", "zero"] = "redistribute"
    late_share_per_month: float = share(default=0.1)
    reverse_rule: Literal["linear", "ratio"] = "linear"
    band_upper_exclusive: bool = False
    over_reason_ratio: float = positive(default=0.0)
    over_reason_zero_target: float = positive(default=0.0)
    over_penalty_ratio: float = positive(default=0.0)
    over_penalty_points: float = positive(default=0.0)

    def validate(self, where: str) -> None:
        for band, (lo, hi) in self.band_ranges.items():
            if lo > hi:
                raise RulesError(
                    f"规则文件的键 {where}.band_ranges.{band} 应为 [下限, 上限]，实际为 [{lo}, {hi}]"
                )
        for key in ("over_reason_ratio", "over_penalty_ratio"):
            value = getattr(self, key)
            if 0 < value < 1:
                raise RulesError(
                    f"规则文件的键 {where}.{key} 应为 0（不启用）或不小于 1 的倍数，实际为 {value}"
                )


@dataclass(frozen=True)
class Cap:
    """A cap on the review total: execution rate below ``below_rate`` → at most ``max_total``."""

    below_rate: float = share()
    max_total: float = positive()


@dataclass(frozen=True)
class Totals:
    """[totals]: caps of the review total by execution rate (empty: no cap)."""

    caps: tuple[Cap, ...] = ()

    def validate(self, where: str) -> None:
        _descending([c.below_rate for c in self.caps], f"{where}.caps", "执行率 below_rate")
        _descending([c.max_total for c in self.caps], f"{where}.caps", "封顶分 max_total")


@dataclass(frozen=True)
class Tolerances:
    """[tolerances]: how far a self score may be from the review before it is a finding."""

    self_score: float = positive(default=0.5)
    total_high: float = positive(default=1.0)
    total_sum: float = positive(default=0.01)


@dataclass(frozen=True)
class Grades:
    """[grades]: the lowest total of each grade, from the top."""

    thresholds: tuple[tuple[float, str], ...]
    lowest: str = "差"

    def validate(self, where: str) -> None:
        _descending([t for t, _ in self.thresholds], f"{where}.thresholds", "分数")


@dataclass(frozen=True)
class RedLight:
    """Red light: the indicator share I/I_max exceeds the budget share B/B_max by
    more than ``gap`` of itself (a form that claims results without spending)."""

    enabled: bool = False
    gap: float = share(default=0.05)


@dataclass(frozen=True)
class YellowLight:
    """Yellow light: more than ``unspent_share`` of the budget unspent, or no budget."""

    enabled: bool = False
    unspent_share: float = share(default=0.2)


@dataclass(frozen=True)
class Warnings:
    """[warnings]: the platform's 自评预警 lights (off by default)."""

    red_light: RedLight = RedLight()
    yellow_light: YellowLight = YellowLight()


@dataclass(frozen=True)
class Limits:
    """[limits]: bounds that keep a hostile or broken file from exhausting memory."""

    max_cells: int = positive()
    max_uncompressed_mb: float = positive()
    max_compression_ratio: float = positive()
    max_sheet_mb: float = positive()
    max_merged_cells: int = positive()
    max_archive_entries: int = positive()  # files in one .zip/.7z of the inbox
    # perfxl serve: one upload (all its files together) is refused beyond these
    upload_max_total_mb: float = positive()
    upload_max_files: int = positive()


@dataclass(frozen=True)
class Words:
    """[words]: actual words → qualitative band, and the other word lists."""

    achieved: tuple[str, ...]
    partly: tuple[str, ...]
    not_achieved: tuple[str, ...]
    not_applicable: tuple[str, ...]
    no_reason: tuple[str, ...]
    placeholders: tuple[str, ...]


@dataclass(frozen=True)
class Checks:
    """[checks]: switch checks off (``skip``) or change their level (``severity``)."""

    skip: tuple[str, ...] = ()
    severity: dict[str, Literal["error", "warning", "info"]] = field(default_factory=dict)

    def validate(self, where: str) -> None:
        for key, codes in (("skip", self.skip), ("severity", list(self.severity))):
            for code in codes:
                if code not in CODES:
                    raise RulesError(
                        f"规则文件的键 {where}.{key} 中的“{code}”不是已知的问题代码（见 README 的问题代码表）"
                    )


@dataclass(frozen=True, eq=False)
class Rules:
    """The effective rules: defaults, overridden by a named set and/or a file.

    ``eq=False``: a Rules is compared (and hashed, for the parse caches) by
    identity; one run loads it once.
    """

    budget: Budget
    weights: Weights
    indicators: Indicators
    tolerances: Tolerances
    grades: Grades
    limits: Limits
    words: Words
    units: dict[str, tuple[str, float]]
    totals: Totals = Totals()
    warnings: Warnings = Warnings()
    checks: Checks = Checks()
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    name: str = ""
    description: str = ""
    base: str = ""
    source: str = internal("全国默认")  # the file path or the shipped set's name
    text: str = internal("")  # the file's (or set's) own text, for the 说明 sheet

    def validate(self, where: str) -> None:
        if not self.labels:
            return
        # imported here: the reader owns the label table and itself imports this module
        from perfxl.read.labels import SYNONYMS

        for key in self.labels:
            if key not in SYNONYMS:
                known = "、".join(k for k in SYNONYMS if not k.isascii())
                raise RulesError(
                    f"规则文件的键 labels.{key} 不是已知的表单标签（可用：{known} 等）"
                )

    @classmethod
    def load(cls, ref: str | Path | None = None) -> Rules:
        """The rules of ``ref``: None → the national default; a file path; or
        the name of a shipped set (``四川``). Raises :class:`RulesError`."""
        return load_rules(ref)

    @property
    def title(self) -> str:
        """How the rules are named to a reader: the set's name, and the file."""
        title = self.name if self.name == self.source else f"{self.name}（{self.source}）"
        return f"{title}，基于{self.base}" if self.base else title

    # frequently used values, computed once
    @cached_property
    def grade_thresholds(self) -> list[tuple[float, str]]:
        return sorted(self.grades.thresholds, reverse=True)

    def grade(self, total: float) -> str:
        """The grade of a total (``grade_of(total)`` for the completed copy)."""
        for threshold, name in self.grade_thresholds:
            if total >= threshold - 1e-9:
                return name
        return self.grades.lowest

    grade_of = grade


def load_rules(ref: str | Path | None = None) -> Rules:
    """Read and type the rules once; see :meth:`Rules.load`."""
    data, source, text = resolve(ref)
    rules = build(Rules, data)
    object.__setattr__(rules, "source", source)
    object.__setattr__(rules, "text", text)
    if not rules.name:
        object.__setattr__(rules, "name", source)
    return rules


DEFAULT = load_rules()
