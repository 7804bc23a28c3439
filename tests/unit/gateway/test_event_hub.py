"""The gateway's live-event hub: a listener gets its run's events, from single-run messages
and from batches of several runs, and nothing of other runs."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from raikoo_common.bus import InMemoryBus
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


async def test_a_listener_gets_its_runs_events_from_single_messages_and_batches() -> None:
    bus = InMemoryBus()
    hub = EventHub(bus, max_deliveries=3)
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
