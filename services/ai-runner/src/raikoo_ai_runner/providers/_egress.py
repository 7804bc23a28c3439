"""The SSRF guard for ``httpx2`` clients (the ``openai`` and ``mcp`` SDKs use ``httpx2``).

``httpx2`` is ``httpx``'s successor under another module name, on ``httpcore2``. This
transport is ``raikoo_common.net.GuardedTransport`` for that pair: it drives an
``httpcore2`` connection pool whose network backend connects only to the addresses the
guard checked for a host (the address is pinned), while the URL — and so the Host header,
TLS SNI and certificate verification — keeps the host name. The guard and its rules are
the same object either way; only the HTTP stack under it differs.

It used to hand each request down to the ``httpx``/``httpcore`` transport instead. That
cost two stream adapters on every chunk of a streamed answer, and ``httpcore`` 1.0's pool
re-scans every pooled connection for every request (O(n²) in the connections, with two
system calls per idle one): at 50 parallel model calls that was a third of the CPU of a
call (docs/benchmarks.md, "AI operations in a foreach"). ``httpcore2``'s pool assigns in
one pass.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

import httpcore2
import httpx2

from raikoo_common.net import EgressGuard, connect_pinned, default_ssl_context

_CORE_ERRORS = (
    httpcore2.TimeoutException,
    httpcore2.NetworkError,
    httpcore2.ProtocolError,
    httpcore2.UnsupportedProtocol,
)


class Guarded2Transport(httpx2.AsyncBaseTransport):
    """Use with ``httpx2.AsyncClient(transport=..., trust_env=False)``: with ``trust_env``
    a proxy from the environment would get its own transport and bypass this one."""

    def __init__(
        self,
        guard: EgressGuard,
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 100,
        keepalive_expiry: float = 30.0,
    ) -> None:
        self.guard = guard
        self._pool = httpcore2.AsyncConnectionPool(
            ssl_context=ssl_context or default_ssl_context(),
            max_connections=max_connections,
            keepalive_expiry=keepalive_expiry,
            network_backend=Pinning2Backend(guard),
        )

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        url = request.url
        self.guard.check_url(str(url))
        if not isinstance(request.stream, httpx2.AsyncByteStream):
            raise TypeError("Guarded2Transport serves httpx2.AsyncClient only")
        core_request = httpcore2.Request(
            method=request.method,
            url=httpcore2.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx2_errors(request):
            response = await self._pool.handle_async_request(core_request)
        if not isinstance(response.stream, AsyncIterable):
            raise TypeError("httpcore2 returned a synchronous stream to an async request")
        return httpx2.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream, request),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class Pinning2Backend(httpcore2.AsyncNetworkBackend):
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
        async def connect(address: str) -> httpcore2.AsyncNetworkStream:
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
            refused=(httpcore2.ConnectError, httpcore2.ConnectTimeout),
            unresolved=httpcore2.ConnectError,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        raise httpcore2.ConnectError("unix sockets are not reachable through the SSRF guard")

    async def sleep(self, seconds: float) -> None:
        await self._sockets.sleep(seconds)


class _ResponseStream(httpx2.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes], request: httpx2.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx2_errors(self._request):
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            with _httpx2_errors(self._request):
                await close()


@contextlib.contextmanager
def _httpx2_errors(request: httpx2.Request) -> Iterator[None]:
    try:
        yield
    except _CORE_ERRORS as exc:
        raise _translated(exc, request) from exc


def _translated(exc: Exception, request: httpx2.Request) -> httpx2.TransportError:
    """The same error in ``httpx2``'s classes (the libraries name their errors alike), so
    the SDKs tell a timeout from a refused connection as they would by themselves."""
    for cls in type(exc).__mro__:
        twin = getattr(httpx2, cls.__name__, None)
        if isinstance(twin, type) and issubclass(twin, httpx2.TransportError):
            return twin(str(exc) or type(exc).__name__, request=request)
    return httpx2.TransportError(str(exc) or type(exc).__name__, request=request)
