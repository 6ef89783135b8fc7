"""The rule sets a run can choose by name: the library's named sets
(``perfxl rules --list``), loaded by the library's own ``Rules.load(name)``,
so the page never knows a province."""

from __future__ import annotations

from perfxl.rules.schema import DEFAULT, Rules, RulesError


def rule_sets() -> list[tuple[str, str]]:
    """(name, label) of every named set; the default comes first with name ''."""
    from perfxl.rules.files import named_sets

    labelled = [
        (s.name, f"{s.name}：{s.description}" if s.description else s.name) for s in named_sets()
    ]
    return [("", labelled[0][1]), *labelled[1:]]


def load_named(name: str) -> Rules:
    """The set called ``name`` ('' for the defaults); RulesError if unknown."""
    if not name:
        return DEFAULT
    if name not in dict(rule_sets()):
        raise RulesError(f"没有名为“{name}”的规则集")
    return Rules.load(name)
