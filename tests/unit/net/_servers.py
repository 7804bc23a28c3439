"""Real HTTP(S) servers on loopback for the outbound-HTTP tests, each on its own thread.

A server records every request it receives (``hits``) and answers from a route table;
routes may delay, omit Content-Length (a body delimited by closing the connection) or
redirect. A canary is a server whose ``hits`` must stay empty.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Hit:
    method: str
    target: str  # path and query as sent
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


@dataclass
class Reply:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0
    declare_length: bool = True


Route = Callable[[Hit], Reply]


class LocalServer:
    def __init__(
        self,
        routes: dict[str, Route] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.routes = dict(routes or {})
        self.hits: list[Hit] = []
        self.sni_names: list[str | None] = []
        if ssl_context is not None:
            ssl_context.sni_callback = self._record_sni
        self._httpd = _Server((host, port), _handler_for(self), ssl_context)
        bound_host, bound_port = self._httpd.server_address[:2]
        self.host = bound_host if isinstance(bound_host, str) else bytes(bound_host).decode()
        self.port = int(bound_port)
        self.scheme = "https" if ssl_context else "http"
        # A short poll interval: shutdown() waits for the serving loop to notice it.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _record_sni(self, sock: Any, name: str | None, context: ssl.SSLContext) -> None:
        self.sni_names.append(name)

    def answer(self, hit: Hit) -> Reply:
        self.hits.append(hit)
        route = self.routes.get(hit.path)
        if route is None:
            return Reply(404, [("content-type", "text/plain")], b"no such route")
        return route(hit)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type, ssl_context: ssl.SSLContext | None
    ) -> None:
        super().__init__(address, handler)
        self._ssl_context = ssl_context

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        if self._ssl_context is not None:
            sock = self._ssl_context.wrap_socket(sock, server_side=True)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that give up (timeouts, refused TLS) close their side: not a test failure.
        pass


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            reply = server.answer(Hit(self.command, self.path, headers, body))
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.declare_length:
                self.send_header("content-length", str(len(reply.body)))
            else:
                self.send_header("connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(OSError):
                    self.wfile.write(reply.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextlib.contextmanager
def server_factory() -> Iterator[Callable[..., LocalServer]]:
    """Yields ``make(routes, **options)`` that starts a server; all stop on exit."""
    started: list[LocalServer] = []

    def make(routes: dict[str, Route] | None = None, **options: Any) -> LocalServer:
        server = LocalServer(routes, **options).start()
        started.append(server)
        return server

    try:
        yield make
    finally:
        for server in started:
            server.stop()


def json_reply(body: bytes, status: int = 200, *headers: tuple[str, str]) -> Route:
    return lambda hit: Reply(status, [("content-type", "application/json"), *headers], body)


def redirect_to(location: str, status: int = 302) -> Route:
    return lambda hit: Reply(status, [("location", location)])
