"""The scheduler on PostgreSQL: two replicas over one database (a replica whose cached run
is stale writes nothing, and its commands are applied again on the run as it is now), and
a runner's batch of results applied like each result alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import asyncpg
import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.bus.memory import InMemoryBus
from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.engine import create_engine
from raikoo_common.db.migrate import upgrade
from raikoo_common.messages import (
    Channel,
    Envelope,
    OperationReady,
    OperationResults,
    OperationSucceeded,
    RunRequested,
    RunResult,
)
from raikoo_common.outbox import OutboxRelay
from raikoo_gateway.catalog import full_catalog
from raikoo_gateway.service.tenancy import ensure_default_tenant
from raikoo_gateway.service.workflows import store_version
from raikoo_scheduler import engine as scheduling
from raikoo_scheduler.adapters import _pg_commit
from raikoo_scheduler.adapters._pg_commit import UPDATE_UNIT
from raikoo_scheduler.adapters.sql_store import PRODUCER, SqlRunStore
from raikoo_scheduler.commands import StartRun
from raikoo_scheduler.handlers import subscriptions
from raikoo_scheduler.leases import Leases
from raikoo_scheduler.plans import PlanCache
from raikoo_scheduler.ports import StaleRun
from raikoo_scheduler.service import Scheduler
from tests._access import owner_of

pytestmark = pytest.mark.integration

DEFINITION = {
    "name": "join",
    "operations": {
        "a": {"uses": "noop"},
        "b": {"uses": "noop"},
        "c": {"uses": "noop", "needs": ["a", "b"]},
    },
}


@pytest.fixture
async def database(
    make_postgres_database: Callable[[], str],
) -> AsyncIterator[tuple[AsyncEngine, RunRequested, uuid.UUID]]:
    engine = create_engine(make_postgres_database())
    await upgrade(engine)
    tenant = await ensure_default_tenant(engine)
    kinds = {name: kind.config for name, kind in full_catalog().items()}
    async with engine.begin() as conn:
        stored = await store_version(conn, owner_of(tenant), DEFINITION, kinds)
    request = RunRequested(
        run_id=uuid.uuid4(),
        project_id=tenant.project_id,
        workflow_version_id=stored.version_id,
        inputs={},
        requested_at=utcnow(),
    )
    try:
        yield engine, request, tenant.org_id
    finally:
        await engine.dispose()


def _scheduler(engine: AsyncEngine, bus: InMemoryBus | None = None) -> Scheduler:
    bus = bus or InMemoryBus()
    relay = OutboxRelay(engine, bus, PRODUCER)
    store = SqlRunStore(engine, PlanCache(), outbox_owner=relay.owner)
    return Scheduler(store, relay, bus, Leases())


async def _ops(engine: AsyncEngine, run_id: uuid.UUID) -> dict[str, Any]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.select(t.operation_runs).where(t.operation_runs.c.run_id == run_id)
        )
        return {row.op_key: row for row in rows}


async def _counts(engine: AsyncEngine, run_id: uuid.UUID) -> tuple[int, int, int]:
    async with engine.connect() as conn:
        version = await conn.scalar(sa.select(t.runs.c.version).where(t.runs.c.id == run_id))
        events = await conn.scalar(
            sa.select(sa.func.count()).where(t.run_events.c.run_id == run_id)
        )
        outbox = await conn.scalar(sa.select(sa.func.count()).select_from(t.outbox))
    return int(version or 0), int(events or 0), int(outbox or 0)


def _done(op: Any) -> OperationSucceeded:
    now = utcnow()
    return OperationSucceeded(
        op_run_id=op.id,
        attempt=op.attempt,
        output={"key": op.op_key},
        started_at=now - timedelta(milliseconds=1),
        finished_at=now,
    )


async def _serving(engine: AsyncEngine) -> tuple[Scheduler, InMemoryBus]:
    bus = InMemoryBus(dead_letter_retry_delay=0.01)
    scheduler = _scheduler(engine, bus)
    for subscription in subscriptions(scheduler, concurrency=4, max_deliveries=2):
        bus.subscribe(subscription)
    await bus.start()
    return scheduler, bus


async def test_a_stale_unit_writes_nothing(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
) -> None:
    engine, request, org_id = database
    first, second = _scheduler(engine), _scheduler(engine)
    await first.submit(request.run_id, StartRun(request, org_id))  # cached by `first`
    ops = await _ops(engine, request.run_id)
    await second.submit(request.run_id, _done(ops["a"]))  # `second` moves the run on
    before = await _counts(engine, request.run_id)

    async def apply_on_the_stale_copy() -> None:
        async with first.store.unit(request.run_id, utcnow()) as unit:
            assert unit is not None
            assert await scheduling.apply_result(unit, _done(ops["b"]), Leases())
            await unit.flush()

    with pytest.raises(StaleRun):
        await apply_on_the_stale_copy()

    assert await _counts(engine, request.run_id) == before
    assert (await _ops(engine, request.run_id))["b"].state == "ready"


async def test_a_stale_replica_applies_its_commands_again_on_fresh_state(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
) -> None:
    engine, request, org_id = database
    first, second = _scheduler(engine), _scheduler(engine)
    await first.submit(request.run_id, StartRun(request, org_id))
    ops = await _ops(engine, request.run_id)
    await second.submit(request.run_id, _done(ops["a"]))
    await first.submit(request.run_id, _done(ops["b"]))  # stale cache: retried, locked

    after = await _ops(engine, request.run_id)
    assert {key: op.state for key, op in after.items()} == {
        "a": "succeeded",
        "b": "succeeded",
        "c": "ready",
    }
    assert after["b"].output == {"key": "b"}
    async with engine.connect() as conn:
        succeeded = (
            await conn.execute(
                sa.select(t.run_events.c.op_key).where(
                    t.run_events.c.run_id == request.run_id, t.run_events.c.state == "succeeded"
                )
            )
        ).all()
        bodies = (await conn.execute(sa.select(t.outbox.c.body))).scalars().all()
    assert sorted(row.op_key for row in succeeded) == ["a", "b"]
    dispatched = [
        message.op_key
        for message in (Envelope.decode(body).open() for body in bodies)
        if isinstance(message, OperationReady)
    ]
    assert sorted(dispatched) == ["a", "b", "c"], "each operation dispatched exactly once"
    # The replica that was stale caches the fresh run again and goes on without a conflict.
    await first.submit(request.run_id, _done(after["c"]))
    async with engine.connect() as conn:
        run = (await conn.execute(sa.select(t.runs).where(t.runs.c.id == request.run_id))).one()
    assert run.state == "succeeded"
    assert run.error is None


async def test_a_batch_of_results_is_applied_like_each_result_alone(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
) -> None:
    engine, request, org_id = database
    scheduler, bus = await _serving(engine)
    try:
        await scheduler.submit(request.run_id, StartRun(request, org_id))
        ops = await _ops(engine, request.run_id)
        a, b = _done(ops["a"]), _done(ops["b"])
        batch = OperationResults(  # the duplicate is ignored
            results=[RunResult(run_id=request.run_id, result=r) for r in (a, b, a)]
        )
        await bus.publish(
            Channel.OPS_FINISHED, Envelope.wrap(batch, org_id=org_id, run_id=request.run_id)
        )
        async with asyncio.timeout(10):
            while (await _ops(engine, request.run_id))["c"].state != "ready":  # noqa: ASYNC110
                await asyncio.sleep(0.02)  # polls the database: nothing to wait on
    finally:
        await bus.stop()
    async with engine.connect() as conn:
        succeeded = await conn.scalars(
            sa.select(t.run_events.c.op_key).where(
                t.run_events.c.run_id == request.run_id, t.run_events.c.state == "succeeded"
            )
        )
        assert sorted(succeeded) == ["a", "b"]
        # Written by the one-statement path: no output yet is SQL NULL, read back as None.
        ready = await conn.execute(
            sa.select(t.operation_runs.c.output, t.operation_runs.c.output.is_(None)).where(
                t.operation_runs.c.run_id == request.run_id, t.operation_runs.c.op_key == "c"
            )
        )
        assert ready.one() == (None, True)


async def _parked(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
    envelope_for: Callable[[dict[str, Any]], Envelope],
) -> str:
    """Start the run, publish ``envelope_for(its operation runs)`` as a runner's result
    message, and give the reason it was parked for."""
    engine, request, org_id = database
    scheduler, bus = await _serving(engine)
    try:
        await scheduler.submit(request.run_id, StartRun(request, org_id))
        await bus.publish(Channel.OPS_FINISHED, envelope_for(await _ops(engine, request.run_id)))
        async with asyncio.timeout(10):
            while not bus.parked:  # noqa: ASYNC110
                await asyncio.sleep(0.02)  # the bus keeps a list: nothing to wait on
    finally:
        await bus.stop()
    [(_, reason)] = bus.parked
    return reason


async def test_a_malformed_result_in_a_batch_holds_back_none_of_the_others(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
) -> None:
    engine, request, org_id = database

    def with_a_broken_result(ops: dict[str, Any]) -> Envelope:
        good = [
            {"run_id": str(request.run_id), "result": _done(ops[key]).model_dump(mode="json")}
            for key in ("a", "b")
        ]
        broken = {"run_id": str(request.run_id), "result": {"op_run_id": "not-a-uuid"}}
        return Envelope(
            type=OperationResults.TYPE,
            org_id=org_id,
            payload={"results": [good[0], broken, good[1]]},
        )

    reason = await _parked(database, with_a_broken_result)
    assert "1 of 3 results are invalid" in reason
    assert "results.1" in reason
    after = await _ops(engine, request.run_id)
    assert (after["a"].state, after["b"].state, after["c"].state) == (
        "succeeded",
        "succeeded",
        "ready",
    ), "the valid results were applied, once, despite the retries of the message"
    async with engine.connect() as conn:
        succeeded = await conn.scalar(
            sa.select(sa.func.count()).where(
                t.run_events.c.run_id == request.run_id, t.run_events.c.state == "succeeded"
            )
        )
    assert succeeded == 2


async def test_a_result_sent_for_another_organisation_is_refused(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
) -> None:
    engine, request, _ = database
    intruder = uuid.uuid4()
    reason = await _parked(
        database,
        lambda ops: Envelope.wrap(_done(ops["a"]), org_id=intruder, run_id=request.run_id),
    )
    assert f"came from organisation {intruder}" in reason
    assert (await _ops(engine, request.run_id))["a"].state == "ready", "nothing was applied"


async def test_units_leave_connections_for_the_relay_and_the_timers(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
) -> None:
    """Many runs at once (a batch of results of 200 runs is 200 units) wait for a unit slot,
    not in the pool, where a checkout gives up after 30 s; two connections stay free."""
    big, request, org_id = database
    engine = create_engine(big.url.render_as_string(hide_password=False), pool_size=5)
    scheduler = _scheduler(engine)
    peak = 0

    async def sample() -> None:
        nonlocal peak
        while True:
            peak = max(peak, engine.pool.checkedout())  # type: ignore[attr-defined]
            await asyncio.sleep(0)

    sampler = asyncio.create_task(sample())
    requests = [request.model_copy(update={"run_id": uuid.uuid4()}) for _ in range(40)]
    try:
        await asyncio.gather(*(scheduler.submit(r.run_id, StartRun(r, org_id)) for r in requests))
        firsts = [(r.run_id, (await _ops(engine, r.run_id))["a"]) for r in requests]
        await asyncio.gather(*(scheduler.submit(run_id, _done(a)) for run_id, a in firsts))
    finally:
        sampler.cancel()
        await engine.dispose()
    assert 1 < peak <= 3
    async with big.connect() as conn:
        done = await conn.scalar(
            sa.select(sa.func.count()).where(
                t.operation_runs.c.op_key == "a", t.operation_runs.c.state == "succeeded"
            )
        )
    assert done == 40


async def test_a_units_statement_finds_operation_runs_by_primary_key_whatever_the_plan(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
) -> None:
    """A young database's statistics lag behind its tables, and the generic plan cached on
    a connection outlives them. Joined to a JSON record set (which the planner takes for
    100 rows), ``operation_runs`` was scanned whole for every unit of work; written as an
    upsert, each row is found through the primary key by the conflict check, whatever the
    plan. (Planned here on a table whose statistics say it is tiny, as it was.)"""
    engine, request, org_id = database
    await _scheduler(engine).submit(request.run_id, StartRun(request, org_id))
    op = next(iter((await _ops(engine, request.run_id)).values()))
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute("ANALYZE runs, operation_runs")
        await driver.execute("SET plan_cache_mode = force_generic_plan")
        await driver.execute(f"PREPARE unit AS {UPDATE_UNIT}")
        run_row = orjson.dumps({"id": str(request.run_id)}).decode()
        op_rows = orjson.dumps([{"id": str(op.id)}]).decode()
        plan = "\n".join(
            row[0]
            for row in await driver.fetch(
                f"EXPLAIN EXECUTE unit('{run_row}', 0, '{op_rows}', '{{}}', '[]', '{{}}', "
                f"'{{}}', '{{}}', 'p', now(), NULL, '{request.run_id}')"
            )
        )
        await conn.rollback()
    assert "Seq Scan on operation_runs" not in plan, plan
    assert "Conflict Arbiter Indexes: pk_operation_runs" in plan, plan


async def _runs_together(
    engine: AsyncEngine, request: RunRequested, org_id: uuid.UUID, first: Scheduler, count: int
) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    """``count`` runs of the join workflow started by ``first``, with their operation runs."""
    requests = [request.model_copy(update={"run_id": uuid.uuid4()}) for _ in range(count)]
    for r in requests:
        await first.submit(r.run_id, StartRun(r, org_id))
    return [(r.run_id, await _ops(engine, r.run_id)) for r in requests]


async def _dispatched(engine: AsyncEngine) -> dict[uuid.UUID, list[str]]:
    async with engine.connect() as conn:
        bodies = (await conn.execute(sa.select(t.outbox.c.body))).scalars().all()
    by_run: dict[uuid.UUID, list[str]] = {}
    for message in (Envelope.decode(body).open() for body in bodies):
        if isinstance(message, OperationReady):
            by_run.setdefault(message.run_id, []).append(message.op_key)
    return {run_id: sorted(keys) for run_id, keys in by_run.items()}


def _first_writer_waits_for_the_line(
    monkeypatch: pytest.MonkeyPatch, store: SqlRunStore, count: int
) -> list[uuid.UUID]:
    """The first unit to write (alone) holds its statement until ``count`` units stand in
    line behind it, however slow the machine: they then go as one group. Returns the run
    that wrote alone, once it is writing."""
    real = _pg_commit.commit_unit
    slowed: list[uuid.UUID] = []

    async def gated(driver: Any, write: Any, owner: Any) -> bool:
        if not slowed:
            slowed.append(write.run_id)
            async with asyncio.timeout(60):
                while len(store._group._line) < count:  # type: ignore[union-attr]  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
        return await real(driver, write, owner)

    monkeypatch.setattr(_pg_commit, "commit_unit", gated)
    return slowed


async def _writing_alone(slowed: list[uuid.UUID]) -> None:
    async with asyncio.timeout(60):
        while not slowed:  # noqa: ASYNC110 - waits for the first unit to be writing
            await asyncio.sleep(0.01)


@pytest.fixture
def groups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every group statement written (``commit_units`` calls)."""
    sizes: list[int] = []
    real = _pg_commit.commit_units

    async def counted(driver: Any, writes: Any, owner: Any) -> set[uuid.UUID]:
        sizes.append(len(writes))
        return await real(driver, writes, owner)

    monkeypatch.setattr(_pg_commit, "commit_units", counted)
    return sizes


async def test_units_of_runs_that_finish_together_share_a_statement(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
    groups: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, request, org_id = database
    scheduler = _scheduler(engine)
    assert isinstance(scheduler.store, SqlRunStore)
    runs = await _runs_together(engine, request, org_id, scheduler, 12)
    _first_writer_waits_for_the_line(monkeypatch, scheduler.store, len(runs) - 1)
    for key in ("a", "b"):
        await asyncio.gather(*(scheduler.submit(run_id, _done(ops[key])) for run_id, ops in runs))

    assert groups[0] == len(runs) - 1, "units waiting for a statement went as a group"
    dispatched = await _dispatched(engine)
    for run_id, _ in runs:
        after = await _ops(engine, run_id)
        assert {key: op.state for key, op in after.items()} == {
            "a": "succeeded",
            "b": "succeeded",
            "c": "ready",
        }
        assert after["a"].output == {"key": "a"}
        assert dispatched[run_id] == ["a", "b", "c"], "each operation dispatched once"
    async with engine.connect() as conn:
        events = await conn.execute(
            sa.select(t.run_events.c.run_id, sa.func.count()).group_by(t.run_events.c.run_id)
        )
        assert len({count for _, count in events}) == 1, "every run recorded the same events"


async def test_a_stale_unit_in_a_group_writes_nothing_and_the_others_are_written(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
    groups: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, request, org_id = database
    first, second = _scheduler(engine), _scheduler(engine)
    runs = await _runs_together(engine, request, org_id, first, 12)
    moved_on, moved_ops = runs[5]
    await second.submit(moved_on, _done(moved_ops["a"]))  # `first`'s copy is now stale

    assert isinstance(first.store, SqlRunStore)
    slowed = _first_writer_waits_for_the_line(monkeypatch, first.store, len(runs) - 1)
    leader, *others = [(run_id, ops) for run_id, ops in runs if run_id != moved_on]
    leading = asyncio.create_task(first.submit(leader[0], _done(leader[1]["b"])))
    await _writing_alone(slowed)
    await asyncio.gather(
        *(first.submit(run_id, _done(ops["b"])) for run_id, ops in [*others, runs[5]])
    )
    await leading

    assert slowed == [leader[0]]
    assert groups[0] == len(runs) - 1, "all but the leader wrote as one group"
    for run_id, _ in runs:
        after = await _ops(engine, run_id)
        assert after["b"].state == "succeeded"
        assert after["c"].state == ("ready" if run_id == moved_on else "pending")
    assert (await _dispatched(engine))[moved_on] == ["a", "b", "c"]
    async with engine.connect() as conn:
        events = await conn.scalars(
            sa.select(t.run_events.c.op_key).where(
                t.run_events.c.run_id == moved_on, t.run_events.c.state == "succeeded"
            )
        )
        assert sorted(events) == ["a", "b"], "the stale unit's events were not written"


async def test_a_group_the_database_refuses_is_written_unit_by_unit(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A unit the database refuses must not fail the others of its group: refused as a
    group, each unit is written alone (and only the refused one fails)."""
    engine, request, org_id = database
    scheduler = _scheduler(engine)
    runs = await _runs_together(engine, request, org_id, scheduler, 8)
    refused: list[int] = []

    async def refuse(driver: Any, writes: Any, owner: Any) -> set[uuid.UUID]:
        refused.append(len(writes))
        raise asyncpg.exceptions.CheckViolationError("refused as a group")

    monkeypatch.setattr(_pg_commit, "commit_units", refuse)
    await asyncio.gather(*(scheduler.submit(run_id, _done(ops["a"])) for run_id, ops in runs))

    assert refused, "a group was tried"
    for run_id, _ in runs:
        assert (await _ops(engine, run_id))["a"].state == "succeeded"


async def test_a_group_writer_cancelled_midway_tells_the_others_to_apply_again(
    database: tuple[AsyncEngine, RunRequested, uuid.UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The others cannot know whether the group was written: each is told ``StaleRun``
    (and applies its commands again, locked); the line goes on for the units after them."""
    engine, request, org_id = database
    scheduler = _scheduler(engine)
    store = scheduler.store
    assert isinstance(store, SqlRunStore)
    runs = await _runs_together(engine, request, org_id, scheduler, 6)
    slowed = _first_writer_waits_for_the_line(monkeypatch, store, 4)
    writer: list[asyncio.Task[Any]] = []
    release = asyncio.Event()

    async def stuck_group(driver: Any, writes: Any, owner: Any) -> set[uuid.UUID]:
        task = asyncio.current_task()
        assert task is not None
        writer.append(task)
        await release.wait()  # never set: the writer is cancelled here
        return set()

    monkeypatch.setattr(_pg_commit, "commit_units", stuck_group)

    async def flush(run_id: uuid.UUID, op: Any) -> None:
        async with store.unit(run_id, utcnow()) as unit:
            assert unit is not None
            assert await scheduling.apply_result(unit, _done(op), Leases())
            await unit.flush()

    first = asyncio.create_task(flush(runs[0][0], runs[0][1]["a"]))
    await _writing_alone(slowed)
    rest = [asyncio.create_task(flush(run_id, ops["a"])) for run_id, ops in runs[1:5]]
    async with asyncio.timeout(60):
        while not writer:  # noqa: ASYNC110 - waits for the group's writer to show up
            await asyncio.sleep(0.01)
    writer[0].cancel()
    async with asyncio.timeout(60):  # nobody is left waiting for a turn
        outcomes = await asyncio.gather(first, *rest, return_exceptions=True)

    assert outcomes[0] is None, "the unit written alone was written"
    cancelled = [o for o in outcomes if isinstance(o, asyncio.CancelledError)]
    stale = [o for o in outcomes if isinstance(o, StaleRun)]
    assert (len(cancelled), len(stale)) == (1, 3), outcomes
    for run_id, _ in runs[1:5]:
        assert (await _ops(engine, run_id))["a"].state == "ready", "nothing of theirs written"
    # The line is not left busy: the next unit writes at once, alone.
    async with asyncio.timeout(60):
        await flush(runs[5][0], runs[5][1]["a"])
    assert (await _ops(engine, runs[5][0]))["a"].state == "succeeded"
