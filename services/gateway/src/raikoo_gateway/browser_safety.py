"""What keeps a web page from driving the API, and the headers every response carries.

- **Trusted hosts.** A page of another site can make its own name resolve to 127.0.0.1
  (DNS rebinding) and so reach ``raikoo up`` as same-origin: only the ``Host`` header still
  shows the foreign name. Hosts off the list get 400 (health checks excepted: probes use
  addresses, and those endpoints tell nothing).
- **Origins.** Browsers name the page's origin on every cross-origin request and on
  same-origin writes. A request from another origin than the API's own (compared by host
  and port: a TLS proxy in front changes the scheme) or one of ``allowed_origins`` is
  refused with 403 before it does anything. The run widget's API (``/v1/embed/…``) is the
  exception: a page of an origin its embed token lists gets CORS headers for it, and a
  preflight is answered for the origins some live token lists (``docs/embedding.md``).
- **Headers.** No sniffing, no referrer, no framing; a CSP that allows nothing for API
  responses, and for the HTML of /docs its own assets and its own inline scripts (by hash).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from raikoo_gateway._asgi import HttpMiddleware
from raikoo_gateway.auth.embed import EMBED_CORS, EmbedCors, same_origin
from raikoo_gateway.problems import send_problem

HOOK_PREFIX = "/v1/hooks/"
EMBED_API_PREFIX = "/v1/embed/"
_EMBED_PREFLIGHT = {
    "access-control-allow-methods": "GET, POST",
    "access-control-allow-headers": "authorization, content-type, last-event-id",
    "access-control-max-age": "600",
    "vary": "Origin",
}
UNCHECKED_HOST_PATHS = frozenset({"/healthz", "/readyz"})
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_PAGE_CSP = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(
    rb"<script(?![^>]*\bsrc=)(?:\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class BrowserGate(HttpMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        trusted_hosts: list[str],
        allowed_origins: list[str],
        *,
        embed_origins: Callable[[str], Awaitable[bool]] | None = None,
    ) -> None:
        """``embed_origins``: whether a live embed token lists an origin (None: no widget)."""
        super().__init__(app)
        self.any_host = "*" in trusted_hosts
        self.trusted_hosts = [host.lower().rstrip(".") for host in trusted_hosts]
        self.allowed_origins = {origin.lower().rstrip("/") for origin in allowed_origins}
        self.embed_origins = embed_origins

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        host_header = headers.get("host", "")
        host, _ = split_host(host_header)
        if scope.get("path") not in UNCHECKED_HOST_PATHS and not self.trusts(host):
            detail = (
                f"the Host {host_header!r} is not one this server answers to; an administrator "
                "can add it to RAIKOO_TRUSTED_HOSTS"
            )
            await send_problem(scope, send, 400, "Untrusted host", detail, "untrusted-host")
            return
        origin = headers.get("origin")
        if (
            origin is not None
            and not signed_webhook(scope)
            and not self.allows(origin, host_header)
        ):
            if self.embed_origins is not None and scope["path"].startswith(EMBED_API_PREFIX):
                await self.embedded(scope, receive, send, origin)
                return
            detail = (
                f"requests from pages of {origin[:200]!r} are not accepted; an administrator "
                "can allow that origin with RAIKOO_ALLOWED_ORIGINS"
            )
            await send_problem(scope, send, 403, "Origin not allowed", detail, "origin-refused")
            return
        await self.app(scope, receive, send)

    async def embedded(self, scope: Scope, receive: Receive, send: Send, origin: str) -> None:
        """A request of the run widget's API from a page of another origin: a preflight is
        answered when a live token lists the origin; the request itself goes on, and gets
        CORS headers only if its own token lists the origin (``EmbedAccess`` decides)."""
        assert self.embed_origins is not None
        named = same_origin(origin)
        preflight = scope["method"] == "OPTIONS"
        if named is None or (preflight and not await self.embed_origins(named)):
            detail = f"no embed token accepts requests from pages of {origin[:200]!r}"
            await send_problem(scope, send, 403, "Origin not allowed", detail, "origin-refused")
            return
        if preflight:
            headers = [(k.encode(), v.encode()) for k, v in _EMBED_PREFLIGHT.items()]
            headers.append((b"access-control-allow-origin", origin.encode()))
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        cors = EmbedCors(named)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and cors.allowed:
                headers = MutableHeaders(scope=message)
                headers["access-control-allow-origin"] = origin
                headers["access-control-expose-headers"] = "Location"
                headers.append("vary", "Origin")
            await send(message)

        await self.app({**scope, EMBED_CORS: cors}, receive, send_with_cors)

    def trusts(self, host: str) -> bool:
        if self.any_host:
            return True
        for pattern in self.trusted_hosts:
            if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
                return True
        return False

    def allows(self, origin: str, host_header: str) -> bool:
        origin = origin.lower().rstrip("/")
        if origin in self.allowed_origins:
            return True
        parts = urlsplit(origin)
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
            return False  # "null" (sandboxed frames, files) and the like
        try:
            origin_port = parts.port or _DEFAULT_PORTS[parts.scheme]
        except ValueError:
            return False
        host, port = split_host(host_header)
        origin_host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        return origin_host == host and origin_port == (port or _DEFAULT_PORTS[parts.scheme])


def signed_webhook(scope: Scope) -> bool:
    """A call of an inbound hook that carries a webhook signature: its senders are servers
    that post JSON, forms or text, and it proves itself by that signature, not by cookies
    or keys. A page of another site cannot make one: the signature header is not one a
    browser sends cross-origin without a CORS preflight, which this API never grants."""
    if scope.get("method") != "POST":
        return False
    path: str = scope.get("path", "")
    if not path.startswith(HOOK_PREFIX) or "/" in path[len(HOOK_PREFIX) :]:
        return False
    return any(name == b"webhook-signature" for name, _ in scope.get("headers", ()))


def split_host(host_header: str) -> tuple[str, int | None]:
    """``Example.COM:8000`` → ``("example.com", 8000)``; ``[::1]:80`` → ``("[::1]", 80)``."""
    value = host_header.strip().lower()
    host, port = value, ""
    if value.startswith("["):
        end = value.find("]")
        host, port = value[: end + 1], value[end + 1 :].removeprefix(":")
    elif value.count(":") == 1:
        host, port = value.split(":")
    return host.rstrip("."), int(port) if port.isdigit() else None


class SecurityHeaders(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        held: Message | None = None
        page: list[bytes] = []

        async def secured_send(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name != "x-frame-options" or not frames_allowed(headers):
                        headers.setdefault(name, value)
                if "content-security-policy" in headers:
                    await send(message)
                elif headers.get("content-type", "").startswith("text/html"):
                    held = message  # the policy names the page's scripts: wait for them
                else:
                    headers["content-security-policy"] = API_CSP
                    await send(message)
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            page.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(page)
            MutableHeaders(scope=held)["content-security-policy"] = page_csp(body)
            await send(held)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, secured_send)


def frames_allowed(headers: MutableHeaders) -> bool:
    """Whether the response's own policy lets some pages frame it (the run widget's page,
    for its token's origins): then no X-Frame-Options may forbid what the policy allows."""
    policy = headers.get("content-security-policy", "")
    return "frame-ancestors" in policy and "frame-ancestors 'none'" not in policy


def page_csp(html: bytes) -> str:
    """The policy for one of the API's own HTML pages: its inline scripts allowed by hash."""
    return _PAGE_CSP.format(scripts=" ".join(script_hashes(html))).replace("'self' ;", "'self';")


def script_hashes(html: bytes) -> list[str]:
    """CSP sources allowing each inline script of ``html`` (those without ``src``)."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
        if script.strip()
    ]
