"""Archives and odd files in the inbox: .zip/.7z opened in place (GBK and
UTF-8 names, one nesting level), the safety limits, .rar, WPS .et, --year."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import py7zr
import pytest
from loopkit import form

from perfxl.batch.run import discover
from perfxl.loop.steps import LoopOptions
from perfxl.pipeline import check_paths, run_inbox


class GbkInfo(zipfile.ZipInfo):
    """A member named the way Windows' Explorer writes it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's hook name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def encrypted_flag(data: bytes) -> bytes:
    """Set the 'encrypted' bit an encrypting zip tool sets (zipfile cannot
    write one): in the local header (offset 6) and the directory entry (8)."""
    out = bytearray(data)
    for magic, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = out.find(magic)
        out[i + at] |= 0x1
    return bytes(out)


def form_bytes(tmp: Path, project: str, unit: str, **kw) -> bytes:
    return form(tmp / f"{project}.xlsx", project, unit, **kw).read_bytes()


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def problems_of(result, file: str) -> list[tuple[str, str]]:
    p = result.problems
    mine = p[p["file"] == file]
    return list(zip(mine["code"], mine["message"], strict=True))


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("archives")
    root = tmp / "收件箱"
    root.mkdir()
    a = form_bytes(tmp, "甲项目", "甲单位")
    b = form_bytes(tmp, "乙项目", "乙单位")
    c = form_bytes(tmp, "丙项目", "丙单位")
    with zipfile.ZipFile(root / "报送.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(GbkInfo("甲单位/甲项目自评表.xlsx"), a)
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as iz:
            iz.writestr("乙单位/乙项目.xlsx", b)  # UTF-8 flagged
            deeper = io.BytesIO()
            with zipfile.ZipFile(deeper, "w") as dz:
                dz.writestr("太深.xlsx", c)
            iz.writestr("更深.zip", deeper.getvalue())
        z.writestr("下级单位.zip", inner.getvalue())
        z.writestr("说明.txt", "请查收")
    with zipfile.ZipFile(root / "越界.zip", "w") as z:
        z.writestr("../../逃逸.xlsx", a)
    with zipfile.ZipFile(root / "绝对.zip", "w") as z:
        z.writestr("/etc/表.xlsx", a)
    with zipfile.ZipFile(root / "炸弹.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.xlsx", b"\0" * (5 << 20))  # 5 MB of zeros in ≈ 5 KB
    with zipfile.ZipFile(root / "文件太多.zip", "w") as z:
        for i in range(1001):
            z.writestr(f"{i}.txt", "")
    locked = io.BytesIO()
    with zipfile.ZipFile(locked, "w") as z:
        z.writestr("加密.xlsx", b"ciphertext")
    (root / "加密.zip").write_bytes(encrypted_flag(locked.getvalue()))
    with py7zr.SevenZipFile(root / "丙单位.7z", "w") as z:
        z.writef(io.BytesIO(c), "丙单位/丙项目.xlsx")
    with py7zr.SevenZipFile(root / "加密.7z", "w", password="secret") as z:
        z.writef(io.BytesIO(c), "丙.xlsx")
    (root / "旧版.rar").write_bytes(b"Rar!\x1a\x07\x00" + bytes(64))
    (root / "丁单位.et").write_bytes(form_bytes(tmp, "丁项目", "丁单位", year=2022))
    (root / "戊单位.et").write_bytes(b"\x00WPS private format" * 10)
    return root


@pytest.fixture(scope="module")
def ran(inbox: Path, tmp_path_factory: pytest.TempPathFactory):
    before = tree(inbox)
    out = tmp_path_factory.mktemp("o") / "输出"
    result = run_inbox(inbox, out, jobs=2, loop=LoopOptions(year=2023))
    return before, out, result


def test_members_are_named_archive_slash_inner_path(ran) -> None:
    _, out, result = ran
    files = set(result.batch.projects["file"])
    assert files == {
        "报送.zip/甲单位/甲项目自评表.xlsx",  # GBK name decoded
        "报送.zip/下级单位.zip/乙单位/乙项目.xlsx",  # one nested level
        "丙单位.7z/丙单位/丙项目.xlsx",
        "丁单位.et",
    }
    for f in files:
        assert (out / "completed" / Path(f).with_suffix(".xlsx")).is_file(), f


def test_too_deep_nesting_and_other_files_are_listed(ran) -> None:
    batch = ran[2].batch
    deep = problems_of(batch, "报送.zip/下级单位.zip/更深.zip")
    assert [c for c, _ in deep] == ["archive-unsupported"]
    assert [c for c, _ in problems_of(batch, "报送.zip/说明.txt")] == ["skipped-file"]


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("越界.zip", "archive-unsafe", "../逃逸.xlsx"),
        ("绝对.zip", "archive-unsafe", "/etc/表.xlsx"),
        ("炸弹.zip", "file-too-large", "压缩比异常"),
        ("文件太多.zip", "file-too-large", "1001 个文件"),
        ("加密.zip", "file-encrypted", "密码"),
        ("加密.7z", "file-encrypted", "密码"),
        ("戊单位.et", "file-unreadable", "请在 WPS 中另存为 .xlsx 后报送"),
    ],
)
def test_refused_archives_and_files_say_why(ran, name: str, code: str, words: str) -> None:
    found = problems_of(ran[2].batch, name)
    assert [c for c, _ in found] == [code]
    assert words in found[0][1]


def test_rar_is_listed_with_a_clear_message(ran) -> None:
    import rarfile

    try:
        rarfile.tool_setup()
        pytest.skip("an unrar/unar/bsdtar tool is installed: the .rar is read with it")
    except rarfile.RarCannotExec:
        pass
    [(code, message)] = problems_of(ran[2].batch, "旧版.rar")
    assert code == "archive-unsupported"
    assert (
        message
        == "这是 .rar 压缩包，本机没有可用的解压程序；请解压后直接报送 Excel 文件，或改用 .zip 压缩"
    )


def test_nothing_is_extracted_anywhere(ran, inbox: Path) -> None:
    before, out, _ = ran
    assert tree(inbox) == before
    root = inbox.parent
    assert not list(root.rglob("逃逸.xlsx")) and not list(out.parent.parent.rglob("逃逸.xlsx"))
    assert not list(out.rglob("bomb.xlsx"))


def test_wrong_year_is_a_warning_on_the_year_cell(ran) -> None:
    batch = ran[2].batch
    p = batch.problems
    wrong = p[p["code"] == "wrong-year"]
    assert list(wrong["file"]) == ["丁单位.et"]
    assert list(wrong["severity"]) == ["warning"]
    assert wrong["cell"].iloc[0] != "" and "2022" in wrong["message"].iloc[0]


def test_discover_and_check_see_the_same_members(inbox: Path) -> None:
    names = [item[1] for item in discover(inbox)]
    assert "报送.zip/甲单位/甲项目自评表.xlsx" in names
    assert "越界.zip" in names  # a refused archive is one item
    checked = check_paths([inbox / "报送.zip"], jobs=1)
    assert sorted(checked.projects["file"]) == [
        "报送.zip/下级单位.zip/乙单位/乙项目.xlsx",
        "报送.zip/甲单位/甲项目自评表.xlsx",
    ]
