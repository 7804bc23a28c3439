"""The web console's static export (``web/out``), served beside the API.

API paths keep precedence: a request goes to the console only when it is a GET or HEAD
whose first path segment is none of the API's (``v1``, ``docs``, ``openapi.json``…), so no
console file can shadow a route. Console pages get their own policy: their inline
scripts (Next.js' hydration data) allowed by hash, inline styles (React Flow positions
nodes with them), and requests to this origin only.

The run widget's page (``/embed/run/``) may be framed by the pages its embed token lists:
the token's visible prefix in the query (``?prefix=rke_…``) picks whose list, its secret
stays in the fragment, which no request carries. Its script (``/embed.js``) may be loaded
by any page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import parse_qs

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


EMBED_PAGES = frozenset({"/embed/run/", "/embed/run/index.html"})
EMBED_SCRIPT = "/embed.js"
FrameAncestors = Callable[[str], Awaitable[tuple[str, ...]]]


def console_csp(html: bytes, frame_ancestors: tuple[str, ...] | None = None) -> str:
    """``frame_ancestors``: the origins that may frame the page (None: none may)."""
    policy = CONSOLE_CSP.format(scripts=" ".join(script_hashes(html)))
    if frame_ancestors is not None:
        allowed = " ".join(frame_ancestors) or "'none'"
        policy = policy.replace("frame-ancestors 'none'", f"frame-ancestors {allowed}")
    return policy.replace("'self' ;", "'self';")


class Console(HttpMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        directory: Path,
        api_segments: frozenset[str],
        *,
        frame_ancestors: FrameAncestors | None = None,
    ) -> None:
        """``frame_ancestors``: the origins an embed token (by prefix) lets frame the run
        widget's page (None: nothing frames it)."""
        super().__init__(app)
        self.frame_ancestors = frame_ancestors
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
        ancestors = None
        if self.frame_ancestors is not None and scope["path"] in EMBED_PAGES:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            ancestors = await self.frame_ancestors(query.get("prefix", [""])[0][:64])
        shared = scope["path"] == EMBED_SCRIPT
        await self.files(scope, receive, _SecuredPage(send, ancestors, shared=shared))


_HASHED_ASSETS = "/_next/static/"
_CONDITIONAL = frozenset({b"if-none-match", b"if-modified-since"})


def _unconditional(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(name, value) for name, value in headers if name.lower() not in _CONDITIONAL]


class _SecuredPage:
    """Holds an HTML page's response start until its body is read, to name its scripts."""

    def __init__(
        self, send: Send, frame_ancestors: tuple[str, ...] | None, *, shared: bool
    ) -> None:
        """``shared``: other sites' pages may load the file (the widget's script)."""
        self.send = send
        self.frame_ancestors = frame_ancestors
        self.shared = shared
        self.held: Message | None = None
        self.body: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if self.shared:
                MutableHeaders(scope=message)["cross-origin-resource-policy"] = "cross-origin"
            if MutableHeaders(scope=message).get("content-type", "").startswith("text/html"):
                self.held = message
                return
        elif self.held is not None and message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            html = b"".join(self.body)
            headers = MutableHeaders(scope=self.held)
            headers["content-security-policy"] = console_csp(html, self.frame_ancestors)
            headers["cache-control"] = "no-cache"
            await self.send(self.held)
            await self.send({"type": "http.response.body", "body": html})
            return
        await self.send(message)


def api_segments(paths: list[str]) -> frozenset[str]:
    """The first path segments the API answers under (the root is the console's)."""
    return frozenset(path.lstrip("/").split("/", 1)[0] for path in paths) - {""}
