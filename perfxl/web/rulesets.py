"""The rule sets a run can choose by name: whatever ``perfxl.rules`` ships.

Today the library has one set (the defaults); when it ships named provincial
sets (``perfxl rules --list``), they are offered here through the same
loader, so the page never knows a province.
"""

from __future__ import annotations

from perfxl.rules.schema import DEFAULT, Rules, RulesError

DEFAULT_LABEL = "默认规则（财预〔2020〕10号通行做法）"


def rule_sets() -> list[tuple[str, str]]:
    """(name, one-line description) of every named set; '' is the default."""
    from perfxl.rules import schema

    listing = getattr(schema, "named_sets", None)
    if listing is None:
        return [("", DEFAULT_LABEL)]
    return [("", DEFAULT_LABEL), *((n, d) for n, d in listing() if n)]


def load_named(name: str) -> Rules:
    """The set called ``name`` ('' for the defaults); RulesError if unknown."""
    if not name:
        return DEFAULT
    if name not in dict(rule_sets()):
        raise RulesError(f"没有名为“{name}”的规则集")
    return Rules.load(name)
