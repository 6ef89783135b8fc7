"""``perfxl serve`` through an HTTP client: every page and download, the same
汇总表 as the CLI, history, the token rule, upload limits, unsafe names,
hostile files and concurrent uploads. The app runs its real worker processes
(the pipeline in ``python -m perfxl.web.job``); nothing is mocked.
"""

from __future__ import annotations

import io
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLES
from openpyxl import load_workbook
from typer.testing import CliRunner

pytest.importorskip("starlette", reason='网页界面的依赖未安装（pip install -e ".[web]"）')
from starlette.testclient import TestClient  # noqa: E402

from perfxl.cli import app as cli_app  # noqa: E402
from perfxl.pipeline import completed_names  # noqa: E402
from perfxl.rules.schema import Rules  # noqa: E402
from perfxl.web.app import create_app  # noqa: E402
from perfxl.web.config import ServeConfig  # noqa: E402

BASE = "http://127.0.0.1"


def sample_files(names=None) -> list[tuple[str, tuple[str, bytes]]]:
    paths = sorted(SAMPLES.iterdir())
    return [("files", (p.name, p.read_bytes())) for p in paths if names is None or p.name in names]


def client_for(data_dir: Path, **config) -> TestClient:
    config.setdefault("jobs", 1)  # a few files: no process pool in the worker
    return TestClient(create_app(ServeConfig(data_dir=data_dir, **config)), base_url=BASE)


def wait_done(client: TestClient, url: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(url + "/status").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    raise AssertionError(f"run {url} did not finish: {status}")


def start(client: TestClient, files, data=None) -> str:
    r = client.post("/runs", files=files, data=data or {}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    """One finished web run over samples/ (with report drafts), shared by the page tests."""
    data_dir = tmp_path_factory.mktemp("serve")
    with client_for(data_dir) as client:
        url = start(client, sample_files(), {"reports": "1"})
        status = wait_done(client, url)
        assert status["state"] == "done", status
        yield client, url, data_dir / "runs" / url.rsplit("/", 1)[1], status


def summary_rows(path: Path) -> list[dict]:
    wb = load_workbook(path, read_only=True)
    rows = list(wb["汇总"].iter_rows(values_only=True))
    wb.close()
    head = list(rows[0])
    return [dict(zip(head, r, strict=False)) for r in rows[1:] if isinstance(r[0], int)]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- pages and downloads --------------------------------------------------------


def test_home_page_has_the_upload_form_and_lists_the_run(done):
    client, url, run_dir, status = done
    html = client.get("/").text
    assert 'enctype="multipart/form-data"' in html and 'name="files"' in html
    assert "webkitdirectory" in html and 'name="rules_name"' in html
    run_id = url.rsplit("/", 1)[1]
    assert f'href="/runs/{run_id}"' in html
    created = client.get(url + "/status").json()
    assert created["counts"]["forms"] == 10
    row = re.search(rf'<tr>\s*<td><a href="/runs/{run_id}">([^<]+)</a>.*?</tr>', html, re.S)
    assert row and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row.group(1))
    cells = re.findall(r'<td class="n">(\d*)</td>', row.group(0))
    assert cells == ["9", "10", "0", str(status["counts"]["warnings"])]


def test_results_show_the_same_numbers_as_the_summary(done):
    client, url, run_dir, status = done
    html = client.get(url).text
    summary = client.get(url + "/download/summary")
    assert summary.status_code == 200
    assert (
        "filename*=utf-8''%E6%B1%87%E6%80%BB%E8%A1%A8.xlsx"
        in summary.headers["content-disposition"]
    )
    path = run_dir / "check.xlsx"
    path.write_bytes(summary.content)
    rows = summary_rows(path)
    assert len(rows) == 10
    grade_col = "复核等级" if "复核等级" in rows[0] else "自评等级"  # today's 汇总 names it so
    for grade in ("优", "良", "中", "差"):
        shown = re.search(rf'<td data-grade="{grade}">(\d+)</td>', html).group(1)
        assert int(shown) == sum(r[grade_col] == grade for r in rows)
    counts = re.search(r'<tr id="counts-row">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", counts)[:7] == [
        "9",
        "9",
        "0",
        "0",
        "10",
        "0",
        str(status["counts"]["warnings"]),
    ]
    assert "<svg" in html and "各等级项目数" in html
    table = html.split('id="project-table"', 1)[1]
    shown_rows = re.findall(
        r'<td class="n">(\d+)</td>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*<td><a[^>]*>([^<]+)</a>',
        table,
    )
    assert shown_rows == [(str(r["序号"]), r["项目名称"]) for r in rows]  # same 序号, same order
    for r in rows:
        assert f"{r['复核总分']:.2f}" in table


def test_project_table_filters_and_sorts(done):
    client, url, run_dir, status = done
    names = lambda html: re.findall(r'/projects/\d+">([^<]+)</a>', html)  # noqa: E731
    all_rows = names(client.get(url).text)
    assert len(all_rows) == 10
    dept = client.get(url, params={"department": "喀什地区质量技术监督局"}).text
    assert names(dept) == ["认证认可监管专项经费", "认证认可监管专项经费"]
    unit = client.get(url, params={"implementer": "歙县文化馆"}).text
    assert names(unit) == ["公共文化服务体系建设专项资金"]
    good = client.get(url, params={"grade": "良"}).text
    assert len(names(good)) == 1
    assert names(client.get(url, params={"errors": "1"}).text) == []
    assert len(names(client.get(url, params={"errors": "0"}).text)) == 10
    desc = client.get(url, params={"sort": "review_total", "order": "desc"}).text
    totals = [
        float(t) for t in re.findall(r'<td class="n">([\d.]+)</td>\s*<td class="grade">', desc)
    ]
    assert len(totals) == 10 and totals == sorted(totals, reverse=True)
    assert 'aria-sort="descending"' in desc


def test_project_page_lists_every_indicator_and_its_problems(done):
    client, url, run_dir, status = done
    summary = run_dir / "out" / "汇总表.xlsx"
    wb = load_workbook(summary, read_only=True)
    detail = list(wb["指标明细"].iter_rows(values_only=True))
    wb.close()
    html = client.get(url, params={"sort": "warnings", "order": "desc"}).text
    first = re.search(r'/projects/(\d+)">([^<]+)</a>', html)
    page = client.get(f"{url}/projects/{first.group(1)}")
    assert page.status_code == 200
    body = page.text
    table = body.split('id="indicator-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>\s*<td>", table)
    number = int(first.group(1)) + 1  # the project's 序号 in the 汇总表
    expected = [r for r in detail[1:] if r[0] == number]
    assert len(rows) == len(expected) > 0
    for header in ("年度指标值", "实际完成值", "分值", "自评得分", "复核得分"):
        assert f">{header}</th>" in table
    problems = body.split('id="problem-table"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<tr class="sev-\w+"><td>([A-Z]+\d+|—)</td>', problems)
    assert cells, "the 2019 deviation sample has located warnings"
    from perfxl.model import cell_sort_key

    located = [c for c in cells if c != "—"]
    assert located == sorted(located, key=cell_sort_key)


def test_units_page_lists_each_unit_with_its_problems(done):
    client, url, run_dir, status = done
    body = client.get(url + "/units").text
    rows = summary_rows(run_dir / "out" / "汇总表.xlsx")
    for unit in {r["实施单位"] for r in rows}:
        assert f"<h2>{unit}</h2>" in body
    assert "喀什地区质量技术监督局" in body and "sev-warning" in body


def test_downloads_completed_copies_and_report_drafts(done):
    client, url, run_dir, status = done
    r = client.get(url + "/download/completed.zip")
    assert r.status_code == 200
    names = sorted(zipfile.ZipFile(io.BytesIO(r.content)).namelist())
    assert names == sorted(completed_names([p.name for p in SAMPLES.iterdir()]).values())
    r = client.get(url + "/download/reports.zip")
    assert r.status_code == 200
    reports = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert len(reports) == 10 and all(n.endswith(".docx") for n in reports)
    returns = client.get(url + "/download/returns.zip")
    made = (run_dir / "out" / "退回").is_dir()
    assert returns.status_code == (200 if made else 404)
    assert client.get(url + "/download/../../meta.json").status_code == 404
    assert client.get(url + "/download/meta.json").status_code == 404
    assert client.get(url + "/returns/..%2Fmeta.json").status_code == 404


def test_web_summary_is_byte_identical_to_the_cli_one(done, tmp_path):
    client, url, run_dir, status = done
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(cli_app, ["run", str(run_dir / "inbox"), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    web = client.get(url + "/download/summary").content
    assert web == (out / "汇总表.xlsx").read_bytes()


def test_submissions_page_without_a_roster_says_so(done):
    client, url, run_dir, status = done
    assert "没有提供报送名单" in client.get(url + "/submissions").text


def test_progress_json_reports_files_read_and_copies_written(done):
    client, url, run_dir, status = done
    assert status["read"] == status["read_total"] == 9
    assert status["written"] == status["written_total"] == 9


def test_unknown_and_malformed_run_ids_are_not_found(done):
    client, url, run_dir, status = done
    for path in ("/runs/AAAAAAAAAAAAAAAAAAAAAA", "/runs/..%2F..%2Fetc", "/runs/x/status",
                 url + "/projects/99", url + "/projects/-1", url + "/projects/abc"):  # fmt: skip
        r = client.get(path)
        assert r.status_code == 404, path
        assert "没有找到" in r.text


def test_delete_removes_the_run_folder(tmp_path):
    with client_for(tmp_path) as client:
        url = start(client, sample_files(["2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx"]))
        assert wait_done(client, url)["state"] == "done"
        run_dir = tmp_path / "runs" / url.rsplit("/", 1)[1]
        assert run_dir.is_dir()
        r = client.post(url + "/delete", follow_redirects=False)
        assert r.status_code == 303
        assert not run_dir.exists()
        assert client.get(url).status_code == 404
        assert url not in client.get("/").text
    assert [p.name for p in tmp_path.iterdir()] == ["runs"]  # nothing written elsewhere


# -- failures, hostile input ----------------------------------------------------


def test_a_failed_run_shows_one_chinese_line(tmp_path):
    with client_for(tmp_path) as client:
        files = sample_files(["2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx"])
        files.append(("rules_file", ("省规则.toml", b"[grades]\nnope = 1\n")))
        url = start(client, files)
        status = wait_done(client, url)
        assert status == {
            "state": "failed",
            "error": "规则文件中有未知的键：grades.nope",
            "state_zh": "失败",
        }
        body = client.get(url).text
        assert "运行失败：规则文件中有未知的键：grades.nope" in body
        assert "Traceback" not in body


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
    assert rules.get("limits.upload_max_files") == 5000
    assert rules.get("limits.upload_max_total_mb") == 500.0


# -- the gate: token, host, origin --------------------------------------------------


def test_token_is_required_for_everything(tmp_path):
    token = "t0ken-for-the-test-123"
    with client_for(tmp_path, token=token, host="0.0.0.0") as client:
        for method, path in (("GET", "/"), ("GET", "/static/app.css"), ("POST", "/runs"),
                             ("GET", "/runs/AAAAAAAAAAAAAAAAAAAAAA/download/summary")):  # fmt: skip
            r = client.request(method, path)
            assert r.status_code == 403 and "需要访问令牌" in r.text, path
            assert "upload" not in r.text
        assert client.get("/?token=wrong").status_code == 403
        r = client.get(f"/?token={token}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"
        assert (
            "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
        )
        assert client.get("/").status_code == 200  # the cookie now
        assert client.get("/static/app.js").status_code == 200
    with client_for(tmp_path, token=token, host="0.0.0.0") as client:
        assert client.get("/", headers={"X-Perfxl-Token": token}).status_code == 200
        assert client.get("/", headers={"X-Perfxl-Token": token[:-1]}).status_code == 403


def test_loopback_server_refuses_other_host_names_and_cross_site_posts(tmp_path):
    with client_for(tmp_path) as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200
        r = client.get("/", headers={"host": "evil.example"})
        assert r.status_code == 400 and "主机名不被允许" in r.text
        r = client.post(
            "/runs", files=sample_files()[:1], headers={"origin": "http://evil.example"}
        )
        assert r.status_code == 403 and "其他网站" in r.text
    assert not (tmp_path / "runs").exists() or list((tmp_path / "runs").iterdir()) == []


def test_serve_on_a_non_loopback_address_prints_a_token_and_requires_it(tmp_path):
    import socket
    import subprocess
    import sys

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "perfxl",
            "serve",
            "--host",
            "127.0.0.2",
            "--port",
            str(port),
            "--no-browser",
            "--data-dir",
            str(tmp_path),
        ],  # fmt: skip
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        line = proc.stdout.readline().decode()
        match = re.search(r"(http://127\.0\.0\.2:\d+/)\?token=([\w-]{20,})", line)
        assert match, line
        base, token = match.groups()
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(base, timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert r.status_code == 403
        assert httpx.get(base, headers={"X-Perfxl-Token": token}).status_code == 200
        with httpx.Client() as c:
            assert c.get(f"{base}?token={token}", follow_redirects=True).status_code == 200
            assert c.get(base).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_serve_refuses_a_short_token_and_a_busy_port(tmp_path):
    import socket

    r = CliRunner().invoke(
        cli_app, ["serve", "--token", "short", "--no-browser", "--data-dir", str(tmp_path)]
    )
    assert r.exit_code == 2 and "访问令牌至少需要 16 个字符" in r.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = CliRunner().invoke(
            cli_app, ["serve", "--port", str(port), "--no-browser", "--data-dir", str(tmp_path)]
        )
    assert r.exit_code == 2 and f"端口 {port} 已被占用" in r.output


def test_interrupted_runs_are_marked_failed_at_start(tmp_path):
    with client_for(tmp_path) as client:
        url = start(client, sample_files()[:1])
        wait_done(client, url)
    run_dir = tmp_path / "runs" / url.rsplit("/", 1)[1]
    (run_dir / "status.json").write_text('{"state": "running"}', encoding="utf-8")
    shutil.rmtree(run_dir / "out")
    with client_for(tmp_path) as client:
        status = client.get(url + "/status").json()
        assert status["state"] == "failed" and "服务器在运行过程中停止" in status["error"]
