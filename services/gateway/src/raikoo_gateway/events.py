"""Fan-out of run events from the bus to live listeners (SSE), per run.

Run events are stored with the change that made them and broadcast best effort, so a
listener can miss one (a scheduler that died between its commit and its broadcast). No
listener polls the database for that: one sweep per gateway process looks, every few
seconds, for watched runs whose stored events went past what the broadcasts brought —
one query for all of them — and tells their listeners to read the gap from the store.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.bus import Bus, DeadLetterSubscription, Subscription, log_and_drop
from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_common.event_loop import stop_task
from raikoo_common.messages import (
    Channel,
    Envelope,
    MalformedMessage,
    OperationOutputDelta,
    RunEventsBatch,
    RunEventsRecorded,
)

log = structlog.get_logger(__name__)

_QUEUE_LIMIT = 1000
Live = asyncio.Queue[dict[str, Any] | None]
"""A listener's events; None means "something was missed: read the store". An event without
a ``seq`` is transient (``operation.output_delta``): shown live, never stored or replayed."""


class EventHub:
    def __init__(
        self, bus: Bus, engine: AsyncEngine, max_deliveries: int, *, sweep_every: float = 5.0
    ) -> None:
        self._engine = engine
        self._sweep_every = sweep_every
        self._listeners: dict[uuid.UUID, set[Live]] = defaultdict(set)
        self._heard: dict[uuid.UUID, int] = {}
        """The highest event seq a broadcast brought, per watched run."""
        self._sweeper: asyncio.Task[None] | None = None
        bus.subscribe(Subscription(Channel.RUNS_EVENTS, self._on_event, 1, max_deliveries))
        bus.subscribe(DeadLetterSubscription(Channel.RUNS_EVENTS, log_and_drop, 1))

    async def start(self) -> None:
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="run-events-sweep")

    async def stop(self) -> None:
        await stop_task(self._sweeper)

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
            case OperationOutputDelta() as delta:
                self._deliver_transient(delta)
            case other:
                raise MalformedMessage(f"{other.TYPE} does not belong on {Channel.RUNS_EVENTS}")

    def _deliver(self, recorded: RunEventsRecorded) -> None:
        listeners = self._listeners.get(recorded.run_id)
        if not listeners:
            return
        if recorded.events:
            latest = recorded.events[-1].seq
            self._heard[recorded.run_id] = max(self._heard.get(recorded.run_id, 0), latest)
        for queue in list(listeners):
            for item in recorded.events:
                if queue.qsize() >= _QUEUE_LIMIT:
                    # A slow listener gets a gap marker and re-reads from the store.
                    queue.put_nowait(None)
                    break
                queue.put_nowait({"seq": item.seq, "type": item.type, "data": item.data})

    def _deliver_transient(self, delta: OperationOutputDelta) -> None:
        event = {"type": delta.TYPE, "data": delta.model_dump(mode="json")}
        for queue in list(self._listeners.get(delta.run_id, ())):
            if queue.qsize() < _QUEUE_LIMIT:  # a slow listener misses text, not state
                queue.put_nowait(event)

    def seen(self, run_id: uuid.UUID, seq: int) -> None:
        """A listener of ``run_id`` has every event up to ``seq`` (from the store)."""
        if run_id in self._listeners:
            self._heard[run_id] = max(self._heard.get(run_id, 0), seq)

    @asynccontextmanager
    async def listen(self, run_id: uuid.UUID) -> AsyncIterator[Live]:
        queue: Live = asyncio.Queue()
        self._listeners[run_id].add(queue)
        try:
            yield queue
        finally:
            listeners = self._listeners.get(run_id)
            if listeners is not None:
                listeners.discard(queue)
                if not listeners:
                    del self._listeners[run_id]
                    self._heard.pop(run_id, None)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_every)
            try:
                await self.sweep()
            except Exception:
                log.warning("run events sweep failed; will retry", exc_info=True)

    async def sweep(self) -> None:
        """Tell the listeners of every watched run whose stored events went past what the
        broadcasts brought to read the store (one query, whatever the listener count)."""
        watched = list(self._listeners)
        if not watched:
            return
        e = t.run_events.c
        query = (
            sa.select(e.run_id, sa.func.max(e.seq).label("seq"))
            .where(e.run_id.in_(watched))
            .group_by(e.run_id)
        )
        async with read_only(self._engine) as conn:
            stored = {row.run_id: row.seq for row in await conn.execute(query)}
        for run_id, seq in stored.items():
            if seq > self._heard.get(run_id, 0):
                self._heard[run_id] = seq
                for queue in list(self._listeners.get(run_id, ())):
                    queue.put_nowait(None)
