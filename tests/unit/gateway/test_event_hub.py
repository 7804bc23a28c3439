"""The gateway's live-event hub: a listener gets its run's events, from single-run messages
and from batches of several runs, and nothing of other runs."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from raikoo_common.bus import InMemoryBus
from raikoo_common.db import tables
from raikoo_common.messages import (
    Channel,
    Envelope,
    RecordedEvent,
    RunEventsBatch,
    RunEventsRecorded,
)
from raikoo_gateway.events import EventHub


def _recorded(run_id: uuid.UUID, *seqs: int) -> RunEventsRecorded:
    events = [RecordedEvent(seq=s, type="run.state_changed", data={"seq": s}) for s in seqs]
    return RunEventsRecorded(run_id=run_id, events=events)


async def _next(queue: asyncio.Queue[dict[str, Any] | None]) -> dict[str, Any] | None:
    return await asyncio.wait_for(queue.get(), 2)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """The run_events table alone: SQLite without foreign keys (no runs to point to)."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'events.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(tables.run_events.create)
    yield engine
    await engine.dispose()


async def test_a_listener_gets_its_runs_events_from_single_messages_and_batches(
    engine: AsyncEngine,
) -> None:
    bus = InMemoryBus()
    hub = EventHub(bus, engine, max_deliveries=3)
    await bus.start()
    org, mine, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        async with hub.listen(mine) as queue:
            batch = RunEventsBatch(runs=[_recorded(other, 1, 2), _recorded(mine, 1, 2)])
            await bus.publish(Channel.RUNS_EVENTS, Envelope.wrap(batch, org_id=org))
            single = Envelope.wrap(_recorded(mine, 3), org_id=org, run_id=mine)
            await bus.publish(Channel.RUNS_EVENTS, single)
            ignored = Envelope.wrap(_recorded(other, 3), org_id=org, run_id=other)
            await bus.publish(Channel.RUNS_EVENTS, ignored)
            seqs = [item["seq"] for item in [await _next(queue) for _ in range(3)] if item]
            assert seqs == [1, 2, 3]
            await asyncio.sleep(0.05)
            assert queue.empty(), "events of another run reached this listener"
    finally:
        await bus.stop()


async def test_one_sweep_tells_listeners_of_events_no_broadcast_brought(
    engine: AsyncEngine,
) -> None:
    """A broadcast was lost (its scheduler died after the commit): the listeners are told
    to read the store, by one query for every watched run, not by polling each."""
    hub = EventHub(InMemoryBus(), engine, max_deliveries=3, sweep_every=3600)
    run, quiet = uuid.uuid4(), uuid.uuid4()
    async with hub.listen(run) as queue, hub.listen(quiet) as quiet_queue:
        hub.seen(run, 1)
        await hub.sweep()
        assert queue.empty()
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(tables.run_events),
                [
                    {
                        "org_id": uuid.uuid4(),
                        "run_id": run,
                        "seq": seq,
                        "type": "run.state_changed",
                        "state": "running",
                        "data": {},
                        "created_at": datetime.now(UTC),
                    }
                    for seq in (1, 2, 3)
                ],
            )
        await hub.sweep()
        assert await _next(queue) is None  # read the store
        assert quiet_queue.empty()
        hub.seen(run, 3)
        await hub.sweep()
        assert queue.empty()
