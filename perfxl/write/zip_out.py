"""The zip writer of the package editor: raw copies and new members.

An unchanged member is copied as stored: its local header, compressed data
and data descriptor from the source file, and its central directory record
with only the offset changed, so nothing about it differs from the unit's
file. New and edited members are deflated fast (see ``_packer``: level 6 cost
as much as all the editing). The zip is written by hand, as
zipfile has no way to copy a member raw; anything zip64 is left to the
caller's fallback (the sniff bounds every package far below it).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import Any

__all__ = ["ZipOut", "central_records", "raw_spans"]

try:  # ISA-L's deflate where its wheel exists for the platform, else zlib
    from isal import isal_zlib as _ISAL
except ImportError:  # pragma: no cover - isal is a dependency; this is the safety net
    _ISAL = None

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


class ZipOut:
    def __init__(self, out: Any, date_time: tuple[int, int, int, int, int, int]) -> None:
        self.out, self.pos, self.records = out, 0, []
        y, mo, d, h, mi, s = date_time
        self.time, self.date = (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.pos += len(data)

    def raw(self, local: bytes, central: bytes) -> None:
        """A member copied as stored; its directory record gets the new offset."""
        self.records.append(central[:42] + struct.pack("<L", self.pos) + central[46:])
        self._emit(local)

    def new(self, name: str, data: bytes, date_time: tuple | None = None) -> None:
        time, date = self.time, self.date
        if date_time is not None:
            y, mo, d, h, mi, s = date_time
            time, date = (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d
        packer = _packer(len(data))
        body = packer.compress(data) + packer.flush()
        crc, encoded = zlib.crc32(data), name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        fields = (20, flags, 8, time, date, crc, len(body), len(data), len(encoded))
        self.records.append(
            _CENTRAL.pack(b"PK\x01\x02", (3 << 8) | 20, *fields, 0, 0, 0, 0, 0o600 << 16, self.pos)
            + encoded
        )
        self._emit(_LOCAL.pack(b"PK\x03\x04", *fields, 0) + encoded + body)

    def close(self) -> None:
        start = self.pos
        for record in self.records:
            self._emit(record)
        n = len(self.records)
        if n > 0xFFFF or self.pos > 0xFFFFFFFF:
            raise ValueError("zip64 needed")
        self._emit(_END.pack(b"PK\x05\x06", 0, 0, n, n, self.pos - start, start, 0))


def _packer(size: int) -> Any:
    """A raw deflater for one new part. ISA-L (python-isal) at its level 0
    deflates perfxl's parts ≈ 6 times faster than zlib at level 1, for ≈ 25 %
    more bytes on the few parts a copy rewrites (the unit's parts are copied
    as they were): that deflate was the largest single cost of writing a
    copy. Without ISA-L, zlib at level 1 with a window no larger than the
    part and a smaller hash table for small parts (as compact, and faster to
    start than a full-size deflater)."""
    if _ISAL is not None:
        return _ISAL.compressobj(0, _ISAL.DEFLATED, -15)
    bits = max(9, min(15, (max(size, 1) - 1).bit_length()))
    return zlib.compressobj(1, zlib.DEFLATED, -bits, 8 if size > 4096 else 4)


def central_records(data: bytes, start: int, count: int) -> list[bytes] | None:
    """The source's central directory records, in order (None: not plain zip32)."""
    out, pos = [], start
    for _ in range(count):
        head = data[pos : pos + _CENTRAL.size]
        if len(head) < _CENTRAL.size or head[:4] != b"PK\x01\x02":
            return None
        fields = _CENTRAL.unpack(head)
        n, m, k = fields[10], fields[11], fields[12]
        if 0xFFFFFFFF in (fields[8], fields[9], fields[16]):
            return None
        out.append(data[pos : pos + _CENTRAL.size + n + m + k])
        pos += _CENTRAL.size + n + m + k
    return out


def raw_spans(
    infos: list[zipfile.ZipInfo], data: bytes, central: int
) -> dict[str, tuple[int, int] | None]:
    """Where each member's local header, data and descriptor lie in the file,
    read from its local header; None for a member not copied raw (a header
    that disagrees with the directory, overlapping members, zip64 sizes),
    which is inflated and deflated again instead."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    limits = [i.header_offset for i in ordered[1:]] + [central]
    out: dict[str, tuple[int, int] | None] = {}
    for info, limit in zip(ordered, limits, strict=True):
        out[info.filename] = _span(info, data, limit)
    return out


def _span(info: zipfile.ZipInfo, data: bytes, limit: int) -> tuple[int, int] | None:
    start = info.header_offset
    head = data[start : start + _LOCAL.size]
    if len(head) < _LOCAL.size or info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
        return None
    magic, _, flags, _, _, _, _, _, _, name_len, extra_len = _LOCAL.unpack(head)
    if magic != b"PK\x03\x04" or flags != info.flag_bits:
        return None
    end = start + _LOCAL.size + name_len + extra_len + info.compress_size
    if flags & 0x08:  # data descriptor: optional signature, CRC and two sizes
        end += 16 if data[end : end + 4] == b"PK\x07\x08" else 12
    return (start, end) if end <= limit else None
