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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import structlog

from raikoo_ai_runner.providers.budget import Spending, text_tokens
from raikoo_ai_runner.providers.connection import Connection
from raikoo_ai_runner.providers.errors import as_operation_error, retry_wait
from raikoo_ai_runner.providers.pool import Lease
from raikoo_ai_runner.providers.usage import UsageMeter
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.messages import TokenUsage
from raikoo_common.net.retry import backoff

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion

T = TypeVar("T")


@dataclass(frozen=True)
class ToolCallData:
    id: str
    name: str
    arguments: str


@dataclass
class Completion:
    text: str = ""
    refusal: str | None = None
    tool_calls: list[ToolCallData] = field(default_factory=list)
    finish_reason: str | None = None
    model: str = ""
    usage: Any = None


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
                response = await self._client.chat.completions.create(**params)
                return _completion(response)
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

    async def _streamed(
        self, params: dict[str, Any], write: Callable[[str], None], written: list[bool]
    ) -> Completion:
        extra: dict[str, Any] = {"stream": True}
        if self.connection.config.stream_usage:
            extra["stream_options"] = {"include_usage": True}
        stream = await self._client.chat.completions.create(**params, **extra)
        completion = Completion()
        calls: dict[int, dict[str, str]] = {}
        async with stream:  # closes the response, also when the operation is cancelled
            async for chunk in stream:
                completion.model = chunk.model or completion.model
                if chunk.usage is not None:
                    completion.usage = chunk.usage
                for choice in chunk.choices:
                    delta = choice.delta
                    if delta.content:
                        completion.text += delta.content
                        written[0] = True
                        write(delta.content)
                    if getattr(delta, "refusal", None):
                        completion.refusal = (completion.refusal or "") + delta.refusal
                    for call in delta.tool_calls or ():
                        slot = calls.setdefault(call.index, {"id": "", "name": "", "args": ""})
                        slot["id"] = slot["id"] or (call.id or "")
                        if call.function is not None:
                            slot["name"] += call.function.name or ""
                            slot["args"] += call.function.arguments or ""
                    if choice.finish_reason:
                        completion.finish_reason = choice.finish_reason
        completion.tool_calls = [
            ToolCallData(slot["id"] or f"call_{index}", slot["name"], slot["args"])
            for index, slot in sorted(calls.items())
        ]
        return completion

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


def _completion(response: ChatCompletion) -> Completion:
    choice = response.choices[0] if response.choices else None
    message = choice.message if choice is not None else None
    calls = [
        ToolCallData(call.id, call.function.name, call.function.arguments)
        for call in (message.tool_calls or [] if message is not None else [])
        if call.type == "function"
    ]
    return Completion(
        text=(message.content or "") if message is not None else "",
        refusal=getattr(message, "refusal", None),
        tool_calls=calls,
        finish_reason=choice.finish_reason if choice is not None else None,
        model=response.model,
        usage=response.usage,
    )
