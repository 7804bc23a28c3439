"""Calls to a provider: chat completions (streamed or not), embeddings, moderation.

Retries are made here, not by the SDK (whose own are turned off), so they are explicit:
408, 409, 429 and 5xx answers and connection failures are tried again up to
``ai_max_retries`` times, after the wait a ``Retry-After`` (or ``retry-after-ms``) header
asks for, else an exponential backoff with jitter, both capped by ``ai_retry_max_wait``. A
streamed answer is tried again only if nothing of it was written yet. Each call holds a
slot of its connection's concurrency limit while it runs (not while it waits to retry).
Chat completions and embeddings hold an estimate against the operation's budgets for the
whole call, retries included (``providers.budget``); moderation is free and holds none.
Cancelling the operation cancels the call: the SDK's request, or its stream, is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import structlog

from raikoo_ai_runner.providers.answer import Completion, StreamedAnswer, completion_of
from raikoo_ai_runner.providers.budget import Spending, text_tokens
from raikoo_ai_runner.providers.connection import Connection
from raikoo_ai_runner.providers.errors import as_operation_error, retry_wait
from raikoo_ai_runner.providers.pool import Lease
from raikoo_ai_runner.providers.usage import UsageMeter
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.messages import TokenUsage
from raikoo_common.net.retry import backoff

if TYPE_CHECKING:
    import httpx2

T = TypeVar("T")


class Provider:
    """One operation's calls over one connection."""

    def __init__(
        self,
        lease: Lease,
        connection: Connection,
        settings: AiRunnerSettings,
        meter: UsageMeter,
        log: structlog.typing.FilteringBoundLogger,
        on_usage: Callable[[], None],
        spending: Spending,
    ) -> None:
        self._client, self._limit = lease.client, lease.limit
        self.connection = connection
        self._settings = settings
        self._meter = meter
        self._log = log
        self._on_usage = on_usage
        self._spending = spending

    async def chat(
        self, params: dict[str, Any], write: Callable[[str], None] | None = None
    ) -> Completion:
        """One chat completion; ``write`` receives the answer's text as it arrives (then
        the call streams)."""
        written: list[bool] = [False]

        async def once() -> Completion:
            if write is None:
                return await self._plain(params)
            return await self._streamed(params, write, written)

        model = params["model"]
        async with self._spending.call(model, *self._spending.chat_estimate(params)) as spent:
            completion = await self._retrying(once, "chat completion", lambda: not written[0])
            spent.append(self._count(completion.model or model, completion.usage))
        return completion

    async def embed(
        self, model: str, texts: list[str], dimensions: int | None
    ) -> list[list[float]]:
        extra: dict[str, Any] = {} if dimensions is None else {"dimensions": dimensions}

        async def once() -> Any:
            return await self._client.embeddings.create(model=model, input=texts, **extra)

        prompt = sum(text_tokens(text) for text in texts)
        async with self._spending.call(model, prompt, 0) as spent:
            response = await self._retrying(once, "embeddings", lambda: True)
            spent.append(self._count(response.model or model, response.usage))
        ordered = sorted(response.data, key=lambda item: item.index)
        return [list(item.embedding) for item in ordered]

    async def moderate(self, model: str, text: str) -> list[str]:
        """The categories the moderation endpoint flags ``text`` for ([] = not flagged)."""

        async def once() -> Any:
            return await self._client.moderations.create(model=model, input=text)

        response = await self._retrying(once, "moderation", lambda: True)
        self._count(model, None)
        flagged: list[str] = []
        for result in response.results:
            if result.flagged:
                categories = result.categories.model_dump(by_alias=True)
                flagged.extend(name for name, hit in categories.items() if hit)
                flagged = flagged or ["flagged"]
        return sorted(set(flagged))

    def _count(self, model: str, usage: Any) -> TokenUsage:
        call = self._meter.add(model, usage)
        self._on_usage()
        return call

    async def _plain(self, params: dict[str, Any]) -> Completion:
        chat = self._client.chat.completions.with_streaming_response
        async with chat.create(**params) as response:
            return completion_of(await _read(response.http_response))

    async def _streamed(
        self, params: dict[str, Any], write: Callable[[str], None], written: list[bool]
    ) -> Completion:
        import openai

        extra: dict[str, Any] = {"stream": True}
        if self.connection.config.stream_usage:
            extra["stream_options"] = {"include_usage": True}

        def text(delta: str) -> None:
            written[0] = True
            write(delta)

        chat = self._client.chat.completions.with_streaming_response
        # The block closes the response, also when the operation is cancelled.
        async with chat.create(**params, **extra) as response:
            http = response.http_response

            def failed(error: Any) -> Exception:
                message = error.get("message") if isinstance(error, dict) else None
                return openai.APIError(
                    message if isinstance(message, str) and message else _STREAM_ERROR,
                    request=http.request,
                    body=error,
                )

            answer = StreamedAnswer(text, failed)
            async with _reading(http) as body:
                async for data in body:
                    answer.feed(data)
                    if answer.done:
                        await _drain(body)
                        break
        return answer.finish()

    async def _retrying(
        self, once: Callable[[], Awaitable[T]], what: str, may_retry: Callable[[], bool]
    ) -> T:
        settings, attempt = self._settings, 0
        while True:
            attempt += 1
            try:
                async with self._limit:
                    return await once()
            except Exception as exc:
                wait = retry_wait(exc)
                last = attempt > settings.ai_max_retries or not may_retry()
                if wait is None or last:
                    raise as_operation_error(exc, self.connection, what, attempt) from None
                delay = min(
                    settings.ai_retry_max_wait,
                    wait if wait > 0 else backoff(attempt, settings.ai_retry_max_wait),
                )
                self._log.info(
                    "provider call retrying",
                    call=what,
                    error=type(exc).__name__,
                    attempt=attempt,
                    delay=round(delay, 3),
                )
                await asyncio.sleep(delay)


_STREAM_ERROR = "An error occurred during streaming"  # the SDK's words for an error chunk
_DRAIN_SECONDS = 0.1


async def _read(http: httpx2.Response) -> bytes:
    async with _reading(http) as body:
        return b"".join([data async for data in body])


async def _drain(body: AsyncIterator[bytes]) -> None:
    """Read what follows ``[DONE]`` (the chunked body's end) for a moment, as the SDK
    does, so that the connection goes back to the pool; closed unread, it would be dropped
    and the next call would connect again."""
    import httpx2

    with contextlib.suppress(TimeoutError, httpx2.RequestError):
        async with asyncio.timeout(_DRAIN_SECONDS):
            async for _ in body:
                pass


@contextlib.asynccontextmanager
async def _reading(http: httpx2.Response) -> AsyncIterator[AsyncIterator[bytes]]:
    """The body's bytes, with a failure while reading them raised as the SDK raises it."""
    import httpx2
    import openai

    body = http.aiter_bytes()
    try:
        yield body
    except httpx2.TimeoutException as exc:
        raise openai.APITimeoutError(request=http.request) from exc
    except (httpx2.RequestError, ssl.SSLError) as exc:
        raise openai.APIConnectionError(request=http.request) from exc
    finally:
        await body.aclose()
