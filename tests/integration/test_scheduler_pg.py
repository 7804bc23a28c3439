"""The scheduler on PostgreSQL: two replicas over one database (a replica whose cached run
is stale writes nothing, and its commands are applied again on the run as it is now), and
a runner's batch of results applied like each result alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

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
from raikoo_scheduler.adapters.sql_store import PRODUCER, SqlRunStore, StaleRun
from raikoo_scheduler.commands import StartRun
from raikoo_scheduler.handlers import subscriptions
from raikoo_scheduler.leases import Leases
from raikoo_scheduler.plans import PlanCache
from raikoo_scheduler.service import Scheduler

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
        stored = await store_version(conn, tenant, DEFINITION, kinds)
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


def _scheduler(engine: AsyncEngine) -> Scheduler:
    bus = InMemoryBus()
    return Scheduler(
        SqlRunStore(engine, PlanCache()), OutboxRelay(engine, bus, PRODUCER), bus, Leases()
    )


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
    bus = InMemoryBus()
    scheduler = Scheduler(
        SqlRunStore(engine, PlanCache()), OutboxRelay(engine, bus, PRODUCER), bus, Leases()
    )
    for subscription in subscriptions(scheduler, concurrency=4, max_deliveries=3):
        bus.subscribe(subscription)
    await bus.start()
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
