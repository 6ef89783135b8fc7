"""The rule sets a run can choose by name: whatever ``perfxl.rules`` ships.

The page offers the library's named sets (``perfxl rules --list``) through
the library's own loader (``Rules.load(name)``), so it never knows a
province; where the library ships no named sets, only the defaults.
"""

from __future__ import annotations

from perfxl.rules.schema import DEFAULT, Rules, RulesError

DEFAULT_LABEL = "默认规则（财预〔2020〕10号通行做法）"


def rule_sets() -> list[tuple[str, str]]:
    """(name, label) of every named set; '' is the default."""
    try:
        from perfxl.rules.files import named_sets  # type: ignore[import-not-found]
    except ImportError:
        return [("", DEFAULT_LABEL)]
    sets = named_sets()
    out = [("", f"{sets[0].name}：{sets[0].description}" if sets else DEFAULT_LABEL)]
    out += [(s.name, f"{s.name}：{s.description}" if s.description else s.name) for s in sets[1:]]
    return out


def load_named(name: str) -> Rules:
    """The set called ``name`` ('' for the defaults); RulesError if unknown."""
    if not name:
        return DEFAULT
    if name not in dict(rule_sets()):
        raise RulesError(f"没有名为“{name}”的规则集")
    return Rules.load(name)
