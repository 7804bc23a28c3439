"""The outbox publishes each row once in the normal case: only its owner re-sends a row whose
publish failed, and another process adopts an owner's rows only once that owner's lease
is over or released (DESIGN.md §4). On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.bus import InMemoryBus, Subscription
from raikoo_common.clock import utcnow
from raikoo_common.db import create_engine, tables
from raikoo_common.db.engine import read_only
from raikoo_common.db.migrate import upgrade
from raikoo_common.messages import Envelope
from raikoo_common.outbox import OutboxMessage, OutboxOwner, OutboxRelay, insert_outbox
from tests._budget import WAIT_SECONDS

WORK = "jobs"
PRODUCER = "tester"
WAIT = WAIT_SECONDS


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    if request.param == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        url = make()
    else:
        url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = create_engine(url)
    await upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


class CountingBus(InMemoryBus):
    """The in-memory bus, counting what it was asked to publish and refusing while
    ``broken`` (a broker that is down)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: Counter[uuid.UUID] = Counter()
        self.broken = False

    async def publish_many(self, items: Sequence[tuple[str, Envelope]]) -> None:
        if self.broken:
            raise ConnectionError("broker unreachable")
        self.sent.update(envelope.id for _, envelope in items)
        await super().publish_many(items)


def _envelopes(count: int) -> list[Envelope]:
    return [Envelope(type="test.ping", org_id=uuid.uuid4(), payload={"n": n}) for n in range(count)]


async def _write(
    engine: AsyncEngine, writer: OutboxRelay | OutboxOwner, count: int
) -> list[OutboxMessage]:
    owner = writer.owner if isinstance(writer, OutboxRelay) else writer
    async with engine.begin() as conn:
        return await insert_outbox(conn, owner, [(WORK, e) for e in _envelopes(count)], utcnow())


async def _crashed_owner(engine: AsyncEngine, lease: float) -> OutboxOwner:
    """A process that registered, wrote rows and died before publishing them."""
    owner, now = OutboxOwner(PRODUCER), utcnow()
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(tables.outbox_owners).values(
                id=owner.id,
                producer=PRODUCER,
                started_at=now,
                expires_at=now + timedelta(seconds=lease),
            )
        )
    return owner


async def _rows(engine: AsyncEngine) -> int:
    async with read_only(engine) as conn:
        return int(await conn.scalar(sa.select(sa.func.count()).select_from(tables.outbox)) or 0)


async def _eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Poll: the relays change the database in the background, with no event to wait on."""
    for _ in range(int(WAIT / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {what} within {WAIT:g}s")


async def _drained(engine: AsyncEngine) -> None:
    async def empty() -> bool:
        return await _rows(engine) == 0

    await _eventually(empty, "empty outbox")


@contextlib.asynccontextmanager
async def _two_replicas(engine: AsyncEngine) -> AsyncIterator[tuple[OutboxRelay, OutboxRelay]]:
    first = OutboxRelay(engine, CountingBus(), PRODUCER, interval=0.05)
    second = OutboxRelay(engine, CountingBus(), PRODUCER, interval=0.05)
    await first.start()
    await second.start()
    try:
        yield first, second
    finally:
        await first.stop()
        await second.stop()


def _sent(relay: OutboxRelay) -> Counter[uuid.UUID]:
    assert isinstance(relay.bus, CountingBus)
    return relay.bus.sent


async def test_rows_published_by_their_owner_are_never_sent_again(engine: AsyncEngine) -> None:
    """A busy replica's rows wait for deletion a while after their confirm; the other
    replicas' relays must not take them for orphans (that sent ~8,000 twice under load)."""
    async with _two_replicas(engine) as (first, second):
        sent: list[OutboxMessage] = []
        for _ in range(5):
            rows = await _write(engine, first, 40)
            first.publish_soon(rows)
            sent.extend(rows)
            await asyncio.sleep(0.1)  # several relay passes of both
        await _drained(engine)
    assert _sent(first) == Counter({m.id: 1 for m in sent})
    assert not _sent(second)


async def test_a_failed_publish_is_sent_again_by_its_owner_only(engine: AsyncEngine) -> None:
    async with _two_replicas(engine) as (first, second):
        rows = await _write(engine, first, 10)
        assert isinstance(first.bus, CountingBus)
        first.bus.broken = True
        await first.publish(rows)  # kept, not raised: the rows are committed
        await asyncio.sleep(0.2)
        assert await _rows(engine) == 10
        first.bus.broken = False
        await _drained(engine)
    assert _sent(first) == Counter({m.id: 1 for m in rows})
    assert not _sent(second)


async def test_rows_of_a_crashed_owner_are_adopted_once_its_lease_is_over(
    engine: AsyncEngine,
) -> None:
    heir_bus = CountingBus()
    dead = await _crashed_owner(engine, lease=1.0)
    rows = await _write(engine, dead, 25)
    heir = OutboxRelay(engine, heir_bus, PRODUCER, lease=1.0, interval=0.05)
    await heir.start()
    try:
        assert not heir_bus.sent, "adopted while the owner's lease still ran"
        await _drained(engine)
    finally:
        await heir.stop()
    assert heir_bus.sent == Counter({m.id: 1 for m in rows})


async def test_a_graceful_stop_releases_what_it_could_not_send(engine: AsyncEngine) -> None:
    first_bus, heir_bus = CountingBus(), CountingBus()
    first = OutboxRelay(engine, first_bus, PRODUCER, lease=60, interval=0.05)
    await first.start()
    rows = await _write(engine, first, 5)
    first_bus.broken = True
    first.publish_soon(rows)
    await first.stop()
    heir = OutboxRelay(engine, heir_bus, PRODUCER, lease=60, interval=0.05)
    await heir.start()  # adopts at once: no lease of 60 s to wait for
    try:
        assert heir_bus.sent == Counter({m.id: 1 for m in rows})
        await _drained(engine)
    finally:
        await heir.stop()
    assert heir_bus.sent == Counter({m.id: 1 for m in rows})


async def test_an_owner_whose_lease_lapsed_stops_sending_its_old_rows(
    engine: AsyncEngine,
) -> None:
    """A process paused past its lease may find its rows adopted: it must not send them
    too, and carries on under a new id."""
    slow_bus, heir_bus = CountingBus(), CountingBus()
    slow = OutboxRelay(engine, slow_bus, PRODUCER, lease=0.6, interval=0.05)
    await slow.start()
    old_id = slow.owner.id
    rows = await _write(engine, slow, 8)
    slow_bus.broken = True
    await slow.publish(rows)  # kept for a retry that must not happen any more
    async with engine.begin() as conn:  # the lease ran out while it was paused
        await conn.execute(
            sa.update(tables.outbox_owners)
            .where(tables.outbox_owners.c.id == old_id)
            .values(expires_at=utcnow() - timedelta(seconds=10))
        )
    slow._valid_until = utcnow() - timedelta(seconds=1)
    slow_bus.broken = False
    heir = OutboxRelay(engine, heir_bus, PRODUCER, lease=0.6, interval=0.05)
    await heir.start()
    try:
        await _drained(engine)

        async def renamed() -> bool:
            return slow.owner.id != old_id

        await _eventually(renamed, "new owner id")
        later = await _write(engine, slow, 3)
        slow.publish_soon(later)
        await _drained(engine)
    finally:
        await heir.stop()
        await slow.stop()
    assert heir_bus.sent + slow_bus.sent == Counter({m.id: 1 for m in [*rows, *later]})
    assert set(slow_bus.sent) >= {m.id for m in later}


async def test_an_exclusive_process_adopts_every_row_at_start(engine: AsyncEngine) -> None:
    """Embedded mode holds the data-directory lock: its previous run is gone for sure."""
    previous = await _crashed_owner(engine, lease=3600)
    rows = await _write(engine, previous, 4)
    bus = CountingBus()
    received: list[Envelope] = []

    async def take(envelope: Envelope) -> None:
        received.append(envelope)

    bus.subscribe(Subscription(WORK, take))
    await bus.start()
    now = OutboxRelay(engine, bus, PRODUCER, lease=3600, exclusive=True)
    await now.start()
    try:
        await _drained(engine)

        async def all_received() -> bool:
            return len(received) == 4

        await _eventually(all_received, "four messages received")
    finally:
        await now.stop()
        await bus.stop()
    assert bus.sent == Counter({m.id: 1 for m in rows})


async def test_a_stop_just_after_a_wake_stops(engine: AsyncEngine) -> None:
    """The relay's wait for its wake and a cancel landing together must end the relay: on
    Python 3.11 asyncio.wait_for returned the wake instead, and stop() waited for ever."""
    for ticks in range(4):  # the cancel lands 0-3 loop turns after the wake
        bus = CountingBus()
        relay = OutboxRelay(engine, bus, PRODUCER, interval=60.0)
        await relay.start()
        await asyncio.sleep(0.01)  # the relay waits for its wake
        rows = await _write(engine, relay, 3)
        bus.broken = True
        await relay.publish(rows)  # fails, is kept, and wakes the relay
        bus.broken = False
        for _ in range(ticks):
            await asyncio.sleep(0)
        async with asyncio.timeout(WAIT):
            await relay.stop()
        assert bus.sent == Counter({m.id: 1 for m in rows}), f"cancel after {ticks} turns"
