"""An .xlsx package opened for editing: only the parts perfxl changes are
parsed and rewritten; every other member is copied raw, byte for byte.

A unit's workbook holds far more than any library models (seal pictures,
sparklines, x14 extensions, VBA, WPS in-cell pictures, printer settings), and
re-serialising it through an object model loses some of it. Editing the
package keeps what perfxl does not touch exactly as it was: its compressed
bytes are copied from the source zip (local header, data and descriptor),
without inflating or recompressing them, and only new or edited parts are
deflated. Parsing uses lxml with entities, DTDs and network access off (the
sniff has already refused any part that declares a DTD).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from typing import Any

from lxml import etree

from perfxl.write.zip_out import ZipOut, central_records, raw_spans

__all__ = ["CT", "NS", "REL", "Package", "PackageError", "parse_xml"]

NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL = {
    "sheet": _R + "worksheet",
    "styles": _R + "styles",
    "strings": _R + "sharedStrings",
    "comments": _R + "comments",
    "vml": _R + "vmlDrawing",
}
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
CT = {
    "sheet": _CT + "worksheet+xml",
    "strings": _CT + "sharedStrings+xml",
    "comments": _CT + "comments+xml",
    "vml": "application/vnd.openxmlformats-officedocument.vmlDrawing",
}
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_blank_text=False,
)


_TYPES_ROOT = re.compile(rb"<Types\b[^>]*?(/?)>")
_RELS_ROOT = re.compile(rb"<Relationships\b[^>]*?(/?)>")
_RELATIONSHIP = re.compile(rb"<Relationship\s[^>]*>")
_DEFAULT = re.compile(rb"<Default\s[^>]*>")
_ATTR = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_EMPTY_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b"</Relationships>"
)


def _attrs(start_tag: bytes) -> dict[str, str]:
    """The attributes of one start tag (entities resolved)."""
    out = {}
    for m in _ATTR.finditer(start_tag):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        out[m.group(1).decode("utf-8")] = html.unescape(value.decode("utf-8"))
    return out


def _quote(text: str) -> bytes:
    return html.escape(text, quote=True).encode("utf-8")


class PackageError(Exception):
    """The package is not one the patcher edits safely (the caller falls back)."""


def parse_xml(data: bytes) -> Any:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"XML: {exc}") from None


def tag(ns: str, name: str) -> str:
    return f"{{{NS[ns]}}}{name}"


class Package:
    """The members of one zip, edited in memory and saved with raw copies.

    ``inflated`` may hold parts already inflated by an earlier reader (the
    sniff keeps them), so they are not inflated twice.
    """

    def __init__(self, data: bytes, inflated: dict[str, bytes] | None = None) -> None:
        self.data = data
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise PackageError(str(exc)) from None
        self.names = {i.filename for i in self.infos}
        self._inflated = dict(inflated or {})
        self._trees: dict[str, Any] = {}
        self.changed: dict[str, bytes | Any] = {}  # name -> bytes or an lxml root
        self.added: list[str] = []
        self.removed: set[str] = set()
        self._rels: dict[str, list[tuple[str, str, str]]] = {}  # by .rels part, until touched

    # ------------------------------------------------------------------ reading

    def read(self, name: str) -> bytes:
        if name in self.changed:
            value = self.changed[name]
            return value if isinstance(value, bytes) else _serialise(value)
        if name not in self._inflated:
            try:
                self._inflated[name] = self.zip.read(name)
            except KeyError:
                raise PackageError(f"missing part {name}") from None
        return self._inflated[name]

    def xml(self, name: str) -> Any:
        """The part's parsed root, parsed once; edit it, then :meth:`touch` it."""
        if name not in self._trees:
            value = self.changed.get(name)
            self._trees[name] = (
                value
                if value is not None and not isinstance(value, bytes)
                else (parse_xml(self.read(name)))
            )
        return self._trees[name]

    def touch(self, name: str) -> None:
        self.changed[name] = self.xml(name)
        self._rels.pop(name, None)

    def put(self, name: str, value: bytes | Any, content_type: str | None = None) -> None:
        """Add or replace a part; a new part gets its content type override."""
        if name not in self.names and name not in self.changed:
            self.added.append(name)
            if content_type:
                self.override(name, content_type)
        self.changed[name] = value
        self._rels.pop(name, None)
        self._trees.pop(name, None)
        if not isinstance(value, bytes):
            self._trees[name] = value

    def remove(self, name: str) -> None:
        """Leave a part out of the saved package."""
        self.removed.add(name)

    def free_name(self, pattern: str) -> str:
        """The first ``pattern % n`` (n = 1, 2, …) that is not a part yet."""
        n = 1
        while pattern % n in self.names or pattern % n in self.changed:
            n += 1
        return pattern % n

    # ------------------------------------------------------------------ content types

    def override(self, name: str, content_type: str) -> None:
        item = b'<Override PartName="/%s" ContentType="%s"/>' % (_quote(name), _quote(content_type))
        if self._append_text("[Content_Types].xml", _TYPES_ROOT, b"</Types>", item):
            return
        root = self.xml("[Content_Types].xml")
        el = etree.SubElement(root, tag("ct", "Override"))
        el.set("PartName", "/" + name)
        el.set("ContentType", content_type)
        self.touch("[Content_Types].xml")

    def ensure_default(self, extension: str, content_type: str) -> None:
        data = self.read("[Content_Types].xml")
        root = _TYPES_ROOT.search(data)
        if root is not None and not root.group(1) and b"<!--" not in data:
            for m in _DEFAULT.finditer(data):
                if _attrs(m.group(0)).get("Extension", "").lower() == extension:
                    return
            item = b'<Default Extension="%s" ContentType="%s"/>' % (
                _quote(extension), _quote(content_type))  # fmt: skip
            # Defaults come before Overrides: right after the root's start tag
            self.put("[Content_Types].xml", data[: root.end()] + item + data[root.end() :])
            return
        root = self.xml("[Content_Types].xml")
        for el in root.iter(tag("ct", "Default")):
            if el.get("Extension", "").lower() == extension:
                return
        el = etree.Element(tag("ct", "Default"))
        el.set("Extension", extension)
        el.set("ContentType", content_type)
        root.insert(0, el)
        self.touch("[Content_Types].xml")

    def _append_text(self, name: str, root_pattern: Any, close: bytes, item: bytes) -> bool:
        """Append ``item`` as the last child of a small part's root, as text,
        when the root is the plain unprefixed one (False: the caller edits the
        parsed part instead). The content types and relationships parts are
        edited for every copy, and parsing and re-serialising them cost more
        than the edit."""
        data = self.read(name)
        root = root_pattern.search(data)
        end = data.rfind(close)
        if root is None or root.group(1) or b"<!--" in data or end < root.end():
            return False
        self.put(name, data[:end] + item + data[end:])
        return True

    # ------------------------------------------------------------------ relationships

    def rels_name(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def rels(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, resolved target part) of each internal relationship."""
        name = self.rels_name(part)
        if name not in self.names and name not in self.changed:
            return []
        known = self._rels.get(name)
        if known is None:
            known = []
            for rid, rel_type, target, mode in self._relationships(name):
                if mode != "External":
                    known.append((rid, rel_type, resolve(part, target)))
            self._rels[name] = known
        return list(known)

    def _relationships(self, name: str) -> list[tuple[str, str, str, str]]:
        """(Id, Type, Target, TargetMode) of every relationship of a .rels part:
        read from the text where its root is the plain one, else parsed."""
        data = self.read(name)
        root = _RELS_ROOT.search(data)
        if root is not None and b"<!--" not in data:
            found = [_attrs(m.group(0)) for m in _RELATIONSHIP.finditer(data)]
            if len(found) == data.count(b"<Relationship ") + data.count(b"<Relationship\n"):
                return [(a.get("Id", ""), a.get("Type", ""), a.get("Target", ""),
                         a.get("TargetMode", "")) for a in found]  # fmt: skip
        return [
            (el.get("Id", ""), el.get("Type", ""), el.get("Target", ""), el.get("TargetMode", ""))
            for el in self.xml(name).iter(tag("rel", "Relationship"))
        ]

    def add_rel(self, part: str, rel_type: str, target: str) -> str:
        """Relate ``part`` to the part ``target``; returns the new unique id."""
        name = self.rels_name(part)
        if name not in self.names and name not in self.changed:
            self.put(name, _EMPTY_RELS)
            self.ensure_default("rels", "application/vnd.openxmlformats-package.relationships+xml")
        taken = {rid for rid, *_ in self._relationships(name)}
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        relative = posixpath.relpath(target, posixpath.dirname(part) or ".")
        item = b'<Relationship Id="rId%d" Type="%s" Target="%s"/>' % (
            n, _quote(rel_type), _quote(relative))  # fmt: skip
        if self._append_text(name, _RELS_ROOT, b"</Relationships>", item):
            return f"rId{n}"
        root = self.xml(name)
        el = etree.SubElement(root, tag("rel", "Relationship"))
        el.set("Id", f"rId{n}")
        el.set("Type", rel_type)
        el.set("Target", relative)
        self.touch(name)
        return f"rId{n}"

    # ------------------------------------------------------------------ saving

    def save(
        self, out: Any, date_time: tuple[int, int, int, int, int, int], raw: bool = True
    ) -> None:
        """Write the package to the binary file ``out``: members in their
        original order (raw copies unless changed), then the new parts.
        Without ``raw`` every member is deflated again with ``date_time`` (a
        package perfxl made itself, e.g. by conversion, whose member times
        are the conversion's clock)."""
        central = central_records(self.data, self.zip.start_dir, len(self.infos)) if raw else None
        spans = raw_spans(self.infos, self.data, self.zip.start_dir) if central else {}
        zout = ZipOut(out, date_time)
        for i, info in enumerate(self.infos):
            name = info.filename
            if name in self.removed:
                continue
            if name in self.changed:
                zout.new(name, self._bytes(name))
            elif central and spans.get(name) is not None:
                start, end = spans[name]
                zout.raw(self.data[start:end], central[i])
            else:  # inflated (CRC checked) and deflated again
                zout.new(name, self.zip.read(info), date_time if not raw else info.date_time)
        for name in self.added:
            if name not in self.names:
                zout.new(name, self._bytes(name))
        zout.close()

    def _bytes(self, name: str) -> bytes:
        value = self.changed[name]
        return value if isinstance(value, bytes) else _serialise(value)


def resolve(source: str, target: str) -> str:
    """A relationship target as a part name (``/xl/x.xml`` or ``../x.xml``)."""
    target = target.split("#")[0]
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def _serialise(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
