"""``perfxl serve`` uploads: bounded by the rules file's limits, names that
never leave the run folder, hostile files handled by the pipeline, two
uploads at once never mixed."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from pathlib import Path

from conftest import SAMPLES
from openpyxl import load_workbook
from web_client import client_for, sample_files, start, wait_done

from perfxl.rules.schema import Rules


def test_hostile_files_become_located_problems(tmp_path):
    from test_robust import BAD

    picked = [
        "坏-截断.xlsx",
        "坏-加密.xlsx",
        "坏-压缩炸弹.xlsx",
        "坏-实体炸弹-共享字符串.xlsx",
        "坏-不是工作簿.xlsx",
    ]
    files = [("files", (name, BAD[name][0]())) for name in picked]
    files += sample_files(["2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx"])
    with client_for(tmp_path) as client:
        url = start(client, files)
        assert wait_done(client, url)["state"] == "done"
        body = client.get(url).text
        for name in picked:
            assert f"{name}：无法读取" in body
        run_dir = tmp_path / "runs" / url.rsplit("/", 1)[1]
        wb = load_workbook(run_dir / "out" / "汇总表.xlsx", read_only=True)
        codes = {(r[0], r[4]) for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)}
        wb.close()
        for name in picked:
            assert (name, BAD[name][2]) in codes


def test_unsafe_names_stay_inside_the_run_folder(tmp_path):
    form = (SAMPLES / "2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx").read_bytes()
    names = ["../../逃逸.xlsx", "/etc/绝对.xlsx", "C:\\Users\\x\\盘符.xlsx", "a/../../b/上跳.xlsx",
             "..\\..\\反斜杠.xlsx", "正常/子文件夹/表.xlsx", "CON.xlsx", "控制\x01字符.xlsx"]  # fmt: skip
    with client_for(tmp_path / "data") as client:
        url = start(client, [("folder", (n, form)) for n in names])
        assert wait_done(client, url)["state"] == "done"
    inbox = tmp_path / "data" / "runs" / url.rsplit("/", 1)[1] / "inbox"
    stored = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file())
    # a drive-letter path arrives as its last part (python-multipart drops the rest, as
    # old IE sent such paths); the client sends the control character as %01
    assert stored == sorted(["逃逸.xlsx", "etc/绝对.xlsx", "盘符.xlsx", "a/b/上跳.xlsx",
                             "反斜杠.xlsx", "正常/子文件夹/表.xlsx", "_CON.xlsx", "控制%01字符.xlsx"])  # fmt: skip
    outside = [
        p for p in tmp_path.rglob("*.xlsx") if inbox not in p.parents and "out" not in p.parts
    ]
    assert outside == []


def test_same_name_twice_is_kept_twice(tmp_path):
    form = (SAMPLES / "2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx").read_bytes()
    with client_for(tmp_path) as client:
        url = start(client, [("files", ("表.xlsx", form)), ("files", ("表.xlsx", form))])
        assert wait_done(client, url)["state"] == "done"
    inbox = tmp_path / "runs" / url.rsplit("/", 1)[1] / "inbox"
    assert sorted(p.name for p in inbox.iterdir()) == ["表.xlsx", "表（2）.xlsx"]


def test_safe_relpath_cases():
    from perfxl.web.uploads import safe_relpath

    assert safe_relpath("../..") is None and safe_relpath("") is None and safe_relpath("/") is None
    assert str(safe_relpath("x/./y/../z.xlsx")) == "x/y/z.xlsx"
    assert str(safe_relpath("\\\\server\\share\\a.xlsx")) == "server/share/a.xlsx"
    assert str(safe_relpath("C:\\Users\\x\\盘符.xlsx")) == "C_/Users/x/盘符.xlsx"
    assert str(safe_relpath("控制\x01字符\n.xlsx")) == "控制字符.xlsx"
    assert str(safe_relpath("尾点. . ")) == "尾点"
    long = safe_relpath("表" * 200 + ".xlsx")
    assert long.suffix == ".xlsx" and len(long.name.encode()) <= 180
    deep = safe_relpath("/".join(f"d{i}" for i in range(30)) + "/f.xlsx")
    assert len(deep.parts) == 12 and deep.name == "f.xlsx"


def test_concurrent_uploads_never_mix(tmp_path):
    groups = [
        sorted(p.name for p in SAMPLES.iterdir())[:2],
        sorted(p.name for p in SAMPLES.iterdir())[2:4],
    ]
    urls: dict[int, str] = {}
    with client_for(tmp_path) as client:
        barrier = threading.Barrier(2)

        def upload(k: int) -> None:
            barrier.wait()
            urls[k] = start(client, sample_files(groups[k]))

        threads = [threading.Thread(target=upload, args=(k,)) for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for k in range(2):
            assert wait_done(client, urls[k])["state"] == "done"
    for k in range(2):
        inbox = tmp_path / "runs" / urls[k].rsplit("/", 1)[1] / "inbox"
        assert sorted(p.name for p in inbox.iterdir()) == groups[k]
        completed = tmp_path / "runs" / urls[k].rsplit("/", 1)[1] / "out" / "completed"
        assert sorted(p.stem for p in completed.iterdir()) == sorted(
            Path(g).stem for g in groups[k]
        )


# -- limits ----------------------------------------------------------------------


def limited_rules(tmp_path: Path, files: int = 5000, mb: float = 500.0) -> Rules:
    path = tmp_path / "限额.toml"
    path.write_text(
        f"[limits]\nupload_max_files = {files}\nupload_max_total_mb = {mb}\n", encoding="utf-8"
    )
    return Rules.load(path)


def test_upload_file_count_limit(tmp_path):
    with client_for(tmp_path / "data", rules=limited_rules(tmp_path, files=2)) as client:
        assert "一次最多上传 2 个文件" in client.get("/").text
        r = client.post("/runs", files=sample_files()[:3])
        assert r.status_code == 413
        assert "文件数量超过上限 2 个" in r.text
        r = client.post("/runs", files=sample_files()[:3], headers={"X-Requested-With": "perfxl"})
        assert r.json() == {"error": "文件数量超过上限 2 个，请分批上传"}
        assert start(client, sample_files()[:2])
    runs = list((tmp_path / "data" / "runs").iterdir())
    assert len(runs) == 1  # the refused uploads left nothing behind


def test_upload_size_limit_while_streaming_and_by_content_length(tmp_path):
    with client_for(tmp_path / "data", rules=limited_rules(tmp_path, mb=0.05)) as client:
        big = ("files", ("大.xlsx", b"\0" * 80_000))
        r = client.post("/runs", files=[big])
        assert r.status_code == 413 and "上传总大小超过上限" in r.text

        def chunks():  # no Content-Length: the streaming count stops it
            yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.xlsx"\r\n\r\n'
            for _ in range(100):
                yield b"\0" * 1000
            yield b"\r\n--b--\r\n"

        r = client.post(
            "/runs", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
        )
        assert r.status_code == 413
        r = client.post(
            "/runs",
            content=b"x",
            headers={
                "content-type": "multipart/form-data; boundary=b",
                "content-length": str(10**9),
            },
        )
        assert r.status_code == 413
    assert list((tmp_path / "data" / "runs").iterdir()) == []


def test_empty_or_malformed_upload_is_refused(tmp_path):
    with client_for(tmp_path) as client:
        r = client.post("/runs", data={"reports": "1"}, files=[("files", ("", b""))])
        assert r.status_code == 400 and "没有选择任何文件" in r.text
        r = client.post(
            "/runs", content=b"a=b", headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert r.status_code == 400 and "应为文件上传表单" in r.text


def test_upload_limit_keys_are_in_the_default_rules():
    rules = Rules.load()
    assert rules.limits.upload_max_files == 5000
    assert rules.limits.upload_max_total_mb == 500.0


def test_a_hostile_zip_is_a_located_problem_and_writes_nothing_outside(tmp_path):
    """A .zip with `../` and absolute entries and a bomb entry: the pipeline reads
    archives in place, so nothing is extracted anywhere; the rest of the upload runs."""
    form = (SAMPLES / "2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("../../逃逸.xlsx", form)
        z.writestr("/abs/绝对.xlsx", form)
        z.writestr("炸弹.xlsx", b"\0" * (300 * 1024 * 1024))
    files = [("files", ("恶意.zip", buf.getvalue()))]
    files += sample_files(["2019-喀什地区质量技术监督局-认证认可监管专项经费-偏差.xlsx"])
    with client_for(tmp_path / "data") as client:
        url = start(client, files)
        assert wait_done(client, url)["state"] == "done"
        body = client.get(url).text
    assert "恶意.zip" in body  # listed with its problem, not silently dropped
    assert len(re.findall(r'/projects/\d+">', body)) >= 1
    stray = [p for p in tmp_path.rglob("*.xlsx") if "逃逸" in p.name or "绝对" in p.name]
    assert all("out" in p.parts for p in stray), stray  # only as named outputs, never extracted
