"""Receive one upload: a streaming multipart parse into the run's own folder.

Starlette's form parser spools every file to the system temp folder and knows
no total size; this one writes each part straight into the run folder (so
nothing lands anywhere else, and two uploads never share a folder), counts the
bytes and files as they arrive and stops at the limits of the rules file
(``limits.upload_max_total_mb``, ``limits.upload_max_files``). File names come
from the browser and are untrusted: :func:`safe_relpath` keeps a folder
upload's relative path but never lets a name leave the folder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from python_multipart.multipart import MultipartParser, parse_options_header

# form fields that carry files, and the run sub-folder each goes to
FILE_FIELDS = {"files": "inbox", "folder": "inbox", "rules_file": "rules", "roster": "roster"}
MAX_TEXT_FIELD = 4096
MAX_TEXT_FIELDS = 20
MAX_DEPTH = 12
MAX_NAME_BYTES = 180  # a path component; ext4 and NTFS allow 255
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(10)
}


class UploadError(Exception):
    """The upload is refused (too large, too many files, malformed); the message
    is the one Chinese line shown to the user, ``status`` the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _clean_part(part: str) -> str:
    part = "".join(ch for ch in part if unicodedata.category(ch)[0] != "C")
    part = part.replace(":", "_").strip().rstrip(". ")
    if part in ("", ".", ".."):
        return ""
    if part.split(".")[0].upper() in WINDOWS_RESERVED:
        part = "_" + part
    if len(part.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = part.rpartition(".")
        ext = f".{ext}" if dot and len(ext) <= 8 else ""
        stem = stem if ext else part
        while len((stem + ext).encode("utf-8")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        part = stem + ext
    return part


def safe_relpath(name: str) -> PurePosixPath | None:
    """A browser-sent file name as a safe relative path, or None when nothing
    usable is left. Both slash kinds separate folders; ``..``, ``.``, empty
    parts, drive letters' colons and control characters go; a name deeper
    than MAX_DEPTH keeps its last folders."""
    name = unicodedata.normalize("NFC", name)
    parts = [p for p in (_clean_part(x) for x in re.split(r"[\\/]+", name)) if p]
    if not parts:
        return None
    return PurePosixPath(*parts[-MAX_DEPTH:])


def unique_path(root: Path, rel: PurePosixPath) -> Path:
    """``root/rel``, made unique with （2）, （3） … if that name is taken."""
    dst = root.joinpath(*rel.parts)
    k = 2
    while dst.exists():
        dst = dst.with_name(f"{Path(rel.name).stem}（{k}）{Path(rel.name).suffix}")
        k += 1
    resolved_root = root.resolve()
    if resolved_root not in dst.resolve().parents:  # belt and braces
        raise UploadError("文件名不合法")
    return dst


@dataclass
class Upload:
    """What one request delivered."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[Path]] = field(default_factory=dict)  # sub-folder -> paths
    total_bytes: int = 0
    file_count: int = 0


class UploadReceiver:
    """python-multipart callbacks writing each file part into the run folder."""

    def __init__(self, run_dir: Path, max_bytes: int, max_files: int) -> None:
        self.run_dir = run_dir
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.result = Upload()
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._name = ""
        self._text: bytearray | None = None
        self._fh = None

    # -- python-multipart callbacks --
    def on_part_begin(self) -> None:
        self._disposition = b""
        self._name = ""
        self._text = None
        self._fh = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.result.fields) >= MAX_TEXT_FIELDS:
                raise UploadError("表单字段过多")
            self._text = bytearray()
            return
        folder = FILE_FIELDS.get(self._name)
        rel = safe_relpath(options[b"filename"].decode("utf-8", "replace"))
        if folder is None or rel is None:  # an unknown field, or "no file chosen"
            return
        if folder != "inbox":
            if self.result.files.get(folder):
                raise UploadError("规则文件和名单各只能上传一个")
            rel = PurePosixPath(rel.name)
        self.result.file_count += 1
        if self.result.file_count > self.max_files:
            raise UploadError(f"文件数量超过上限 {self.max_files} 个，请分批上传", 413)
        dst = unique_path(self.run_dir / folder, rel)
        dst.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(dst, "xb")  # noqa: SIM115 - closed in on_part_end / close()
        self.result.files.setdefault(folder, []).append(dst)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        n = end - start
        if self._text is not None:
            if len(self._text) + n > MAX_TEXT_FIELD:
                raise UploadError("表单字段过长")
            self._text.extend(data[start:end])
            return
        if self._fh is None:
            return
        self.result.total_bytes += n
        if self.result.total_bytes > self.max_bytes:
            raise UploadError(f"上传总大小超过上限 {self.max_bytes // 1048576} MB，请分批上传", 413)
        self._fh.write(data[start:end])

    def on_part_end(self) -> None:
        if self._text is not None:
            self.result.fields[self._name] = self._text.decode("utf-8", "replace")
        self.close()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


async def receive(request, run_dir: Path, max_bytes: int, max_files: int) -> Upload:
    """Parse a multipart request into ``run_dir``; raises :class:`UploadError`."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise UploadError("请求格式不正确：应为文件上传表单")
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes + 1048576:
        raise UploadError(f"上传总大小超过上限 {max_bytes // 1048576} MB，请分批上传", 413)
    receiver = UploadReceiver(run_dir, max_bytes, max_files)
    callbacks = {
        name: getattr(receiver, name)
        for name in (
            "on_part_begin", "on_part_data", "on_part_end", "on_header_field",
            "on_header_value", "on_header_end", "on_headers_finished",
        )
    }  # fmt: skip
    parser = MultipartParser(params[b"boundary"], callbacks)
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except UploadError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed body is the sender's problem
        raise UploadError(f"上传内容不完整或格式错误（{type(exc).__name__}）") from None
    finally:
        receiver.close()
    return receiver.result
