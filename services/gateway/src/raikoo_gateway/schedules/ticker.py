"""The ticker: fires the schedules' ticks that fell due, each exactly once however many
gateway replicas tick at the same time.

A schedule's ``next_fire_at`` is its next unfired tick. A ticker claims the ticks due up to
now by moving it on with a conditional UPDATE (``WHERE next_fire_at = <what it read>``),
in the transaction that writes each tick's run request and its outbox message: a replica
that loses the race updates no row and writes nothing, and a tick whose transaction does
not commit was never claimed, so the next pass fires it. On PostgreSQL the ticker first
locks the schedule's row with SKIP LOCKED, so replicas split the due schedules between them
instead of queueing on the same rows. Each run request also carries the idempotency key
``schedule:<id>:<tick>``, which the database keeps unique per project.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.event_loop import stop_task
from raikoo_common.outbox import OutboxMessage, OutboxRelay
from raikoo_common.workflow.inputs import InputsInvalid
from raikoo_gateway.schedules.cron import due_ticks
from raikoo_gateway.service import audit
from raikoo_gateway.service.runs import IdempotencyConflict, request_run
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import find_version

log = structlog.get_logger(__name__)
_s = t.schedules.c
BATCH = 100
"""Schedules fired per query; a pass continues while there are more."""


class _Lost(Exception):
    """Another ticker claimed the tick first: roll back, nothing to do."""


class ScheduleTicker:
    def __init__(
        self,
        engine: AsyncEngine,
        relay: OutboxRelay,
        *,
        every: float | None = 1.0,
        grace: timedelta = timedelta(seconds=60),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        """``every``: seconds between passes (None: only when ``tick`` is called, as a test
        with ``clock`` in its hands does). ``grace``: how late a tick may fire and still be
        on time; older ones follow the schedule's missed-tick policy."""
        self.engine = engine
        self.relay = relay
        self.every = every
        self.grace = grace
        self.clock = clock
        self.claims_lost = 0
        """Ticks another ticker claimed first (this one then wrote nothing)."""
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.every is not None:
            self._task = asyncio.create_task(self._loop(self.every), name="schedule-ticker")

    async def stop(self) -> None:
        await stop_task(self._task)
        self._task = None

    async def _loop(self, every: float) -> None:
        while True:
            try:
                await self.tick(self.clock())
            except Exception:
                log.exception("schedule pass failed; will retry")
            await asyncio.sleep(every)

    async def tick(self, now: datetime) -> list[uuid.UUID]:
        """One pass: fire every tick due at ``now``; the runs this ticker requested."""
        started: list[uuid.UUID] = []
        while True:
            async with self.engine.connect() as conn:
                due = (
                    await conn.execute(
                        sa.select(_s.id, _s.next_fire_at)
                        .where(_s.enabled.is_(True), _s.next_fire_at <= now)
                        .order_by(_s.next_fire_at, _s.id)
                        .limit(BATCH)
                    )
                ).all()
            for row in due:
                started += await self.fire(row.id, row.next_fire_at, now)
            if len(due) < BATCH:
                return started

    async def fire(
        self, schedule_id: uuid.UUID, expected: datetime, now: datetime
    ) -> list[uuid.UUID]:
        """Fire the ticks of one schedule due at ``now``, if its next unfired tick is still
        ``expected`` (what this ticker read); the runs started."""
        outbox: list[OutboxMessage] = []
        started: list[uuid.UUID] = []
        try:
            async with self.engine.begin() as conn:
                started = await self._claim_and_request(conn, schedule_id, expected, now, outbox)
        except _Lost:
            self.claims_lost += 1
            return []
        await self.relay.publish(outbox)
        return started

    async def _claim_and_request(
        self,
        conn: AsyncConnection,
        schedule_id: uuid.UUID,
        expected: datetime,
        now: datetime,
        outbox: list[OutboxMessage],
    ) -> list[uuid.UUID]:
        query = (
            sa.select(t.schedules, t.workflows.c.name.label("workflow_name"))
            .join(t.workflows, t.workflows.c.id == _s.workflow_id)
            .where(_s.id == schedule_id)
        )
        if conn.dialect.name == "postgresql":
            # Another ticker firing this schedule holds its row: go on to the next schedule
            # rather than wait for it (SQLite has one writer at a time anyway).
            query = query.with_for_update(skip_locked=True, of=t.schedules)
        row = (await conn.execute(query)).first()
        if row is None or not row.enabled or row.next_fire_at != expected:
            raise _Lost
        due = due_ticks(
            row.cron,
            row.timezone,
            first=expected,
            now=now,
            missed=row.missed,
            max_catch_up=row.max_catch_up,
            grace=self.grace,
        )
        claimed = await conn.execute(
            sa.update(t.schedules)
            .where(_s.id == schedule_id, _s.next_fire_at == expected, _s.enabled.is_(True))
            .values(next_fire_at=due.next_fire_at)
        )
        if claimed.rowcount != 1:
            raise _Lost
        tenant = Tenant(row.org_id, row.project_id)
        started: list[uuid.UUID] = []
        error: str | None = None
        for tick in due.fire:
            try:
                run_id = await self._request(conn, tenant, row, tick, outbox)
            except (LookupError, InputsInvalid) as exc:
                error = f"tick {tick.isoformat()}: {exc}"
                log.warning("schedule tick not fired", schedule_id=str(schedule_id), error=error)
                continue
            if run_id is not None:
                started.append(run_id)
        values: dict[str, Any] = {"last_error": error}
        if due.fire:
            values["last_fired_at"] = due.fire[-1]
        if started:
            values["last_run_id"] = started[-1]
        if due.missed_some:
            log.info("missed ticks passed over", schedule_id=str(schedule_id), policy=row.missed)
        await conn.execute(sa.update(t.schedules).where(_s.id == schedule_id).values(**values))
        return started

    async def _request(
        self,
        conn: AsyncConnection,
        tenant: Tenant,
        row: sa.Row[Any],
        tick: datetime,
        outbox: list[OutboxMessage],
    ) -> uuid.UUID | None:
        version = await find_version(conn, tenant, row.workflow_name, row.version)
        if version is None:
            what = row.workflow_name + (f" version {row.version}" if row.version else "")
            raise LookupError(f"workflow {what} does not exist")
        key = f"schedule:{row.id}:{tick.isoformat()}"
        try:
            created = await request_run(
                conn,
                tenant,
                version,
                row.inputs,
                idempotency_key=key,
                trigger="schedule",
                outbox_owner=self.relay.owner,
            )
        except IdempotencyConflict:
            return None  # fired already: never twice
        if not created.created:
            return None
        outbox += created.outbox
        details = {
            "workflow": version.name,
            "version": version.version,
            "trigger": "schedule",
            "schedule_id": str(row.id),
            "tick": tick.isoformat(),
        }
        actor = (f"schedule {row.id}", "system")
        await audit.record_as(
            conn,
            tenant.org_id,
            tenant.project_id,
            actor,
            "run.started",
            str(created.run_id),
            details,
        )
        return created.run_id
