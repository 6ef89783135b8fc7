"""Forms inside .zip, .7z (and, where an extractor exists, .rar) archives,
read in place: nothing is ever extracted to disk, least of all into the inbox.

Units send a folder of forms zipped, often by Windows, whose Explorer writes
member names in GBK without the UTF-8 flag; Python decodes those as cp437
mojibake, so the raw bytes are decoded again (UTF-8, then GB18030). A form
inside an archive is named ``归档.zip/内部路径`` in every output, and one level
of nesting is opened (a unit zips the zips of its sub-units; deeper is refused).

An archive is untrusted like a workbook: its directory is checked before any
member is inflated — entry count, declared total size, compression ratio,
``../`` and absolute paths, encryption — and a member is read with a bound
on its size. Every refusal is an :class:`ArchiveRefused` with a registered
problem code, which the reader turns into a located problem.

The per-file work stays a pure function: a member is identified by the
archive's path and its *member chain* (the stored names, outer to inner), so
a pool worker re-opens the archive itself and nothing is shared.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfxl.rules.schema import DEFAULT, Rules

ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
SEVEN_MAGIC = b"7z\xbc\xaf\x27\x1c"
RAR_MAGIC = b"Rar!\x1a\x07"
RAR_ADVICE = "请解压后直接报送 Excel 文件，或改用 .zip 压缩"
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveRefused(Exception):
    """The archive (or a member) is not read; ``code`` is a registered problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Member:
    """One file in an archive: ``key`` is the stored name (what reading asks
    for), ``name`` the decoded path users see; sizes as the directory declares."""

    key: str
    name: str
    size: int
    packed: int | None


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def zip_name(info: zipfile.ZipInfo) -> str:
    """A member's path as its author meant it: UTF-8 when flagged, else the
    raw bytes as UTF-8 or GB18030 (a GBK superset), with '/' separators."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            raw = b""
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding) if raw else name
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


def _limit(rules: Rules) -> int:
    return int(rules.limits.max_uncompressed_mb * 1048576)


def check_members(members: list[Member], packed_total: int, rules: Rules) -> None:
    """Refuse an archive whose directory is unsafe, before anything is inflated."""
    most = int(rules.limits.max_archive_entries)
    if len(members) > most:
        raise ArchiveRefused(
            "file-too-large",
            f"压缩包内有 {len(members)} 个文件，超过上限 {most}（疑似压缩炸弹），未读取",
        )
    for m in members:
        parts = m.name.split("/")
        if m.name.startswith("/") or _DRIVE.match(m.name) or ".." in parts or "\x00" in m.name:
            raise ArchiveRefused(
                "archive-unsafe",
                f"压缩包内的路径“{m.name[:80]}”指向压缩包之外（../ 或绝对路径），"
                "出于安全考虑整个压缩包未读取",
            )
    total, limit = sum(m.size for m in members), _limit(rules)
    if total > limit:
        raise ArchiveRefused(
            "file-too-large",
            f"压缩包解压后约 {total / 1048576:.0f} MB，超过上限 {limit / 1048576:.0f} MB，未读取",
        )
    ratio = rules.limits.max_compression_ratio
    for m in members:
        if m.packed is not None and m.size > 1048576 and m.size > ratio * max(m.packed, 1):
            raise ArchiveRefused(
                "file-too-large", f"压缩包内 {m.name} 的压缩比异常（疑似压缩炸弹），未读取"
            )
    if total > 1048576 and total > ratio * max(packed_total, 1):
        raise ArchiveRefused("file-too-large", "压缩包的压缩比异常（疑似压缩炸弹），未读取")


class _Zip:
    def __init__(self, fh: Any) -> None:
        self.archive = zipfile.ZipFile(fh)
        infos = [i for i in self.archive.infolist() if not i.is_dir()]
        if any(i.flag_bits & 0x1 for i in infos):
            raise ArchiveRefused(
                "file-encrypted", "压缩包设置了密码（已加密），无法读取；请提供未加密的压缩包"
            )
        self.members = [
            Member(i.filename, zip_name(i), i.file_size, i.compress_size) for i in infos
        ]

    def read(self, key: str, limit: int) -> bytes:
        with self.archive.open(self.archive.getinfo(key)) as fh:
            return fh.read(limit + 1)

    def close(self) -> None:
        self.archive.close()


class _SevenZip:
    def __init__(self, fh: Any) -> None:
        import py7zr

        try:
            self.archive = py7zr.SevenZipFile(fh, "r")
        except py7zr.PasswordRequired:
            raise ArchiveRefused(
                "file-encrypted", "压缩包设置了密码（已加密），无法读取；请提供未加密的压缩包"
            ) from None
        if self.archive.needs_password():
            self.archive.close()
            raise ArchiveRefused(
                "file-encrypted", "压缩包设置了密码（已加密），无法读取；请提供未加密的压缩包"
            )
        self.members = [
            Member(f.filename, f.filename.replace("\\", "/"), int(f.uncompressed or 0), None)
            for f in self.archive.list()
            if not f.is_directory
        ]

    def read(self, key: str, limit: int) -> bytes:
        from py7zr.io import BytesIOFactory

        factory = BytesIOFactory(limit + 1)  # a member lying about its size stops there
        self.archive.reset()
        self.archive.extract(targets=[key], factory=factory)
        out = factory.get(key)
        out.seek(0)
        return out.read()

    def close(self) -> None:
        self.archive.close()


class _Rar:
    """Through the optional rarfile package and an unrar/unar/7z tool it finds."""

    def __init__(self, fh: Any) -> None:
        try:
            import rarfile

            rarfile.tool_setup()
        except Exception:  # noqa: BLE001 - no package or no tool: the same answer
            raise ArchiveRefused(
                "archive-unsupported", f"这是 .rar 压缩包，本机没有可用的解压程序；{RAR_ADVICE}"
            ) from None
        self.archive = rarfile.RarFile(fh)
        if self.archive.needs_password():
            raise ArchiveRefused("file-encrypted", "压缩包设置了密码（已加密），无法读取")
        infos = [i for i in self.archive.infolist() if not i.is_dir()]
        self.members = [
            Member(i.filename, i.filename.replace("\\", "/"), i.file_size, i.compress_size)
            for i in infos
        ]

    def read(self, key: str, limit: int) -> bytes:
        with self.archive.open(key) as fh:
            return fh.read(limit + 1)

    def close(self) -> None:
        self.archive.close()


@contextmanager
def open_archive(source: Path | bytes, rules: Rules = DEFAULT) -> Iterator[Any]:
    """An open, checked archive (``.members``, ``.read(key, limit)``), from a
    path or from the bytes of an archive inside another; kind by content."""
    try:
        if isinstance(source, bytes):
            head, size, fh = source[:8], len(source), io.BytesIO(source)
        else:
            size = source.stat().st_size
            fh = open(source, "rb")  # noqa: SIM115 - closed below
            head = fh.read(8)
            fh.seek(0)
    except OSError as exc:
        raise ArchiveRefused("file-unreadable", f"无法打开压缩包：{exc.strerror or exc}") from None
    opened = None
    try:
        kind = (
            _Zip
            if head.startswith(ZIP_MAGICS)
            else _SevenZip
            if head.startswith(SEVEN_MAGIC)
            else _Rar
            if head.startswith(RAR_MAGIC)
            else None
        )
        if kind is None:
            raise ArchiveRefused("file-unreadable", "文件扩展名是压缩包，但内容不是 .zip/.7z/.rar")
        try:
            opened = kind(fh)
        except ArchiveRefused:
            raise
        except Exception:  # noqa: BLE001 - any parser failure: this archive's problem only
            raise ArchiveRefused("file-unreadable", "压缩包已损坏或被截断，无法打开") from None
        check_members(opened.members, size, rules)
        yield opened
    finally:
        if opened is not None:
            opened.close()
        fh.close()


def read_member(archive: Any, member: Member | str, rules: Rules = DEFAULT) -> bytes:
    """The bytes of one member, bounded by the size limit and by what the
    directory declared (a member inflating beyond it is refused)."""
    key = member if isinstance(member, str) else member.key
    declared = next((m for m in archive.members if m.key == key), None)
    if declared is None:
        raise ArchiveRefused("file-unreadable", "压缩包内找不到该文件（压缩包已改变？）")
    limit = min(declared.size, _limit(rules))
    try:
        data = archive.read(key, limit)
    except ArchiveRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError):
        raise ArchiveRefused("file-unreadable", "压缩包内的文件已损坏，无法解压") from None
    except Exception:  # noqa: BLE001 - py7zr/rarfile errors have no common base
        raise ArchiveRefused("file-unreadable", "压缩包内的文件已损坏，无法解压") from None
    if len(data) > limit:
        raise ArchiveRefused(
            "file-too-large", "压缩包内的文件解压后比声明的大（疑似压缩炸弹），未读取"
        )
    return data


def expand(path: Path, display: str, rules: Rules = DEFAULT) -> list[tuple[Path, str, tuple]]:
    """The inbox items an archive stands for: one per member (an archive
    inside it: one per member of that), each (archive path, ``归档.zip/内部路径``,
    member chain). A refused archive is one item with an empty chain (a refused
    inner archive: its own chain), whose reading reports why."""
    items: list[tuple[Path, str, tuple]] = []
    try:
        with open_archive(path, rules) as outer:
            for m in outer.members:
                shown = f"{display}/{m.name}"
                if not is_archive(m.name):
                    items.append((path, shown, (m.key,)))
                    continue
                try:
                    with open_archive(read_member(outer, m, rules), rules) as inner:
                        inner_items = [
                            (path, f"{shown}/{i.name}", (m.key, i.key)) for i in inner.members
                        ]
                except ArchiveRefused:
                    inner_items = []
                items.extend(inner_items or [(path, shown, (m.key,))])
    except ArchiveRefused:
        return [(path, display, ())]
    return sorted(items, key=lambda item: item[1]) or [(path, display, ())]


def member_bytes(path: Path, chain: tuple[str, ...], rules: Rules = DEFAULT) -> bytes:
    """The bytes at the end of a member chain, every archive on the way re-checked."""
    source: Path | bytes = path
    for key in chain:
        with open_archive(source, rules) as archive:
            source = read_member(archive, key, rules)
    if isinstance(source, Path):
        raise ValueError("empty member chain")
    return source


def refusal(path: Path, chain: tuple[str, ...], rules: Rules = DEFAULT) -> ArchiveRefused:
    """Why the archive at the end of a chain gives no forms: refused, nested
    too deep, or empty."""
    try:
        source: Path | bytes = member_bytes(path, chain, rules) if chain else path
        with open_archive(source, rules) as archive:
            count = len(archive.members)
    except ArchiveRefused as exc:
        return exc
    if count and len(chain) >= 2:
        return ArchiveRefused(
            "archive-unsupported",
            "压缩包里的压缩包里又有压缩包（嵌套超过一层），未读取；请解压后报送",
        )
    return ArchiveRefused("skipped-file", "空压缩包，没有可读取的文件")
