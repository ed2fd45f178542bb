"""The desk app serves one person on one machine: every request is checked here first.

- `Host` must be `127.0.0.1:PORT` or `localhost:PORT` (a page of another site that had its name
  resolve to 127.0.0.1 — DNS rebinding — is refused with 421);
- the random token: given once in the URL the app opens (`/?token=…`), it is exchanged for a
  cookie (`HttpOnly`, `SameSite=Strict`, path `/`) and the browser is sent to the same address
  without it; every other request without the cookie is refused (403), the API, the thumbnails
  and the files included;
- a request that changes anything (any method but GET/HEAD) must come from the app's own page:
  its `Origin` (or, where a browser sends none, its `Referer`) is the app's own origin, and it
  carries JSON (a cross-site form cannot send `application/json` without a preflight);
- every answer carries a Content-Security-Policy allowing only the app's own origin (nothing is
  ever requested from the network), no framing, no referrer, no caching of packet contents.

Pure ASGI middleware (Starlette's own middleware classes buffer streamed answers, which the live
updates are).
"""

from __future__ import annotations

import hmac
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

COOKIE = "changju_desk"
SAFE_METHODS = frozenset({"GET", "HEAD"})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Guard:
    """ASGI middleware in front of the app; `port` is the one the server listens on."""

    def __init__(self, app, *, token: str, port: int, csp: str = CSP) -> None:
        self.app = app
        self.token = token
        self.port = port
        self.csp = csp
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if headers.get("host", "").lower() not in self.hosts:
            await _plain(send, 421, "这个地址不是本机的 changju 桌面应用。")
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token")
        if given is not None and scope["method"] in SAFE_METHODS:
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                await _plain(send, 403, "链接中的口令不对：请用 changju app 打开的链接。")
                return
            rest = {k: v for k, v in query.items() if k != "token"}
            location = scope.get("path", "/") + ("?" + urlencode(rest) if rest else "")
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await _plain(send, 303, "", extra=[(b"location", location.encode("utf-8")), (b"set-cookie", cookie.encode())])
            return
        if not self._has_cookie(headers.get("cookie", "")):
            await _plain(send, 403, "没有访问口令：请用 changju app 打开的链接（或重新运行 changju app）。")
            return
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin") or _origin_of(headers.get("referer", ""))
            if origin not in self.origins:
                await _plain(send, 403, "拒绝来自其他网页的请求。")
                return
            if not headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
                await _plain(send, 415, "请求须为 JSON。")
                return

        csp = self.csp if not scope.get("path", "").startswith("/sheet") else SHEET_CSP

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                    (b"cache-control", b"no-store"),
                ]
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _has_cookie(self, header: str) -> bool:
        try:
            jar = SimpleCookie()
            jar.load(header)
        except Exception:  # noqa: BLE001 - a malformed cookie header is no cookie
            return False
        morsel = jar.get(COOKIE)
        return morsel is not None and hmac.compare_digest(morsel.value.encode(), self.token.encode())


# The review sheet (render/html.py) is one self-contained page: its styles inline, its pictures
# data: URIs, no script. Its policy allows exactly that and nothing from anywhere.
SHEET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def _origin_of(url: str) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


async def _plain(send, status: int, text: str, extra: list[tuple[bytes, bytes]] = ()) -> None:
    body = text.encode("utf-8")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"content-security-policy", b"default-src 'none'"),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
