"""Turn a parsed TOML table into the typed dataclasses of :mod:`perfxl.rules.schema`.

One generic converter instead of a hand-written check per key: the dataclass
fields *are* the list of allowed keys and their types, so a key added to a
table is validated the moment it is declared. Every refusal is one Chinese
line naming the full key (``budget.tiers[1].min``) and what was expected,
because the clerk who edits the file has no traceback to read.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from typing import Any, Literal, get_args, get_origin, get_type_hints


class RulesError(Exception):
    """The rules file cannot be used (syntax, unknown key, wrong type or order)."""


def share(**kw: Any) -> Any:
    """A field holding a share between 0 and 1 (90% is written 0.9)."""
    return dataclasses.field(metadata={"range": (0.0, 1.0)}, **kw)


def positive(**kw: Any) -> Any:
    """A field holding a number ≥ 0."""
    return dataclasses.field(metadata={"range": (0.0, math.inf)}, **kw)


def internal(default: Any) -> Any:
    """A field set by perfxl, never by a rules file (e.g. where the rules came from)."""
    return dataclasses.field(default=default, metadata={"internal": True})


def key_of(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def show(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "一个表"
    if isinstance(value, list):
        return "一个列表"
    return repr(value)


def build(cls: type, data: Any, where: str = "") -> Any:
    """An instance of dataclass ``cls`` from the TOML table ``data``; unknown
    keys, missing keys and wrong types raise :class:`RulesError`. After
    construction the instance's ``validate(where)`` (if any) checks what
    types cannot say: order of tiers and thresholds, ranges that must nest."""
    if not isinstance(data, dict):
        raise RulesError(
            f"规则文件的键 {where} 类型错误：应为一个表（[{where}] 或 {{ … }}），实际为 {show(data)}"
        )
    allowed = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    for key in data:
        if key not in allowed:
            raise RulesError(
                f"规则文件中有未知的键：{key_of(where, key)}（此处可用的键：{'、'.join(allowed)}）"
            )
    hints = get_type_hints(cls)
    kwargs = {}
    for name, f in allowed.items():
        key = key_of(where, name)
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise RulesError(f"规则文件缺少键 {key}")
            continue
        kwargs[name] = convert(hints[name], data[name], key, f.metadata)
    obj = cls(**kwargs)
    validate = getattr(obj, "validate", None)
    if validate is not None:
        validate(where)
    return obj


def convert(tp: Any, value: Any, key: str, meta: typing.Mapping[str, Any] | None = None) -> Any:
    """``value`` as type ``tp`` (bool, int, float, str, Literal, tuple, dict,
    dataclass, optional), or a :class:`RulesError` naming ``key``."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return convert(inner[0], value, key, meta)
    if dataclasses.is_dataclass(tp):
        return build(tp, value, key)
    if origin is Literal:
        if value not in args:
            choices = " 或 ".join(show(a) for a in args)
            raise RulesError(f"规则文件的键 {key} 应为 {choices}，实际为 {show(value)}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise RulesError(
                f"规则文件的键 {key} 类型错误：应为一个列表（[ … ]），实际为 {show(value)}"
            )
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(convert(args[0], v, f"{key}[{i + 1}]", meta) for i, v in enumerate(value))
        if len(value) != len(args):
            raise RulesError(f"规则文件的键 {key} 应为 {len(args)} 项的列表，实际为 {value!r}")
        pairs = enumerate(zip(args, value, strict=True))
        return tuple(convert(a, v, f"{key}[{i + 1}]", meta) for i, (a, v) in pairs)
    if origin is dict:
        if not isinstance(value, dict):
            raise RulesError(
                f"规则文件的键 {key} 类型错误：应为一个表（{{ … }}），实际为 {show(value)}"
            )
        return {
            convert(args[0], k, f"{key} 的键 {k}"): convert(args[1], v, key_of(key, k), meta)
            for k, v in value.items()
        }
    return _scalar(tp, value, key, meta or {})


def _scalar(tp: Any, value: Any, key: str, meta: typing.Mapping[str, Any]) -> Any:
    if tp is bool:
        if not isinstance(value, bool):
            raise RulesError(
                f"规则文件的键 {key} 类型错误：应为 true 或 false，实际为 {show(value)}"
            )
        return value
    if tp is str:
        if not isinstance(value, str):
            raise RulesError(
                f"规则文件的键 {key} 类型错误：应为文本（加引号），实际为 {show(value)}"
            )
        return value
    if tp in (int, float):
        ok = isinstance(value, int) if tp is int else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            what = "整数" if tp is int else "数字"
            raise RulesError(f"规则文件的键 {key} 类型错误：应为{what}，实际为 {show(value)}")
        lo, hi = meta.get("range", (-math.inf, math.inf))
        if not (lo <= value <= hi) or (tp is float and not math.isfinite(value)):
            if (lo, hi) == (0.0, 1.0):
                raise RulesError(
                    f"规则文件的键 {key} 应为 0～1 之间的比例（90% 写作 0.9），实际为 {value!r}"
                )
            raise RulesError(f"规则文件的键 {key} 应为不小于 {lo:g} 的数字，实际为 {value!r}")
        return tp(value)
    raise TypeError(f"unsupported rules type {tp!r} for {key}")  # a schema bug, not user input
