"""Rules as data: every number and word list of the scoring and notation specs.

The defaults live in ``default.toml`` beside this module; a province's file
overrides any subset of keys. A bad file raises :class:`RulesError` naming the
key, so the CLI can say exactly what to fix.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any


class RulesError(Exception):
    """The rules file cannot be used (syntax, unknown key or wrong type)."""


def default_text() -> str:
    """The default rules file, as shipped (what ``perfxl rules`` prints)."""
    return resources.files("perfxl.rules").joinpath("default.toml").read_text(encoding="utf-8")


def _merge(base: dict, override: dict, path: str = "") -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        where = f"{path}.{key}" if path else key
        if (
            path == "labels"
            or path.startswith("units")
            or path
            in (
                "checks.severity",
                "weights.level1",
                "indicators.band_scores",
                "indicators.band_ranges",
            )
        ):
            out[key] = value  # open-ended tables: any key is allowed
            continue
        if key not in base:
            raise RulesError(f"规则文件中有未知的键：{where}")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise RulesError(f"规则文件的键 {where} 应为一个表（[{where}]）")
            out[key] = _merge(base[key], value, where)
            continue
        expected = type(base[key])
        ok = isinstance(value, expected) or (
            expected is float and isinstance(value, int) and not isinstance(value, bool)
        )
        if not ok:
            raise RulesError(
                f"规则文件的键 {where} 类型错误：应为 {_type_zh(expected)}，实际为 {value!r}"
            )
        out[key] = float(value) if expected is float else value
    return out


def _type_zh(t: type) -> str:
    return {float: "数字", int: "整数", str: "文本", list: "列表", bool: "布尔值"}.get(
        t, t.__name__
    )


@dataclass(frozen=True, eq=False)
class Rules:
    """The effective rules: defaults overridden by an optional file."""

    data: dict[str, Any]
    source: str = "默认规则"

    @classmethod
    def load(cls, path: str | Path | None = None) -> Rules:
        base = tomllib.loads(default_text())
        if path is None:
            return cls(base)
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise RulesError(f"无法读取规则文件 {p}：{exc.strerror or exc}") from None
        try:
            override = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(f"规则文件 {p} 格式错误：{exc}") from None
        data = _merge(base, override)
        _check(data)
        return cls(data, str(p))

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    # frequently used values, computed once
    @cached_property
    def grade_thresholds(self) -> list[tuple[float, str]]:
        return sorted(((float(t), str(g)) for t, g in self.get("grades.thresholds")), reverse=True)

    def grade(self, total: float) -> str:
        for threshold, name in self.grade_thresholds:
            if total >= threshold - 1e-9:
                return name
        return str(self.get("grades.lowest"))

    @cached_property
    def words(self) -> dict[str, frozenset[str]]:
        return {k: frozenset(v) for k, v in self.data["words"].items()}

    @cached_property
    def units(self) -> dict[str, tuple[str, float]]:
        return {k: (str(v[0]), float(v[1])) for k, v in self.data["units"].items()}

    @cached_property
    def label_synonyms(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.data.get("labels", {}).items()}


def _check(data: dict) -> None:
    """Semantic checks a TOML parser cannot do."""
    for item in data["grades"]["thresholds"]:
        if not (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], (int, float))
            and isinstance(item[1], str)
        ):
            raise RulesError(
                f"规则文件的键 grades.thresholds 每项应为 [分数, 等级]，实际为 {item!r}"
            )
    if data["budget"]["rule"] not in ("proportional", "tiers"):
        raise RulesError("规则文件的键 budget.rule 应为 proportional 或 tiers")
    if data["indicators"]["not_applicable"] not in ("redistribute", "zero"):
        raise RulesError("规则文件的键 indicators.not_applicable 应为 redistribute 或 zero")
    for unit, spec in data["units"].items():
        if not (isinstance(spec, list) and len(spec) == 2 and isinstance(spec[1], (int, float))):
            raise RulesError(f"规则文件的键 units.{unit} 应为 [标准单位, 倍数]")
    _check_checks(data["checks"])
    for key, spellings in data.get("labels", {}).items():
        if not isinstance(spellings, list) or not all(isinstance(s, str) for s in spellings):
            raise RulesError(f"规则文件的键 labels.{key} 应为文本列表")


def _check_checks(checks: dict) -> None:
    """``[checks]`` names registered codes and real severities."""
    from perfxl.checks.codes import CODES, SEVERITY_ORDER

    for code in checks["skip"]:
        if code not in CODES:
            raise RulesError(f"规则文件的键 checks.skip 中有未知的问题代码：{code}")
    for code, severity in checks["severity"].items():
        if code not in CODES:
            raise RulesError(f"规则文件的键 checks.severity 中有未知的问题代码：{code}")
        if severity not in SEVERITY_ORDER:
            raise RulesError(
                f"规则文件的键 checks.severity.{code} 应为 error、warning 或 info，实际为 {severity!r}"
            )


DEFAULT = Rules.load()
