"""The gate in front of every route: access token, host and origin.

- With a token (required when the server listens beyond loopback), a request
  without it gets a 403 and nothing else: no page, no upload, no download,
  not even the stylesheet. The token comes once in the printed address
  (``?token=…``) and is then kept in an HttpOnly, SameSite=Strict cookie;
  scripts may send it as the ``X-Perfxl-Token`` header.
- On loopback, the Host header must name loopback, so that a web page on
  another site cannot reach the server by DNS rebinding.
- A POST whose Origin is another site is refused (no cross-site uploads or
  deletions from a page the user happens to have open).
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

COOKIE = "perfxl_token"
HEADER = b"x-perfxl-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")
# on every response: only the page's own scripts and styles run (a project name
# from an uploaded workbook can never become a script), no framing, no referrer
# to other sites ("no-referrer" would make the browser send Origin: null on our own
# form posts, which the origin check refuses)
HARDENING = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


def new_token() -> str:
    return secrets.token_urlsafe(18)


def _same(given: str, token: str) -> bool:
    """Constant-time comparison; any text may arrive, not only ASCII."""
    return secrets.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def _page(status: int, message: str, headers: list | None = None):
    body = (
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>perfxl</title>'
        f"<p>{message}</p></html>"
    ).encode()
    return status, body, headers or []


class Gate:
    """ASGI middleware applying the three rules above."""

    def __init__(self, app, token: str | None, loopback: bool, extra_hosts: tuple = ()) -> None:
        self.app = app
        self.token = token
        self.loopback = loopback
        self.hosts = set(LOOPBACK_NAMES) | set(extra_hosts)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_hardened(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HARDENING]}
            await send(message)

        refusal = self.check(scope)
        if refusal is None:
            await self.app(scope, receive, send_hardened)
            return
        status, body, headers = refusal
        await send_hardened(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                    *headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def check(self, scope) -> tuple | None:
        headers = {k.lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get(b"host", "")
        if self.loopback and urlsplit(f"//{host}").hostname not in {
            h.strip("[]") for h in self.hosts
        }:
            return _page(400, "主机名不被允许：请用 http://127.0.0.1 访问")
        origin = headers.get(b"origin")
        # an opaque origin ("null": a sandboxed frame, a file) is another site too
        if scope["method"] == "POST" and origin is not None and urlsplit(origin).netloc != host:
            return _page(403, "拒绝来自其他网站的请求")
        if self.token is None:
            return None
        if _same(headers.get(HEADER, ""), self.token):
            return None
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie is no token
            cookie = SimpleCookie()
        if COOKIE in cookie and _same(cookie[COOKIE].value, self.token):
            return None
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        given = dict(query).get("token", "")
        if scope["method"] == "GET" and _same(given, self.token):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            path = scope.get("raw_path") or scope["path"].encode()
            location = path.decode("latin-1") + (f"?{rest}" if rest else "")
            set_cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
            return (
                303,
                b"",
                [(b"location", location.encode("latin-1")), (b"set-cookie", set_cookie.encode())],
            )
        return _page(403, "需要访问令牌：请使用启动 perfxl serve 时显示的完整网址")
