"""Look at a file before parsing it: is it a workbook at all, is it encrypted,
would it inflate beyond the configured bounds?

Inboxes hold whatever units e-mail in, so this runs on raw bytes and never
trusts the file name: an .xlsx renamed .xls (or the reverse) is read by its
content. Every answer is a :class:`Problem`, never an exception.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .model import Problem
from .rules import DEFAULT, Rules

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Sniffed:
    """What the bytes are: ``xlsx`` (any OOXML workbook) or ``xls`` (BIFF)."""

    kind: str | None
    problem: Problem | None = None


def is_lock_file(path: Path) -> bool:
    """Excel/WPS owner files (``~$name.xlsx``) hold a user name, not a form."""
    return path.name.startswith("~$") or path.name.startswith(".~")


def skip_reason(path: Path) -> str | None:
    """Why a file in the inbox is listed but not read, or None to read it."""
    if is_lock_file(path):
        return "Excel/WPS 临时锁定文件（~$ 开头），不是填报的表单，已跳过"
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return f"不是 Excel 工作簿（扩展名 {path.suffix or '无'}），已跳过"
    return None


def sniff(data: bytes, display: str, rules: Rules = DEFAULT) -> Sniffed:
    """Classify the bytes of a file named like a workbook."""

    def fail(code: str, message: str) -> Sniffed:
        severity = "error"
        return Sniffed(None, Problem(code, severity, message, file=display))

    if not data:
        return fail("file-unreadable", "文件为空（0 字节），无法读取")
    if data.startswith(OLE_MAGIC):
        if _is_encrypted(data):
            return fail(
                "file-encrypted", "工作簿设置了打开密码（已加密），无法读取；请提供未加密的文件"
            )
        return Sniffed("xls")
    if not data.startswith(ZIP_MAGIC):
        return fail("file-unreadable", "不是 Excel 文件（内容既非 .xlsx 也非 .xls 格式）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, ValueError, OSError):
        return fail("file-unreadable", "文件已损坏或被截断（压缩结构无法读取）")
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        return fail("file-unreadable", "压缩文件不是 Excel 工作簿（缺少 xl/workbook.xml）")
    if "xl/workbook.bin" in names:
        return fail("file-unreadable", "不支持 .xlsb 二进制工作簿，请另存为 .xlsx")
    limit = rules.get("limits.max_uncompressed_mb") * 1024 * 1024
    ratio = rules.get("limits.max_compression_ratio")
    total = sum(i.file_size for i in infos)
    if total > limit:
        return fail(
            "file-too-large",
            f"工作簿解压后约 {total / 1048576:.0f} MB，超过上限 {limit / 1048576:.0f} MB，未读取",
        )
    for info in infos:
        if info.file_size > 1048576 and info.file_size > ratio * max(info.compress_size, 1):
            return fail(
                "file-too-large",
                f"工作簿内 {info.filename} 的压缩比异常（疑似压缩炸弹），未读取",
            )
    return Sniffed("xlsx")


def _is_encrypted(data: bytes) -> bool:
    """An OLE file is either a legacy .xls or an encrypted OOXML package."""
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001 - an unrecognised OLE file is simply not encrypted for us
        return False
