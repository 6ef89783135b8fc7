"""Look at a file before parsing it: is it a workbook at all, is it encrypted,
would it inflate beyond the configured bounds?

Inboxes hold whatever units e-mail in, so this runs on raw bytes and never
trusts the file name: an .xlsx renamed .xls (or the reverse) is read by its
content. Every answer is a :class:`Problem`, never an exception.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfxl.checks.codes import problem
from perfxl.model import Problem
from perfxl.rules.schema import DEFAULT, Rules

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")  # .et: WPS, read by its content
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# a real package has tens of parts; a directory of thousands is an attack on the parser
MAX_MEMBERS = 10000


@dataclass(frozen=True)
class Sniffed:
    """What the bytes are: ``xlsx`` (any OOXML workbook) or ``xls`` (BIFF).

    For an .xlsx, ``parts`` holds the XML parts the checks inflated (every part
    up to the single-sheet limit) and ``sheets`` maps sheet names to their
    parts, so that later readers of the package (xlsx_details) need not open
    and inflate it again.
    """

    kind: str | None
    problem: Problem | None = None
    parts: dict[str, bytes] = field(default_factory=dict, repr=False)
    sheets: dict[str, str] = field(default_factory=dict)


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
    """Classify the bytes of a file named like a workbook.

    Everything a parser would trust is checked here first, from the zip
    directory and a bounded read of the parts: declared sizes, compression
    ratios, XML document type declarations (entity expansion) and how far the
    cell references of each worksheet reach (calamine allocates the whole
    rectangle from A1 to the farthest cell before we could count it).
    """
    if not data:
        return _fail(display, "file-unreadable", "文件为空（0 字节），无法读取")
    if data.startswith(OLE_MAGIC):
        if _is_encrypted(data):
            return _fail(
                display,
                "file-encrypted",
                "工作簿设置了打开密码（已加密），无法读取；请提供未加密的文件",
            )
        return _check_biff(data, display, rules) or Sniffed("xls")
    if not data.startswith(ZIP_MAGIC):
        return _fail(display, "file-unreadable", "不是 Excel 文件（内容既非 .xlsx 也非 .xls 格式）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _sniff_zip(zf, display, rules)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, OSError, EOFError):
        return _fail(display, "file-unreadable", "文件已损坏或被截断（压缩结构无法读取）")
    except (RuntimeError, NotImplementedError):  # encrypted zip members, unknown compression
        return _fail(display, "file-unreadable", "文件的压缩方式无法识别，无法读取")


def _fail(display: str, code: str, message: str, sheet: str = "") -> Sniffed:
    return Sniffed(None, problem(code, message, file=display, sheet=sheet))


def _sniff_zip(zf: zipfile.ZipFile, display: str, rules: Rules) -> Sniffed:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        return _fail(
            display,
            "file-too-large",
            f"工作簿内有 {len(infos)} 个部件，超过上限 {MAX_MEMBERS}（疑似压缩炸弹），未读取",
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        return _fail(
            display, "file-unreadable", "压缩文件不是 Excel 工作簿（缺少 xl/workbook.xml）"
        )
    if "xl/workbook.bin" in names:
        return _fail(display, "file-unreadable", "不支持 .xlsb 二进制工作簿，请另存为 .xlsx")
    max_bytes = rules.limits.max_uncompressed_mb * 1024 * 1024
    ratio = rules.limits.max_compression_ratio
    total = sum(i.file_size for i in infos)
    if total > max_bytes:
        return _fail(
            display,
            "file-too-large",
            f"工作簿解压后约 {total / 1048576:.0f} MB，超过上限 {max_bytes / 1048576:.0f} MB，未读取",
        )
    for info in infos:
        if info.file_size > 1048576 and info.file_size > ratio * max(info.compress_size, 1):
            return _fail(
                display,
                "file-too-large",
                f"工作簿内 {info.filename} 的压缩比异常（疑似压缩炸弹），未读取",
            )
    keep = float(rules.limits.max_sheet_mb) * 1048576
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        if info.file_size <= keep and info.filename.endswith((".xml", ".rels")):
            parts[info.filename] = zf.read(info)  # read once: checked here, used later
            declares = declares_doctype(parts[info.filename])
        else:
            with zf.open(info) as fh:
                head = fh.read(1024)  # a declaration-free prolog ends within it
                if b"<!" in head or b"<?" in head[2:] or b"\x00" in head[:4]:
                    head += fh.read(PROLOG_READ - len(head))
            declares = declares_doctype(head)
        if declares:
            return _fail(
                display,
                "file-unreadable",
                f"工作簿内 {info.filename} 含有 XML 文档类型（实体）声明，"
                "Excel/WPS 保存的文件不会有这种内容，出于安全考虑未读取",
            )
    sheets = _sheet_parts(parts, names)
    problem = _check_sheets(zf, parts, sheets, display, rules)
    if problem:
        return problem
    named = {sheet: part for part, sheet in sorted(sheets.items()) if sheet and part in parts}
    return Sniffed("xlsx", parts=parts, sheets=named)


# -- XML document type declarations (entity expansion, "billion laughs") ------
_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)
PROLOG_READ = 65536


def declares_doctype(head: bytes) -> bool:
    """True when an XML part has a <!DOCTYPE …> in its prolog (the only place
    it may stand), or a prolog too long to tell. ``head``: the part, or at
    least its first PROLOG_READ bytes. Non-XML parts answer False."""
    full = len(head) >= PROLOG_READ
    head = head[:PROLOG_READ]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[: len(head) // 2 * 2].decode("utf-16", "replace").encode("utf-8", "replace")
    elif head[:2] in (b"<\x00", b"\x00<"):
        enc = "utf-16-le" if head[:1] == b"<" else "utf-16-be"
        head = head[: len(head) // 2 * 2].decode(enc, "replace").encode("utf-8", "replace")
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while pos < len(head):
        m = _PROLOG_SKIP.match(head, pos)
        if not m:
            break
        pos = m.end()
    rest = head[pos:]
    if rest[:9].upper() == b"<!DOCTYPE":
        return True
    # a prolog of comments, instructions or blanks filling the whole read
    return full and (not rest or rest[:2] in (b"<!", b"<?"))


# -- worksheet extent: how many cells calamine would allocate ------------------
_NS = rb"(?:[A-Za-z_][\w.\-]*:)?"
_ROW_TAG = re.compile(rb"<" + _NS + rb"row[\s/>]")
_C_TAG = re.compile(rb"<" + _NS + rb"c[\s/>]")
# r="B7" on a <c>, r="7" on a <row>: no other worksheet element has an r attribute
_REF = re.compile(rb"\sr\s*=\s*[\"']\$?([A-Za-z]*)\$?(\d+)[\"']")
_REL_TAG = re.compile(rb"<(?:[\w.\-]+:)?Relationship\s[^>]*>")
_SHEET_TAG = re.compile(rb"<(?:[\w.\-]+:)?sheet\s[^>]*>")
# Target/Type/Id of a relationship; name and r:id of a <sheet> (prefix dropped)
_ATTR = re.compile(
    rb"(?<![\w.\-])(?:[\w.\-]+:)?(Target|Type|Id|id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')"
)


def _col_number(letters: bytes) -> int:
    if len(letters) > 4:
        return 1 << 30
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell a worksheet part can place a
    value in: exact when every <row>/<c> carries its r="…" reference, an upper
    bound otherwise (a cell without one follows the previous cell)."""
    refs = _REF.findall(xml)
    cells = [(c, r) for c, r in refs if c]
    max_row = max(map(int, {r for _, r in refs}), default=0)
    max_col = max(map(_col_number, {c for c, _ in cells}), default=0)
    max_row += max(0, len(_ROW_TAG.findall(xml)) - (len(refs) - len(cells)))
    if len(_C_TAG.findall(xml)) > len(cells):  # cells without a reference, row by row
        max_col += max(
            len(_C_TAG.findall(part)) - sum(1 for c, _ in _REF.findall(part) if c)
            for part in _ROW_TAG.split(xml)
        )
    return max_row, max_col


def _attrs(tag: bytes) -> dict[str, str]:
    return {
        k.decode(): html.unescape((a or b).decode("utf-8", "replace"))
        for k, a, b in _ATTR.findall(tag)
    }


def _sheet_parts(parts: dict[str, bytes], names: set[str]) -> dict[str, str]:
    """Worksheet parts -> sheet name ('' when unnamed): the usual folder plus
    whatever workbook.xml.rels names as a sheet (a crafted file may put its
    sheets anywhere). Parsed with regular expressions: no XML parser has
    looked at these bytes' sizes yet."""
    sheets = {n: "" for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    rels = parts.get("xl/_rels/workbook.xml.rels")
    if rels is None:
        return sheets
    targets: dict[str, str] = {}
    for tag in _REL_TAG.findall(rels):
        attrs = _attrs(tag)
        if not attrs.get("Type", "").lower().endswith("sheet"):
            continue
        target = attrs.get("Target", "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        if path in names:
            sheets.setdefault(path, "")
            targets[attrs.get("Id", "")] = path
    for tag in _SHEET_TAG.findall(parts.get("xl/workbook.xml", b"")):
        attrs = _attrs(tag)
        if attrs.get("id") in targets:
            sheets[targets[attrs["id"]]] = attrs.get("name", "")
    return sheets


def _check_sheets(
    zf: zipfile.ZipFile, parts: dict[str, bytes], sheets: dict[str, str], display: str, rules: Rules
) -> Sniffed | None:
    max_mb = float(rules.limits.max_sheet_mb)
    max_cells = int(rules.limits.max_cells)
    for part, sheet in sorted(sheets.items()):
        info = zf.getinfo(part)
        label = f"工作表「{sheet}」" if sheet else f"工作表 {part}"
        if info.file_size > max_mb * 1048576:
            return _fail(
                display,
                "file-too-large",
                f"{label}解压后约 {info.file_size / 1048576:.0f} MB，"
                f"超过单表上限 {max_mb:.0f} MB，未读取",
                sheet,
            )
        rows, cols = sheet_extent(parts[part] if part in parts else zf.read(info))
        if rows * cols > max_cells:
            return _fail(
                display,
                "file-too-large",
                f"{label}的数据区域达 {rows} 行 × {cols} 列（约 {rows * cols} 个单元格），"
                f"超过上限 {max_cells}，未读取",
                sheet,
            )
    return None


# -- legacy .xls: the same extent bound, from the BIFF cell records ----------
# record type -> offset of the last column in the record (-2: from its end)
_BIFF_CELLS = {0x0006: 2, 0x00FD: 2, 0x0203: 2, 0x027E: 2, 0x0201: 2, 0x0205: 2,
               0x0204: 2, 0x00D6: 2, 0x00BD: -2, 0x00BE: -2}  # fmt: skip


def biff_extent(stream: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell record of any sheet."""
    max_row = max_col = 0
    pos, end = 0, len(stream) - 4
    while pos <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if body + size > len(stream):
            break
        at = _BIFF_CELLS.get(kind)
        if at is not None and size >= 6:
            row = struct.unpack_from("<H", stream, body)[0]
            col = struct.unpack_from("<H", stream, body + at if at > 0 else body + size + at)[0]
            max_row, max_col = max(max_row, row + 1), max(max_col, col + 1)
        pos = body + size
    return max_row, max_col


def _check_biff(data: bytes, display: str, rules: Rules) -> Sniffed | None:
    """An .xls is an OLE container whose sector chains calamine follows to
    their end marker, then a BIFF stream whose sheets it allocates from A1 to
    the farthest cell. A 10 KB file with a looping chain made calamine ask for
    4 GB and more (found by tests/test_robust.py's fuzzing), one value in
    IV65536 costs a gigabyte: both are refused here, with olefile's own parse
    of the container as the gate."""
    broken = "文件已损坏（.xls 的 OLE 容器结构无效），无法读取"
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.minifatsect < len(ole.fat):  # small streams live in a mini stream
                ole.loadminifat()
            if not _chains_end(ole.fat) or not _chains_end(ole.minifat or []):
                return _fail(display, "file-unreadable", broken)
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return _fail(display, "file-unreadable", broken)
            if ole.get_size(name) > len(data):  # a stream cannot be larger than its file
                return _fail(display, "file-unreadable", broken)
            stream = ole.openstream(name).read()
    except Exception:  # noqa: BLE001 - olefile could not parse the container
        return _fail(display, "file-unreadable", broken)
    rows, cols = biff_extent(stream)
    max_cells = int(rules.limits.max_cells)
    if rows * cols > max_cells:
        return _fail(
            display,
            "file-too-large",
            f"工作簿的数据区域达 {rows} 行 × {cols} 列（约 {rows * cols} 个单元格），"
            f"超过上限 {max_cells}，未读取",
        )
    return None


def _chains_end(table: Any) -> bool:
    """True when every sector chain of a (mini) FAT reaches an end: no chain
    loops back on itself. Linear: each sector is walked once."""
    n = len(table)
    state = bytearray(n)  # 0 unseen, 1 on the current walk, 2 known to end
    for start in range(n):
        walk = []
        s = start
        while 0 <= s < n and state[s] == 0:
            state[s] = 1
            walk.append(s)
            s = table[s]
        if 0 <= s < n and state[s] == 1:
            return False
        for w in walk:
            state[w] = 2
    return True


def _is_encrypted(data: bytes) -> bool:
    """An OLE file is either a legacy .xls or an encrypted OOXML package."""
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001 - an unrecognised OLE file is simply not encrypted for us
        return False
