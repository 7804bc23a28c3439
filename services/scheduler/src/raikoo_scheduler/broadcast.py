"""Run events go out in the background, in order, batched.

They are stored with the state change already; broadcasting them is for live listeners,
who fill any gap from the store. So a run's next step never waits for this publish.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from raikoo_common.bus import Bus
from raikoo_common.messages import Channel, Envelope

log = structlog.get_logger(__name__)


class EventBroadcaster:
    def __init__(self, bus: Bus, max_batch: int = 500) -> None:
        self.bus = bus
        self.max_batch = max_batch
        self._pending: list[Envelope] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def send(self, events: Envelope) -> None:
        self._pending.append(events)
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="run-events-broadcast")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._flush()

    async def _loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._flush()

    async def _flush(self) -> None:
        while self._pending:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
            try:
                await self.bus.publish_many([(Channel.RUNS_EVENTS, e) for e in batch])
            except Exception:
                log.warning("could not broadcast run events", count=len(batch), exc_info=True)
