"""The schedule ticker over a simulated clock: two tickers against one PostgreSQL fire each
tick exactly once; missed ticks are skipped or caught up as the schedule says; a paused
schedule fires nothing. On SQLite too, except the race (one writer at a time there)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.bus import InMemoryBus
from raikoo_common.db import create_engine, tables
from raikoo_common.db.migrate import upgrade
from raikoo_common.messages import Envelope
from raikoo_common.outbox import OutboxRelay
from raikoo_gateway.auth.principal import Access, Principal
from raikoo_gateway.schedules import store
from raikoo_gateway.schedules.ticker import ScheduleTicker
from raikoo_gateway.service.runs import PRODUCER
from raikoo_gateway.service.tenancy import Tenant, ensure_default_tenant
from tests._budget import WAIT_SECONDS

T0 = datetime(2026, 1, 5, 8, 59, 30, tzinfo=UTC)
WORKFLOW = {"name": "tick", "operations": {"a": {"uses": "noop"}}}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        return make()
    return f"sqlite:///{tmp_path / 'db.sqlite'}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def postgres(
    make_postgres_database: Callable[[], str],
) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """A fresh PostgreSQL database at the schema's head: its URL and an engine on it."""
    url = make_postgres_database()
    engine = create_engine(url)
    await upgrade(engine)
    try:
        yield url, engine
    finally:
        await engine.dispose()


class RecordingBus(InMemoryBus):
    def __init__(self) -> None:
        super().__init__()
        self.requested: list[uuid.UUID] = []

    async def publish_many(self, items: Sequence[tuple[str, Envelope]]) -> None:
        self.requested += [
            uuid.UUID(e.payload["run_id"]) for channel, e in items if channel == "runs.requested"
        ]
        await super().publish_many(items)


class Tickers:
    """Tickers, each with an engine and an outbox relay of its own (as gateway replicas)."""

    def __init__(self) -> None:
        self.bus = RecordingBus()
        self.made: list[tuple[ScheduleTicker, AsyncEngine]] = []

    async def make(self, url: str) -> ScheduleTicker:
        engine = create_engine(url)
        relay = OutboxRelay(engine, self.bus, PRODUCER)
        await relay.start()
        ticker = ScheduleTicker(engine, relay, every=None)
        self.made.append((ticker, engine))
        return ticker

    async def close(self) -> None:
        for ticker, engine in self.made:
            await ticker.relay.stop()
            await engine.dispose()


@pytest.fixture
async def tickers() -> AsyncIterator[Tickers]:
    made = Tickers()
    try:
        yield made
    finally:
        await made.close()


async def _access(engine: AsyncEngine) -> Access:
    tenant = await ensure_default_tenant(engine)
    workflow_id = uuid.uuid4()
    async with engine.begin() as conn:
        common = {"org_id": tenant.org_id, "project_id": tenant.project_id, "created_at": T0}
        await conn.execute(
            sa.insert(tables.workflows).values(
                id=workflow_id, name="tick", latest_version=1, updated_at=T0, **common
            )
        )
        await conn.execute(
            sa.insert(tables.workflow_versions).values(
                id=uuid.uuid4(),
                workflow_id=workflow_id,
                version=1,
                definition=WORKFLOW,
                digest="0" * 64,
                **common,
            )
        )
    principal = Principal("key", uuid.uuid4(), "tests", tenant.org_id, "editor")
    return Access(tenant.org_id, tenant.project_id, principal)


async def _schedule(engine: AsyncEngine, access: Access, **fields: Any) -> uuid.UUID:
    spec = store.ScheduleSpec(
        **{
            "workflow": "tick",
            "version": None,
            "cron": "* * * * *",
            "timezone": "UTC",
            "inputs": {},
            "enabled": True,
            "missed": "skip",
            "max_catch_up": 10,
            "description": None,
        }
        | fields
    )
    async with engine.begin() as conn:
        return await store.create(conn, access, spec, T0)


async def _fired(engine: AsyncEngine, tenant: Tenant, schedule_id: uuid.UUID) -> list[str]:
    """The ticks fired (from the run requests' idempotency keys), in order."""
    rr = tables.run_requests.c
    prefix = f"schedule:{schedule_id}:"
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.select(rr.idempotency_key, rr.trigger).where(
                rr.org_id == tenant.org_id, rr.idempotency_key.startswith(prefix)
            )
        )
        found = [(row.idempotency_key, row.trigger) for row in rows]
    assert {trigger for _, trigger in found} <= {"schedule"}
    return sorted(key.removeprefix(prefix) for key, _ in found)


def _minutes(*hm: tuple[int, int]) -> list[str]:
    return [datetime(2026, 1, 5, h, m, tzinfo=UTC).isoformat() for h, m in hm]


@pytest.mark.integration
async def test_two_tickers_on_one_postgresql_fire_each_tick_exactly_once(
    postgres: tuple[str, AsyncEngine], tickers: Tickers
) -> None:
    url, engine = postgres
    access = await _access(engine)
    every_minute = await _schedule(engine, access)
    every_five = await _schedule(engine, access, cron="*/5 * * * *", timezone="Asia/Tokyo")
    one, two = await tickers.make(url), await tickers.make(url)
    started: list[uuid.UUID] = []
    now = T0
    for _ in range(90):  # 30 minutes in steps of 20 s, both tickers at every step
        now += timedelta(seconds=20)
        for runs in await asyncio.gather(one.tick(now), two.tick(now)):
            started += runs
    ticks = [datetime(2026, 1, 5, 9, m, tzinfo=UTC).isoformat() for m in range(30)]
    assert await _fired(engine, access, every_minute) == ticks
    assert await _fired(engine, access, every_five) == ticks[::5]
    assert len(started) == len(set(started)) == 30 + 6, "each tick started one run"
    assert sorted(tickers.bus.requested) == sorted(started), "each requested on the bus once"


@pytest.mark.integration
async def test_a_ticker_skips_a_schedule_another_one_is_firing_and_never_fires_it_twice(
    postgres: tuple[str, AsyncEngine], tickers: Tickers
) -> None:
    """While another transaction holds a schedule's row (a ticker firing it), tickers pass
    it over at once instead of waiting; one that read the tick as due before it was fired
    finds it claimed and writes nothing."""
    url, engine = postgres
    access = await _access(engine)
    schedule = await _schedule(engine, access)
    one, two = await tickers.make(url), await tickers.make(url)
    now = datetime(2026, 1, 5, 9, 0, 5, tzinfo=UTC)
    async with engine.connect() as holder:
        await holder.execute(
            sa.select(tables.schedules.c.id)
            .where(tables.schedules.c.id == schedule)
            .with_for_update()
        )
        passes = await asyncio.wait_for(asyncio.gather(one.tick(now), two.tick(now)), WAIT_SECONDS)
        assert [len(runs) for runs in passes] == [0, 0], "nothing fired, nobody waited"
        await holder.rollback()
    assert (one.claims_lost, two.claims_lost) == (1, 1)

    assert len(await one.tick(now)) == 1
    read_before = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # what two read as the next tick
    assert await two.fire(schedule, read_before, now) == []
    assert two.claims_lost == 2
    assert await _fired(engine, access, schedule) == _minutes((9, 0))


async def test_skip_passes_over_missed_ticks_and_catch_up_fires_the_latest(
    engine: AsyncEngine, database_url: str, tickers: Tickers
) -> None:
    access = await _access(engine)
    skipping = await _schedule(engine, access, missed="skip")
    catching_up = await _schedule(engine, access, missed="catch_up", max_catch_up=3)
    ticker = await tickers.make(database_url)
    await ticker.tick(T0 + timedelta(seconds=40))  # 09:00:10: on time
    await ticker.tick(datetime(2026, 1, 5, 9, 10, 30, tzinfo=UTC))  # nine minutes later
    await ticker.tick(datetime(2026, 1, 5, 9, 11, 5, tzinfo=UTC))
    assert await _fired(engine, access, skipping) == _minutes((9, 0), (9, 10), (9, 11))
    assert await _fired(engine, access, catching_up) == _minutes(
        (9, 0), (9, 7), (9, 8), (9, 9), (9, 10), (9, 11)
    )
    async with engine.connect() as conn:
        found = await store.get(conn, access, skipping)
    assert found is not None
    assert found["next_fire_at"] == datetime(2026, 1, 5, 9, 12, tzinfo=UTC)
    assert found["last_fired_at"] == datetime(2026, 1, 5, 9, 11, tzinfo=UTC)
    assert found["last_run_id"] is not None


async def test_a_paused_schedule_fires_nothing_and_resumes_from_now(
    engine: AsyncEngine, database_url: str, tickers: Tickers
) -> None:
    access = await _access(engine)
    schedule = await _schedule(engine, access)
    ticker = await tickers.make(database_url)
    paused_at = datetime(2026, 1, 5, 9, 0, 10, tzinfo=UTC)
    await ticker.tick(paused_at)
    async with engine.begin() as conn:
        assert await store.update(conn, access, schedule, {"enabled": False}, paused_at)
    await ticker.tick(datetime(2026, 1, 5, 9, 5, 10, tzinfo=UTC))
    resumed_at = datetime(2026, 1, 5, 9, 7, 30, tzinfo=UTC)
    async with engine.begin() as conn:
        assert await store.update(conn, access, schedule, {"enabled": True}, resumed_at)
    await ticker.tick(datetime(2026, 1, 5, 9, 8, 1, tzinfo=UTC))
    assert await _fired(engine, access, schedule) == _minutes((9, 0), (9, 8))


async def test_a_tick_that_cannot_start_its_run_is_recorded_and_the_schedule_goes_on(
    engine: AsyncEngine, database_url: str, tickers: Tickers
) -> None:
    access = await _access(engine)
    schedule = await _schedule(engine, access, version=1)
    async with engine.begin() as conn:  # the pinned version is gone (a restored backup…)
        await conn.execute(sa.update(tables.workflow_versions).values(version=2))
    ticker = await tickers.make(database_url)
    assert await ticker.tick(datetime(2026, 1, 5, 9, 0, 5, tzinfo=UTC)) == []
    async with engine.connect() as conn:
        found = await store.get(conn, access, schedule)
    assert found is not None
    assert "tick version 1 does not exist" in found["last_error"]
    assert found["next_fire_at"] == datetime(2026, 1, 5, 9, 1, tzinfo=UTC)
