"""Fan-out of run events from the bus to live listeners (SSE), per run."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from raikoo_common.bus import Bus, Subscription
from raikoo_common.messages import (
    Channel,
    Envelope,
    MalformedMessage,
    RunEventsBatch,
    RunEventsRecorded,
)

_QUEUE_LIMIT = 1000


class EventHub:
    def __init__(self, bus: Bus, max_deliveries: int) -> None:
        self._listeners: dict[uuid.UUID, set[asyncio.Queue[dict[str, Any] | None]]] = defaultdict(
            set
        )
        bus.subscribe(Subscription(Channel.RUNS_EVENTS, self._on_event, 1, max_deliveries))

    async def _on_event(self, envelope: Envelope) -> None:
        if envelope.type == RunEventsBatch.TYPE:
            if not self._listeners:
                return  # nobody watches any run: skip even decoding the batch
        elif envelope.run_id is None or not self._listeners.get(envelope.run_id):
            return  # nobody watches this run: skip even decoding its events
        match envelope.open():
            case RunEventsBatch(runs=runs):
                for recorded in runs:
                    self._deliver(recorded)
            case RunEventsRecorded() as recorded:
                self._deliver(recorded)
            case other:
                raise MalformedMessage(f"{other.TYPE} does not belong on {Channel.RUNS_EVENTS}")

    def _deliver(self, recorded: RunEventsRecorded) -> None:
        for queue in list(self._listeners.get(recorded.run_id, ())):
            for item in recorded.events:
                if queue.qsize() >= _QUEUE_LIMIT:
                    # A slow listener gets a gap marker and re-reads from the store.
                    queue.put_nowait(None)
                    break
                queue.put_nowait({"seq": item.seq, "type": item.type, "data": item.data})

    @asynccontextmanager
    async def listen(
        self, run_id: uuid.UUID
    ) -> AsyncIterator[asyncio.Queue[dict[str, Any] | None]]:
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._listeners[run_id].add(queue)
        try:
            yield queue
        finally:
            listeners = self._listeners.get(run_id)
            if listeners is not None:
                listeners.discard(queue)
                if not listeners:
                    del self._listeners[run_id]
