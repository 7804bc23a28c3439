"""The SSRF guard for ``httpx2`` clients (the ``openai`` and ``mcp`` SDKs use ``httpx2``).

``httpx2`` is ``httpx``'s successor under another module name. This transport is
``raikoo_common.net.GuardedTransport`` for it: the same guard checks the URL, and the same
``PinnedPool`` (an ``httpcore2`` pool whose network backend connects only to the addresses
the guard checked) carries the request; only the request and response classes, and the
error classes the SDKs catch, are ``httpx2``'s.

It used to hand each request down to the ``httpx`` transport instead: two stream adapters
on every chunk of a streamed answer, and ``httpcore`` 1.0's pool, which at 50 parallel
model calls took a third of a call's CPU (docs/benchmarks.md, "AI operations in a
foreach").
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterable, AsyncIterator

import httpx2

from raikoo_common.net import EgressGuard, PinnedPool, transport_errors


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
        self._pool = PinnedPool(
            guard,
            ssl_context=ssl_context,
            max_connections=max_connections,
            keepalive_expiry=keepalive_expiry,
        )

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.guard.check_url(str(request.url))
        if not isinstance(request.stream, httpx2.AsyncByteStream):
            raise TypeError("Guarded2Transport serves httpx2.AsyncClient only")
        with transport_errors(request, httpx2):
            response = await self._pool.send(request)
        assert isinstance(response.stream, AsyncIterable)
        return httpx2.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream, request),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class _ResponseStream(httpx2.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes], request: httpx2.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with transport_errors(self._request, httpx2):
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            with transport_errors(self._request, httpx2):
                await close()
