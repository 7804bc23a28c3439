"""An httpx transport whose every TCP connection passes the SSRF guard first.

The check sits at the lowest layer that knows the destination: the connection pool's
network backend, which is asked to ``connect_tcp(host, port)`` for each new connection.
Ours resolves the host through the guard and connects to one of the addresses it checked —
the address is pinned — while the URL, and so the Host header, TLS SNI and certificate
verification, keep the original host name. Nothing above that layer (redirects, retries,
connection reuse, httpx's URL parsing) can open a connection the guard did not approve.

httpx's own ``AsyncHTTPTransport`` cannot be given a network backend, so this transport
drives a connection pool itself (``PinnedPool``) and maps the pool's errors to httpx's.
The pool is ``httpcore2``'s, not httpx's own ``httpcore`` 1.0: that one re-checks every
pooled connection on every request and every response close (a quadratic number of idle
checks, and two system calls per idle connection), which at 50 requests in flight was
about half of a request's CPU (docs/benchmarks.md, "Outbound HTTP"); ``httpcore2``
assigns in one pass. The AI runner's transport for
``httpx2`` clients (the ``openai`` and ``mcp`` SDKs) sends through the same ``PinnedPool``.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from functools import cache
from types import ModuleType
from typing import Any

import httpcore2
import httpx

from raikoo_common.net._addresses import unmapped
from raikoo_common.net.guard import EgressGuard

_CORE_ERRORS = (
    httpcore2.TimeoutException,
    httpcore2.NetworkError,
    httpcore2.ProtocolError,
    httpcore2.UnsupportedProtocol,
)
"""What ``PinnedPool.send`` and its response streams raise for a transport error
(``transport_errors`` raises them again in the caller's classes)."""


class PinnedPool:
    """An ``httpcore2`` connection pool whose connections go only to the addresses the
    guard checked (``PinningBackend``): what both guarded transports send through. A
    request is an ``httpx.Request`` or an ``httpx2.Request`` (their URLs, headers and
    streams read alike); the caller checks its URL first and maps the errors with
    ``transport_errors``."""

    def __init__(
        self,
        guard: EgressGuard,
        *,
        ssl_context: ssl.SSLContext | None,
        max_connections: int,
        keepalive_expiry: float,
    ) -> None:
        self._pool = httpcore2.AsyncConnectionPool(
            ssl_context=ssl_context or default_ssl_context(),
            max_connections=max_connections,
            keepalive_expiry=keepalive_expiry,
            network_backend=PinningBackend(guard),
        )

    async def send(self, request: Any) -> httpcore2.Response:
        url = request.url
        core_request = httpcore2.Request(
            method=request.method,
            url=httpcore2.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        response = await self._pool.handle_async_request(core_request)
        if not isinstance(response.stream, AsyncIterable):
            raise TypeError("httpcore2 returned a synchronous stream to an async request")
        return response

    async def aclose(self) -> None:
        await self._pool.aclose()


class GuardedTransport(httpx.AsyncBaseTransport):
    """Use with ``httpx.AsyncClient(transport=..., trust_env=False)``: with ``trust_env``
    a proxy from the environment would get its own transport and bypass this one."""

    def __init__(
        self,
        guard: EgressGuard,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 10,
        keepalive_expiry: float = 5.0,
    ) -> None:
        self.guard = guard
        self._pool = PinnedPool(
            guard,
            ssl_context=ssl_context,
            max_connections=max_connections,
            keepalive_expiry=keepalive_expiry,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.guard.check_url(request.url)
        if not isinstance(request.stream, httpx.AsyncByteStream):
            raise TypeError("GuardedTransport serves httpx.AsyncClient only")
        with transport_errors(request, httpx):
            response = await self._pool.send(request)
        assert isinstance(response.stream, AsyncIterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream, request),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class PinningBackend(httpcore2.AsyncNetworkBackend):
    """Connects to the addresses the guard checked for a host, never to a fresh lookup."""

    def __init__(self, guard: EgressGuard) -> None:
        self._guard = guard
        self._sockets = httpcore2.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        try:
            addresses = await self._guard.resolve(host, port)
        except OSError as exc:
            raise httpcore2.ConnectError(f"cannot resolve {host}: {exc}") from exc
        failure: Exception | None = None
        for address in addresses:  # the resolver's order, as a plain socket would try them
            try:
                return await self._sockets.connect_tcp(
                    str(unmapped(address)),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # the guard never returns an empty tuple
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        raise httpcore2.ConnectError("unix sockets are not reachable through the SSRF guard")

    async def sleep(self, seconds: float) -> None:
        await self._sockets.sleep(seconds)


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes], request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with transport_errors(self._request, httpx):
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            with transport_errors(self._request, httpx):
                await close()


@contextlib.contextmanager
def transport_errors(request: Any, errors: ModuleType) -> Iterator[None]:
    """``PinnedPool``'s errors raised again in the classes of ``errors`` (``httpx`` or
    ``httpx2``, whose error classes are named as ``httpcore2``'s), so a caller, an SDK
    among them, tells a timeout from a refused connection as it would by itself."""
    try:
        yield
    except _CORE_ERRORS as exc:
        raise _translated(exc, request, errors) from exc


def _translated(exc: Exception, request: Any, errors: ModuleType) -> Exception:
    message = str(exc) or type(exc).__name__
    for cls in type(exc).__mro__:  # the most specific class first
        twin = getattr(errors, cls.__name__, None)
        if isinstance(twin, type) and issubclass(twin, errors.TransportError):
            error: Exception = twin(message, request=request)
            return error
    fallback: Exception = errors.TransportError(message, request=request)
    return fallback


@cache
def default_ssl_context() -> ssl.SSLContext:
    """Verifying context with certifi's CA bundle, built once (loading it takes ~10 ms)."""
    return httpx.create_ssl_context(trust_env=False)
