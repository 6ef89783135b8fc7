"""``perfxl serve``: the whole job in a local web page (perfxl.web).

Binds to 127.0.0.1 by default. Any other address (``--host 0.0.0.0`` for the
bureau's LAN) requires an access token: given with ``--token`` or generated
and printed with the address; without it the server serves nothing.
"""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path

import typer

from perfxl.cli.common import JobsOpt, RulesOpt, fail, load_rules, system_errors

WEB_EXTRA = '网页界面需要额外的依赖，请先运行：pip install -e ".[web]"'


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址；非本机地址必须使用访问令牌。"),
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="端口。"),
    no_browser: bool = typer.Option(False, "--no-browser", help="不自动打开浏览器。"),
    token: str | None = typer.Option(
        None, "--token", help="访问令牌（监听非本机地址时必需；不指定则自动生成并显示）。"
    ),
    data_dir: Path | None = typer.Option(
        None,
        "--data-dir",
        help="运行记录保存位置（默认：用户数据目录，或环境变量 PERFXL_DATA_DIR）。",
    ),
    rules: Path | None = RulesOpt,
    jobs: int | None = JobsOpt,
) -> None:
    """在浏览器中使用 perfxl：上传自评表、查看复核结果、下载汇总表。"""
    with system_errors():
        try:
            import uvicorn

            from perfxl.web.app import create_app
            from perfxl.web.config import LOOPBACK_HOSTS, ServeConfig, default_data_dir
            from perfxl.web.security import new_token
        except ImportError:
            raise fail(WEB_EXTRA) from None
        r = load_rules(rules)
        if host not in LOOPBACK_HOSTS and not token:
            token = new_token()
        if token is not None and len(token) < 16:
            raise fail("访问令牌至少需要 16 个字符")
        if not _port_free(host, port):
            raise fail(f"端口 {port} 已被占用，请用 --port 指定其他端口")
        config = ServeConfig(
            data_dir=data_dir or default_data_dir(),
            token=token,
            host=host,
            port=port,
            jobs=jobs,
            rules=r,
        )
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
        typer.echo(f"perfxl 网页界面：{url}")
        if host not in LOOPBACK_HOSTS:
            typer.echo("局域网内其他电脑请用本机的 IP 地址和上面的令牌访问。按 Ctrl+C 停止。")
        else:
            typer.echo("按 Ctrl+C 停止。")
        typer.echo(f"运行记录保存在：{config.runs_dir}")
        if not no_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        uvicorn.run(create_app(config), host=host, port=port, log_level="warning")
