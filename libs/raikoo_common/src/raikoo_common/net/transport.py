"""An httpx transport whose every TCP connection passes the SSRF guard first.

The check sits at the lowest layer that knows the destination: httpcore's network
backend, which is asked to ``connect_tcp(host, port)`` for each new connection. Ours
resolves the host through the guard and connects to one of the addresses it checked —
the address is pinned — while the URL, and so the Host header, TLS SNI and certificate
verification, keep the original host name. Nothing above that layer (redirects, retries,
connection reuse, httpx's URL parsing) can open a connection the guard did not approve.

httpx's own ``AsyncHTTPTransport`` cannot be given a network backend, so this transport
drives an ``httpcore.AsyncConnectionPool`` itself and maps httpcore's errors to httpx's.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from functools import cache
from typing import TypeVar

import httpcore
import httpx

from raikoo_common.net._addresses import unmapped
from raikoo_common.net.guard import EgressGuard

_Stream = TypeVar("_Stream")

_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
)
_CORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
)


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
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or default_ssl_context(),
            max_connections=max_connections,
            keepalive_expiry=keepalive_expiry,
            network_backend=PinningBackend(guard),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.guard.check_url(request.url)
        if not isinstance(request.stream, httpx.AsyncByteStream):
            raise TypeError("GuardedTransport serves httpx.AsyncClient only")
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors(request):
            response = await self._pool.handle_async_request(core_request)
        if not isinstance(response.stream, AsyncIterable):
            raise TypeError("httpcore returned a synchronous stream to an async request")
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream, request),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class PinningBackend(httpcore.AsyncNetworkBackend):
    """Connects to the addresses the guard checked for a host, never to a fresh lookup."""

    def __init__(self, guard: EgressGuard) -> None:
        self._guard = guard
        self._sockets = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        async def connect(address: str) -> httpcore.AsyncNetworkStream:
            return await self._sockets.connect_tcp(
                address,
                port,
                timeout=timeout,
                local_address=local_address,
                socket_options=socket_options,
            )

        return await connect_pinned(
            self._guard,
            host,
            port,
            connect,
            refused=(httpcore.ConnectError, httpcore.ConnectTimeout),
            unresolved=httpcore.ConnectError,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not reachable through the SSRF guard")

    async def sleep(self, seconds: float) -> None:
        await self._sockets.sleep(seconds)


async def connect_pinned(
    guard: EgressGuard,
    host: str,
    port: int,
    connect: Callable[[str], Awaitable[_Stream]],
    *,
    refused: tuple[type[Exception], ...],
    unresolved: Callable[[str], Exception],
) -> _Stream:
    """``connect`` to each address the guard checked for ``host`` in the resolver's order,
    as a plain socket would try them, until one accepts; the last refusal (one of
    ``refused``) if none does. A name that does not resolve raises ``unresolved``; a
    blocked address, the guard's ``BlockedDestination``. Shared by the network backends
    of both HTTP stacks (``httpcore`` here, ``httpcore2`` in the AI runner)."""
    try:
        addresses = await guard.resolve(host, port)
    except OSError as exc:
        raise unresolved(f"cannot resolve {host}: {exc}") from exc
    failure: Exception | None = None
    for address in addresses:
        try:
            return await connect(str(unmapped(address)))
        except refused as exc:
            failure = exc
    assert failure is not None  # the guard never returns an empty tuple
    raise failure


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes], request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors(self._request):
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            with _httpx_errors(self._request):
                await close()


@contextlib.contextmanager
def _httpx_errors(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except _CORE_ERRORS as exc:
        raise _translated(exc, request) from exc


def _translated(exc: Exception, request: httpx.Request) -> httpx.TransportError:
    for core_type, httpx_type in _ERRORS:
        if isinstance(exc, core_type):
            return httpx_type(str(exc) or type(exc).__name__, request=request)
    return httpx.TransportError(str(exc), request=request)


@cache
def default_ssl_context() -> ssl.SSLContext:
    """Verifying context with certifi's CA bundle, built once (loading it takes ~10 ms)."""
    return httpx.create_ssl_context(trust_env=False)
