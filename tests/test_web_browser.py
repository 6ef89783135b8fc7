"""``perfxl serve`` in a real browser: headless Chromium (Debian's package,
driven by Playwright through its executable, no browser download) against a
real uvicorn server on loopback, started as the user starts it.

Skipped, with the reason, only where no Chromium is installed (``.ci/run``
installs it as root) or Playwright is missing. The screenshot of the results
page is kept in the test's tmp folder; set ``PERFXL_SCREENSHOT=docs/serve.png``
to refresh the README's copy.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES

CHROMIUM = os.environ.get("PERFXL_CHROMIUM") or next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
if CHROMIUM is None:
    pytest.skip(
        "没有找到 Chromium（apt-get install chromium），跳过浏览器测试", allow_module_level=True
    )
playwright = pytest.importorskip(
    "playwright.sync_api", reason="Playwright 未安装（pip install playwright）"
)
httpx = pytest.importorskip("httpx")
openpyxl = pytest.importorskip("openpyxl")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    """``perfxl serve --no-browser`` on a free loopback port, history in tmp."""
    port = _free_port()
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "perfxl",
            "serve",
            "--no-browser",
            "--port",
            str(port),
            "--data-dir",
            str(data),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base + "/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out = proc.stdout.read().decode() if proc.stdout else ""
            proc.kill()
            pytest.fail(f"perfxl serve did not start: {out}")
        time.sleep(0.2)
    yield base, data
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def test_upload_samples_results_project_and_download(server, browser, tmp_path):
    base, data = server
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(base + "/")
    samples = sorted(SAMPLES.iterdir())
    page.set_input_files("#files", [str(p) for p in samples])
    assert page.inner_text("#picked") == f"已选择 {len(samples)} 个文件"
    page.click("button[type=submit]")
    page.wait_for_selector("#project-table", timeout=120_000)

    rows = page.locator("#project-table tbody tr")
    assert rows.count() == 10  # 9 workbooks, one of them with two forms
    table = page.inner_text("#project-table")
    assert "认证认可监管专项经费" in table and "喀什地区质量技术监督局" in table
    shot = tmp_path / "serve-results.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("PERFXL_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["PERFXL_SCREENSHOT"])

    # keyboard: the first Tab reaches the skip link; a focused column header sorts on Enter
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    page.focus("#project-table thead th a:has-text('复核总分')")
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=review_total**")
    column = page.locator("#project-table tbody td[data-col=review_total]")
    totals = [float(t) for t in column.all_inner_texts()]
    assert totals == sorted(totals)

    # filter by has-errors through the form
    page.select_option("select[name=errors]", "0")
    page.click("form.filters button[type=submit]")
    assert page.locator("#project-table tbody tr").count() == 10

    # the project page: every indicator with its scores, and the 计算过程 line when the
    # score model gives one
    page.click("#project-table tbody tr:first-child td:nth-child(4) a")
    page.wait_for_selector("#indicator-table")
    headers = page.locator("#indicator-table thead th").all_inner_texts()
    assert headers[:8] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "自评得分",
        "复核得分",
    ]
    assert page.locator("#indicator-table tbody tr").count() > 0
    if "计算过程" in headers:
        lines = page.locator("#indicator-table td.explain").all_inner_texts()
        assert lines and all(line.strip() for line in lines)
    else:
        assert "尚未提供“计算过程”" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "serve-project.png"), full_page=True)

    # download the 汇总表 through the page and open it
    page.go_back()
    page.wait_for_selector("#project-table")
    with page.expect_download() as info:
        page.click("text=汇总表.xlsx")
    saved = tmp_path / "汇总表.xlsx"
    info.value.save_as(saved)
    wb = openpyxl.load_workbook(saved, read_only=True)
    sheet = wb["汇总"]
    names = [r[4] for r in sheet.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert len(names) == 10
    counts = page.inner_text("#counts-row").split()
    assert counts[4] == "10"
    wb.close()
    context.close()


def test_upload_works_with_scripts_disabled_and_folder_picking(server, browser, tmp_path):
    """The plain multipart form: a folder through the directory input, no script;
    the progress page refreshes itself until the results are there."""
    base, data = server
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for name in sorted(p.name for p in SAMPLES.iterdir())[:3]:
        shutil.copyfile(SAMPLES / name, folder / name)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 768}
    )
    page = context.new_page()
    page.goto(base + "/")
    page.set_input_files("#folder", str(folder))
    page.click("button[type=submit]")
    page.wait_for_selector("#project-table", timeout=120_000)
    assert page.locator("#project-table tbody tr").count() == 3
    inboxes = list((data / "runs").glob("*/inbox"))
    assert len(inboxes) == 1
    stored = sorted(p.relative_to(inboxes[0]).as_posix() for p in inboxes[0].rglob("*.xls*"))
    assert stored == [f"收件箱/{p.name}" for p in sorted(folder.iterdir())]
    context.close()


def test_drag_and_drop_upload(server, browser):
    """Files dropped on the page (a DataTransfer built in the page) are uploaded
    by the script with progress, as a drag from the file manager would be."""
    import base64

    base, data = server
    sample = SAMPLES / "2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx"
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(base + "/")
    page.evaluate(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name));
            const drop = document.getElementById("drop");
            drop.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
            drop.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        [sample.name, base64.b64encode(sample.read_bytes()).decode()],
    )
    page.wait_for_function("document.getElementById('picked').textContent === '已选择 1 个文件'")
    page.click("button[type=submit]")
    page.wait_for_selector("#project-table", timeout=120_000)
    assert page.locator("#project-table tbody tr").count() == 1
    inbox = next((data / "runs").glob("*/inbox"))
    assert [p.name for p in inbox.iterdir()] == [sample.name]
    page.close()
