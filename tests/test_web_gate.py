"""``perfxl serve``'s gate: the access token beyond loopback (also through the
real command), loopback host names, cross-site posts."""

from __future__ import annotations

import re
import time

from typer.testing import CliRunner
from web_client import client_for, sample_files

from perfxl.cli import app as cli_app


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
        latin = "t0ken-for-the-test-12\u00e9".encode("latin-1")
        assert client.get("/", headers={"X-Perfxl-Token": latin}).status_code == 403


def test_loopback_server_refuses_other_host_names_and_cross_site_posts(tmp_path):
    with client_for(tmp_path) as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200
        r = client.get("/", headers={"host": "evil.example"})
        assert r.status_code == 400 and "主机名不被允许" in r.text
        for origin in ("http://evil.example", "null", "http://127.0.0.1.evil.example"):
            r = client.post("/runs", files=sample_files()[:1], headers={"origin": origin})
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


def test_every_response_carries_the_hardening_headers(tmp_path):
    with client_for(tmp_path) as client:
        for path in ("/", "/static/app.js", "/runs/AAAAAAAAAAAAAAAAAAAAAA"):
            r = client.get(path)
            assert "script-src 'self'" in r.headers["content-security-policy"], path
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "same-origin"
        refused = client.get("/", headers={"host": "evil.example"})
        assert refused.headers["x-frame-options"] == "DENY"
