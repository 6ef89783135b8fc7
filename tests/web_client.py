"""What the web tests share: an app on a tmp data folder behind a real
Starlette TestClient, and helpers to upload and wait for a run."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import SAMPLES

pytest.importorskip("starlette", reason='网页界面的依赖未安装（pip install -e ".[web]"）')
from starlette.testclient import TestClient  # noqa: E402

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


def run_dir(data_dir: Path, url: str) -> Path:
    return data_dir / "runs" / url.rsplit("/", 1)[1]
