"""``perfxl serve`` pages and downloads through an HTTP client: every page, the
same numbers and the same 汇总表 as the CLI, history, a failed run, the
loop's pages. The app runs its real worker processes (the pipeline in
``python -m perfxl.web.job``); nothing is mocked.
"""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import SAMPLES
from openpyxl import load_workbook
from typer.testing import CliRunner
from web_client import client_for, sample_files, start, wait_done

from perfxl.cli import app as cli_app
from perfxl.pipeline import completed_names


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
        r'<td class="n">(\d+)</td>\s*<td data-col="department">[^<]*</td>\s*<td data-col="implementer">[^<]*</td>\s*<td data-col="project_name"><a[^>]*>([^<]+)</a>',
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
        float(t) for t in re.findall(r'<td class="n" data-col="review_total">([\d.]+)</td>', desc)
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
    flagged = {r["实施单位"] for r in rows if r["错误数"] or r["警告数"]}
    for unit in {r["实施单位"] for r in rows}:
        section = body.split(f"<h2>{unit}</h2>", 1)[1].split("</section>", 1)[0]
        if unit in flagged:  # the pipeline's return list, and its files to download
            assert f'<pre class="return-list">退回修改通知：{unit}' in section
            assert f"/returns/{quote(unit)}.xlsx" in section
        else:
            assert "没有需要退回修改的问题" in section
    assert flagged


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
    # the web run is `perfxl run INBOX -o OUT --returns` (return lists always)
    args = ["run", str(run_dir / "inbox"), "-o", str(out), "--returns"]
    result = CliRunner().invoke(cli_app, args)
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


def test_a_failed_run_shows_one_chinese_line(tmp_path):
    with client_for(tmp_path) as client:
        files = sample_files(["2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx"])
        files.append(("rules_file", ("省规则.toml", b"[grades]\nnope = 1\n")))
        url = start(client, files)
        status = wait_done(client, url)
        assert status["state"] == "failed"
        assert status["error"].startswith("规则文件中有未知的键：grades.nope")
        assert "\n" not in status["error"]
        body = client.get(url).text
        assert f"运行失败：{status['error']}" in body
        assert "Traceback" not in body


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


def test_deleting_a_running_run_stops_its_worker(tmp_path):
    with client_for(tmp_path) as client:
        url = start(client, sample_files())
        run_dir = tmp_path / "runs" / url.rsplit("/", 1)[1]
        web = client.app.app.state.web
        deadline = time.monotonic() + 30
        while url.rsplit("/", 1)[1] not in web.runner.running:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc = web.runner.running[url.rsplit("/", 1)[1]]
        assert client.post(url + "/delete", follow_redirects=False).status_code == 303
        assert proc.poll() is not None  # stopped, not left writing
        time.sleep(1.0)
        assert not run_dir.exists()
        assert client.get(url + "/status").status_code == 404


def test_project_page_shows_the_calculation_lines(done):
    client, url, run_dir, status = done
    body = client.get(url + "/projects/0").text
    table = body.split('id="indicator-table"', 1)[1].split("</table>", 1)[0]
    assert ">计算过程</th>" in table
    lines = re.findall(r'<td class="explain">([^<]*)</td>', table)
    assert lines and all("→" in line for line in lines)
    assert re.search(r'id="budget-explanation">执行率 [\d.]+% → ', body)


def test_a_named_rule_set_gives_the_cli_summary_for_that_set(tmp_path):
    from perfxl.web.rulesets import rule_sets

    names = [n for n, _ in rule_sets() if n]
    if not names:
        pytest.skip("this version ships no named rule sets")
    name = "四川" if "四川" in names else names[0]
    with client_for(tmp_path / "data") as client:
        assert f'<option value="{name}">' in client.get("/").text
        url = start(client, sample_files()[:3], {"rules_name": name})
        assert wait_done(client, url)["state"] == "done"
        assert name in client.get(url).text.split("</h1>", 1)[0]
        web = client.get(url + "/download/summary").content
    inbox = tmp_path / "data" / "runs" / url.rsplit("/", 1)[1] / "inbox"
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        cli_app, ["run", str(inbox), "-o", str(out), "--rules", name, "--returns"]
    )
    assert result.exit_code in (0, 1), result.output
    assert web == (out / "汇总表.xlsx").read_bytes()


def _loop_supported() -> bool:
    from perfxl.web.job import loop_supported

    return loop_supported()


@pytest.mark.skipif(not _loop_supported(), reason="this pipeline has no return lists or roster yet")
def test_roster_returns_and_previous_run(tmp_path):
    from openpyxl import Workbook

    roster = tmp_path / "名单.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["主管部门", "实施单位", "项目名称"])
    ws.append(["石家庄市农业农村局", "石家庄市农业技术推广站", "农业技术推广补助资金"])
    ws.append(["某市财政局", "某某单位", "名单上有但没交的项目"])
    wb.save(roster)
    names = ["2018-石家庄市农业农村局-农业技术推广补助资金-单列预算.xlsx",
             "2019-喀什地区质量技术监督局-认证认可监管专项经费-偏差.xlsx"]  # fmt: skip
    with client_for(tmp_path / "data") as client:
        home = client.get("/").text
        assert 'name="roster"' in home and 'name="previous"' in home
        files = sample_files(names) + [("roster", ("名单.xlsx", roster.read_bytes()))]
        first = start(client, files)
        assert wait_done(client, first)["state"] == "done"
        page = client.get(first + "/submissions").text
        assert "<h1>报送情况</h1>" in page
        assert "名单上有但没交的项目" in page and "未报送" in page

        units = client.get(first + "/units").text
        assert '<pre class="return-list">退回修改通知：' in units  # the pipeline's own text
        links = re.findall(r'href="(/runs/[^"]+/returns/[^"]+\.xlsx)"', units)
        assert links, "the units with warnings get return lists"
        r = client.get(links[0])
        assert r.status_code == 200
        (tmp_path / "退回.xlsx").write_bytes(r.content)
        load_workbook(tmp_path / "退回.xlsx").close()
        pack = client.get(first + "/download/returns.zip")
        assert pack.status_code == 200
        assert any(
            n.endswith(".xlsx") for n in zipfile.ZipFile(io.BytesIO(pack.content)).namelist()
        )

        run_id = first.rsplit("/", 1)[1]
        assert f'<option value="{run_id}">' in client.get("/").text
        second = start(client, sample_files(names), {"previous": run_id})
        assert wait_done(client, second)["state"] == "done"
        assert "<h1>整改情况</h1>" in client.get(second + "/submissions").text


def _archives_supported() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("perfxl.inbox.archive") is not None
    except ModuleNotFoundError:
        return False


@pytest.mark.skipif(not _archives_supported(), reason="this pipeline does not open archives yet")
def test_a_zip_upload_is_read_by_the_pipeline(tmp_path):
    names = sorted(p.name for p in SAMPLES.iterdir() if p.suffix == ".xlsx")[:2]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.write(SAMPLES / name, f"各单位/{name}")
    with client_for(tmp_path) as client:
        url = start(client, [("files", ("报送.zip", buf.getvalue()))])
        assert wait_done(client, url)["state"] == "done"
        body = client.get(url).text
    assert len(re.findall(r'/projects/\d+">', body)) == 2
    assert "报送.zip/各单位/" in body


def test_a_worker_that_dies_is_a_failed_run_with_one_line(tmp_path):
    import os
    import signal

    with client_for(tmp_path) as client:
        url = start(client, sample_files())
        run_id = url.rsplit("/", 1)[1]
        runner = client.app.app.state.web.runner
        deadline = time.monotonic() + 30
        while run_id not in runner.running:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(runner.running[run_id].pid, signal.SIGKILL)
        status = wait_done(client, url)
        assert status["state"] == "failed"
        assert status["error"] == "处理进程意外退出（代码 -9），请重试"
        assert "运行失败：处理进程意外退出" in client.get(url).text


def test_project_table_pages_keep_the_filter_and_sort(tmp_path):
    with client_for(tmp_path, page_rows=3) as client:
        url = start(client, sample_files())
        assert wait_done(client, url)["state"] == "done"
        names = lambda html: re.findall(r'/projects/(\d+)">', html)  # noqa: E731
        query = {"sort": "review_total", "order": "desc"}
        pages = [client.get(url, params={**query, "page": str(k)}).text for k in (1, 2, 3, 4)]
        assert [len(names(p)) for p in pages] == [3, 3, 3, 1]
        assert (
            "第 1 / 4 页" in pages[0] and "sort=review_total&amp;order=desc&amp;page=2" in pages[0]
        )
        seen = [n for p in pages for n in names(p)]
        assert sorted(seen, key=int) == [str(i) for i in range(10)]
        totals = [
            float(t) for p in pages for t in re.findall(r'data-col="review_total">([\d.]+)<', p)
        ]
        assert totals == sorted(totals, reverse=True)
        assert names(client.get(url, params={"page": "99"}).text) == names(
            client.get(url, params={"page": "4"}).text
        )
        assert len(names(client.get(url, params={"page": "x"}).text)) == 3


def test_the_servers_own_rules_are_the_default_choice(tmp_path):
    """`perfxl serve --rules FILE`: a run that picks no rule set uses that file."""
    from perfxl.rules.schema import Rules

    path = tmp_path / "本市规则.toml"
    path.write_text(
        '[grades]\nthresholds = [[98.0, "优"], [80.0, "良"], [60.0, "中"]]\n', encoding="utf-8"
    )
    with client_for(tmp_path / "data", rules=Rules.load(path)) as client:
        assert "本服务器的规则：" in client.get("/").text
        url = start(client, sample_files(["2020-合肥市交通运输局-农村公路养护专项资金-AB列.xlsx"]))
        assert wait_done(client, url)["state"] == "done"
        assert "本市规则.toml" in client.get(url).text.split("</h1>", 1)[0]
        assert re.search(
            r'<td data-grade="良">1</td>', client.get(url).text
        )  # 97.20: 优 under the defaults
