"""The SSRF guard for ``httpx2`` clients (the ``openai`` and ``mcp`` SDKs use ``httpx2``).

``httpx2`` is ``httpx``'s successor under another module name: its transports take
``httpx2`` requests. This transport hands each request to the guard's own
``GuardedTransport`` (``raikoo_common.net``) and the response back, so there is one guard,
pinning the checked addresses, whichever HTTP library the caller uses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import httpx2

from raikoo_common.net import EgressGuard, GuardedTransport


class Guarded2Transport(httpx2.AsyncBaseTransport):
    """Use with ``httpx2.AsyncClient(transport=..., trust_env=False)``."""

    def __init__(
        self, guard: EgressGuard, *, max_connections: int = 100, keepalive_expiry: float = 30.0
    ) -> None:
        self.guard = guard
        self._inner = GuardedTransport(
            guard, max_connections=max_connections, keepalive_expiry=keepalive_expiry
        )

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if not isinstance(request.stream, httpx2.AsyncByteStream):
            raise TypeError("Guarded2Transport serves httpx2.AsyncClient only")
        inner = httpx.Request(
            request.method,
            str(request.url),
            headers=request.headers.raw,
            stream=_RequestBody(request.stream),
            extensions=dict(request.extensions),
        )
        try:
            response = await self._inner.handle_async_request(inner)
        except httpx.TransportError as exc:
            raise _translated(exc, request) from exc
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers.raw,
            stream=_ResponseBody(response.stream, request),
            extensions=dict(response.extensions),
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


class _RequestBody(httpx.AsyncByteStream):
    def __init__(self, stream: httpx2.AsyncByteStream) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk


class _ResponseBody(httpx2.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, request: httpx2.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except httpx.TransportError as exc:
            raise _translated(exc, self._request) from exc

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        except httpx.TransportError as exc:
            raise _translated(exc, self._request) from exc


def _translated(exc: httpx.TransportError, request: httpx2.Request) -> httpx2.TransportError:
    """The same error in ``httpx2``'s classes (the libraries share their error hierarchy),
    so the SDKs tell a timeout from a refused connection as they would by themselves."""
    for cls in type(exc).__mro__:
        twin = getattr(httpx2, cls.__name__, None)
        if isinstance(twin, type) and issubclass(twin, httpx2.TransportError):
            return twin(str(exc) or type(exc).__name__, request=request)
    return httpx2.TransportError(str(exc), request=request)
