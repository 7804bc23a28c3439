"""Results that finish together leave together.

A runner publishing each result on its own pays a publish (and the scheduler a delivery)
per operation. Here results go out from one background task: whatever finished while its
previous publish was in flight is sent next, as one message per organisation
(``OperationResults``; a lone result travels as itself). With nothing in flight, a result
leaves on the next turn of the event loop, so a chain of steps waits for nothing. ``send``
returns once the bus confirmed the message that carried the result, so the caller acks its
input only then (and a graceful shutdown, which waits for handlers, waits for it too). A
batch carries the first result's correlation id and trace context; the others' traces end
at the runner.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

import orjson

from raikoo_common.bus import Bus
from raikoo_common.messages import (
    Envelope,
    OperationFailed,
    OperationResults,
    OperationSucceeded,
    RunResult,
)

Result = OperationSucceeded | OperationFailed
_FIXED = 200
"""Bytes of a result besides its output or error message: ids, attempt, timestamps."""


@dataclass(frozen=True)
class _Pending:
    source: Envelope
    run_id: uuid.UUID
    result: Result
    done: asyncio.Future[None]


class ResultSender:
    def __init__(
        self, bus: Bus, channel: str, *, max_batch: int = 200, max_bytes: int = 128 * 1024
    ) -> None:
        self.bus = bus
        self.channel = channel
        self.max_batch = max_batch
        self.max_bytes = max_bytes
        """Messages stay small (DESIGN.md §3; Service Bus Standard takes 256 KB at most)."""
        self._pending: list[_Pending] = []
        self._task: asyncio.Task[None] | None = None

    async def send(self, source: Envelope, run_id: uuid.UUID, result: Result) -> None:
        """Publish ``result`` of an operation of ``run_id`` that ``source`` asked for."""
        done = asyncio.get_running_loop().create_future()
        self._pending.append(_Pending(source, run_id, result, done))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name=f"results-{self.channel}")
        await done

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            messages = self._messages(batch)
            try:
                outcomes = await asyncio.gather(
                    *(self.bus.publish(self.channel, envelope) for envelope, _ in messages),
                    return_exceptions=True,
                )
            except BaseException:
                # Cancelled (shutdown): no one must wait for a publish that will not happen.
                pending, self._pending = self._pending, []
                _fail([*batch, *pending], ConnectionError("result publishing was cancelled"))
                raise
            for (_, items), outcome in zip(messages, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    # Only these senders' inputs are redelivered and run again; a message
                    # the bus confirmed stays confirmed. Results queued meanwhile get their
                    # own try.
                    _fail(items, outcome)
                    continue
                for item in items:
                    if not item.done.done():
                        item.done.set_result(None)

    def _messages(self, batch: list[_Pending]) -> list[tuple[Envelope, list[_Pending]]]:
        """The envelopes carrying ``batch``, each with the results it carries."""
        by_org: dict[uuid.UUID, list[_Pending]] = {}
        for item in batch:
            by_org.setdefault(item.source.org_id, []).append(item)
        return [
            (self._envelope(org_id, chunk), chunk)
            for org_id, items in by_org.items()
            for chunk in self._chunks(items)
        ]

    def _chunks(self, items: list[_Pending]) -> list[list[_Pending]]:
        """At most ``max_batch`` results and about ``max_bytes`` of them per message (a
        result bigger than that travels alone, as it would unbatched)."""
        chunks: list[list[_Pending]] = []
        chunk: list[_Pending] = []
        size = 0
        for item in items:
            item_size = _size(item.result)
            if chunk and (len(chunk) >= self.max_batch or size + item_size > self.max_bytes):
                chunks.append(chunk)
                chunk, size = [], 0
            chunk.append(item)
            size += item_size
        if chunk:
            chunks.append(chunk)
        return chunks

    def _envelope(self, org_id: uuid.UUID, chunk: list[_Pending]) -> Envelope:
        first = chunk[0]
        runs = {item.run_id for item in chunk}
        message = (
            first.result
            if len(chunk) == 1
            else OperationResults.model_construct(
                results=[RunResult.model_construct(run_id=i.run_id, result=i.result) for i in chunk]
            )
        )
        return Envelope.wrap(
            message,
            org_id=org_id,
            run_id=first.run_id if len(runs) == 1 else None,
            correlation_id=first.source.correlation_id,
            traceparent=first.source.traceparent,
        )


def _size(result: Result) -> int:
    """About how many bytes ``result`` adds to a message."""
    if isinstance(result, OperationSucceeded):
        return _FIXED + len(orjson.dumps(result.output))
    return _FIXED + len(result.error.message)


def _fail(items: list[_Pending], exc: BaseException) -> None:
    for item in items:
        if not item.done.done():
            item.done.set_exception(exc)
