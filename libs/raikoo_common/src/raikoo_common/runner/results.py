"""Results that finish together leave together.

A runner publishing each result on its own pays a publish (and the scheduler a delivery)
per operation. Here results go out from one background task: whatever finished while its
previous publish was in flight is sent next, as one message per run (``OperationResults``;
a lone result travels as itself). With nothing in flight, a result leaves on the next turn
of the event loop, so a chain of steps waits for nothing. ``send`` returns once the bus
confirmed the message that carried the result, so the caller acks its input only then
(and a graceful shutdown, which waits for handlers, waits for it too).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from raikoo_common.bus import Bus
from raikoo_common.messages import (
    Envelope,
    OperationFailed,
    OperationResults,
    OperationSucceeded,
)

Result = OperationSucceeded | OperationFailed


@dataclass(frozen=True)
class _Pending:
    source: Envelope
    run_id: uuid.UUID
    result: Result
    done: asyncio.Future[None]


class ResultSender:
    def __init__(self, bus: Bus, channel: str, *, max_batch: int = 200) -> None:
        self.bus = bus
        self.channel = channel
        self.max_batch = max_batch
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
            try:
                await self.bus.publish_many([(self.channel, e) for e in self._envelopes(batch)])
            except BaseException as exc:
                # Every sender's input is redelivered and run again; results already
                # delivered are duplicates the scheduler ignores. Cancelled (shutdown):
                # the senders must not wait for a publish that will not happen.
                failure = exc if isinstance(exc, Exception) else ConnectionError(str(exc))
                for item in [*batch, *self._pending]:
                    if not item.done.done():
                        item.done.set_exception(failure)
                if not isinstance(exc, Exception):
                    self._pending = []
                    raise
            else:
                for item in batch:
                    if not item.done.done():
                        item.done.set_result(None)

    def _envelopes(self, batch: list[_Pending]) -> list[Envelope]:
        by_run: dict[tuple[uuid.UUID, uuid.UUID], list[_Pending]] = {}
        for item in batch:
            by_run.setdefault((item.source.org_id, item.run_id), []).append(item)
        envelopes = []
        for (org_id, run_id), items in by_run.items():
            for start in range(0, len(items), self.max_batch):
                chunk = items[start : start + self.max_batch]
                first = chunk[0].source
                message = (
                    chunk[0].result
                    if len(chunk) == 1
                    else OperationResults.model_construct(results=[i.result for i in chunk])
                )
                envelopes.append(
                    Envelope.wrap(
                        message,
                        org_id=org_id,
                        run_id=run_id,
                        correlation_id=first.correlation_id,
                        traceparent=first.traceparent,
                    )
                )
        return envelopes
