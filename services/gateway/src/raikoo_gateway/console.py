"""The web console's static export (``web/out``), served beside the API.

API paths keep precedence: a request goes to the console only when it is a GET or HEAD
whose first path segment is none of the API's (``v1``, ``docs``, ``openapi.json``…), so no
console file can shadow a route. Console pages get their own policy: their inline
scripts (Next.js' hydration data) allowed by hash, inline styles (React Flow positions
nodes with them), and requests to this origin only.
"""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from raikoo_gateway._asgi import HttpMiddleware
from raikoo_gateway.browser_safety import script_hashes

CONSOLE_CSP = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)


def console_csp(html: bytes) -> str:
    return CONSOLE_CSP.format(scripts=" ".join(script_hashes(html))).replace("'self' ;", "'self';")


class Console(HttpMiddleware):
    def __init__(self, app: ASGIApp, directory: Path, api_segments: frozenset[str]) -> None:
        super().__init__(app)
        if not (directory / "index.html").is_file():
            raise FileNotFoundError(
                f"RAIKOO_CONSOLE_DIR: {directory} holds no built console (index.html); build "
                "it with `npm --prefix web ci && npm --prefix web run build`"
            )
        self.files = StaticFiles(directory=directory, html=True)
        self.api_segments = api_segments

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        first = scope["path"].lstrip("/").split("/", 1)[0]
        if scope["method"] not in ("GET", "HEAD") or first in self.api_segments:
            await self.app(scope, receive, send)
            return
        if not scope["path"].startswith(_HASHED_ASSETS):
            # A 304 would carry the API's policy into the browser's cached page: pages are
            # small, so they are always sent whole, with the policy that names their scripts.
            scope = {**scope, "headers": _unconditional(scope["headers"])}
        await self.files(scope, receive, _SecuredPage(send))


_HASHED_ASSETS = "/_next/static/"
_CONDITIONAL = frozenset({b"if-none-match", b"if-modified-since"})


def _unconditional(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(name, value) for name, value in headers if name.lower() not in _CONDITIONAL]


class _SecuredPage:
    """Holds an HTML page's response start until its body is read, to name its scripts."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.held: Message | None = None
        self.body: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if MutableHeaders(scope=message).get("content-type", "").startswith("text/html"):
                self.held = message
                return
        elif self.held is not None and message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            html = b"".join(self.body)
            headers = MutableHeaders(scope=self.held)
            headers["content-security-policy"] = console_csp(html)
            headers["cache-control"] = "no-cache"
            await self.send(self.held)
            await self.send({"type": "http.response.body", "body": html})
            return
        await self.send(message)


def api_segments(paths: list[str]) -> frozenset[str]:
    """The first path segments the API answers under (the root is the console's)."""
    return frozenset(path.lstrip("/").split("/", 1)[0] for path in paths) - {""}
