"""Rules files on disk: decoding, TOML syntax errors in Chinese, named sets, ``base``.

A rules file is edited by a clerk, often in Notepad, which on a Chinese Windows
saves ANSI (GBK): such a file is read, not refused. A file may start from a
named rule set (``base = "四川"``) and override keys; named sets ship in
``perfxl/rules/sets/`` and are found by their ``name`` or by file stem.
The result is one merged plain table; :mod:`perfxl.rules.typed` types it.
"""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from perfxl.rules.typed import RulesError

DEFAULT_NAME = "全国默认"
_MAX_BASE_DEPTH = 5


def default_text() -> str:
    """The default rules file, as shipped (what ``perfxl rules`` prints)."""
    return resources.files("perfxl.rules").joinpath("default.toml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class NamedSet:
    """A rule set shipped with perfxl: its name, one-line description and text."""

    name: str
    stem: str
    description: str
    base: str
    text: str


def named_sets() -> list[NamedSet]:
    """The default first, then every file of ``perfxl/rules/sets/`` by name."""
    out = [NamedSet(DEFAULT_NAME, "default", _meta(default_text())[1], "", default_text())]
    folder = resources.files("perfxl.rules").joinpath("sets")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            text = entry.read_text(encoding="utf-8")
            name, description, base = _meta(text)
            out.append(NamedSet(name or entry.name[:-5], entry.name[:-5], description, base, text))
    return out


def _meta(text: str) -> tuple[str, str, str]:
    data = tomllib.loads(text)
    return str(data.get("name", "")), str(data.get("description", "")), str(data.get("base", ""))


def find_set(ref: str) -> NamedSet | None:
    """The named set called ``ref`` (its name or its file stem), else None."""
    for s in named_sets():
        if ref in (s.name, s.stem):
            return s
    return None


def read_text(path: Path) -> str:
    """A rules file's text: UTF-8 (with or without BOM), else GBK/GB18030 (Notepad's ANSI)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesError(f"无法读取规则文件 {path}：{exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RulesError(f"规则文件 {path} 不是文本文件（请另存为 UTF-8 编码）")


_TOML_MESSAGES = (
    ("Expected '=' after a key", "键后面应有“=”"),
    ("Invalid value", "值无法识别（文本要加英文引号）"),
    ("Invalid initial character for a key part", "键的写法不对（含中文或符号的键要加英文引号）"),
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Cannot declare", "同一个表写了两次"),
    ("Unterminated string", "引号没有闭合"),
    ("Illegal character '\\n'", "引号没有在同一行闭合"),
    ("Illegal character", "文本中有不允许的字符"),
    (
        "Expected newline or end of document",
        "值后面有多余的内容（一行只写一个“键 = 值”；百分数写成小数，90% 写 0.9）",
    ),
    ("Invalid statement", "这一行不是“键 = 值”或“[表名]”（含中文的键要加英文引号）"),
    ("Expected ']' at the end of a table", "表名缺少右方括号“]”"),
    ("Unclosed array", "列表的方括号没有闭合"),
    ("Unclosed inline table", "表的花括号没有闭合"),
)
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """The TOML table, or a :class:`RulesError` in Chinese with the line number."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        what = next((zh for en, zh in _TOML_MESSAGES if msg.startswith(en)), "格式不符合 TOML 语法")
        m = _AT_LINE.search(msg)
        at = (
            f"第 {m.group(1)} 行第 {m.group(2)} 列"
            if m
            else ("文件末尾" if "end of document" in msg else "")
        )
        raise RulesError(f"规则文件 {where} {at}格式错误：{what}") from None


def merge(base: dict, override: dict) -> dict:
    """``override`` on top of ``base``: tables merge key by key, any other value
    (numbers, lists, lists of tables) replaces. Unknown keys pass here and are
    refused by the typed schema, which names them."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def resolve(ref: str | Path | None) -> tuple[dict[str, Any], str, str]:
    """The merged table of ``ref``, where it came from and its text: None →
    the default; an existing file → that file over its ``base`` (or the
    default); a name → that named set."""
    if ref is None:
        text = default_text()
        return parse_toml(text, "default.toml"), DEFAULT_NAME, text
    path = Path(ref)
    if path.is_file():
        text = read_text(path)
        return _over_base(parse_toml(text, str(path)), str(path), 0), str(path), text
    named = find_set(str(ref))
    if named is None:
        names = "、".join(s.name for s in named_sets())
        raise RulesError(f"找不到规则文件或规则集「{ref}」（内置规则集：{names}）")
    return _named(named, 0), named.name, named.text


def _named(named: NamedSet, depth: int) -> dict[str, Any]:
    data = parse_toml(named.text, f"{named.stem}.toml")
    if named.stem == "default":
        return data
    return _over_base(data, named.name, depth)


def _over_base(data: dict[str, Any], where: str, depth: int) -> dict[str, Any]:
    base_ref = data.get("base", "")
    if not isinstance(base_ref, str):
        raise RulesError(f"规则文件 {where} 的键 base 应为规则集名称（文本），实际为 {base_ref!r}")
    if depth > _MAX_BASE_DEPTH:
        raise RulesError(
            f"规则文件 {where} 的 base 层层引用超过 {_MAX_BASE_DEPTH} 层（可能循环引用）"
        )
    if base_ref:
        named = find_set(base_ref)
        if named is None:
            names = "、".join(s.name for s in named_sets())
            raise RulesError(
                f"规则文件 {where} 的键 base 应为内置规则集之一（{names}），实际为“{base_ref}”"
            )
        base = _named(named, depth + 1)
    else:
        base = parse_toml(default_text(), "default.toml")
    # the name and description of the file itself, not of its base
    base = {k: v for k, v in base.items() if k not in ("name", "description")}
    return merge(base, data)
