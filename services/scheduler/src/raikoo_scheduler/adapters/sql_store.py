"""The run store on SQLAlchemy Core: one transaction (and, on PostgreSQL, one run-row lock)
per unit of work, with hot runs cached between units. See run_unit.py for the unit itself.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only, reads_only, write_transaction
from raikoo_common.messages import OperationAttempt
from raikoo_common.outbox import OutboxOwner
from raikoo_common.storage import Artifacts
from raikoo_scheduler.adapters._pg_commit import GroupCommit
from raikoo_scheduler.adapters._statements import (
    DUE,
    LOCK_RUN,
    PRODUCER,
    SELECT_RUN,
    op_record,
    run_record,
)
from raikoo_scheduler.adapters.run_unit import CachedRun, SqlRunUnit
from raikoo_scheduler.domain.records import OpRecord
from raikoo_scheduler.domain.states import ACTIVE_OP_STATES, TERMINAL_RUN_STATES
from raikoo_scheduler.plans import PlanCache
from raikoo_scheduler.ports import BuildRun, Due, NewRun

_op = t.operation_runs.c
__all__ = ["PRODUCER", "SqlRunStore", "SqlRunUnit"]


class SqlRunStore:
    """Units of work over runs, with hot runs cached between units.

    A cached run is trusted only while the run row's ``version`` matches: each unit reads
    (and, on PostgreSQL, locks) the row, so a change made by another scheduler replica is
    noticed and the cache dropped. ``exclusive`` (embedded mode: this process is the only
    writer) skips that read for a cached run.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        plans: PlanCache,
        *,
        exclusive: bool = False,
        outbox_owner: OutboxOwner | None = None,
        cache_runs: int = 1024,
        load_whole_run_below: int = 5000,
        artifacts: Artifacts | None = None,
    ) -> None:
        self.engine = engine
        self.artifacts = artifacts
        self.plans = plans
        self.exclusive = exclusive
        self.outbox_owner = outbox_owner
        """Who writes this store's outbox rows; None: messages are not stored (embedded
        mode, whose start-up recovery re-sends from state)."""
        self._lock_rows = engine.dialect.name == "postgresql"
        self._group = GroupCommit(outbox_owner) if self._lock_rows else None
        self._writes_apart = exclusive and engine.dialect.name == "sqlite"
        self._cache: OrderedDict[uuid.UUID, CachedRun] = OrderedDict()
        self._own: AsyncConnection | None = None
        self._own_lock = asyncio.Lock()
        self._cache_runs = cache_runs
        self._load_whole_run_below = load_whole_run_below
        # Units wait here, not in the pool: one message can carry results of 200 runs, each
        # its own unit, and a pool checkout gives up after 30 s (failing the message). Two
        # connections stay free for the outbox relay and the timers.
        pool_size = getattr(engine.pool, "size", None)
        units = max(1, pool_size() - 2) if callable(pool_size) else 8
        self._units = asyncio.Semaphore(units)

    @asynccontextmanager
    async def unit(
        self, run_id: uuid.UUID, now: datetime, *, optimistic: bool = True
    ) -> AsyncIterator[SqlRunUnit | None]:
        """A unit of work over an existing run, or None if there is no such run.

        On PostgreSQL a cached run is changed optimistically: no transaction is opened to
        read it, and the unit's one-statement commit writes only if the run row still has
        the version this unit started from; otherwise it raises ``StaleRun`` and the
        caller applies its commands again with ``optimistic=False`` (lock, re-read).
        """
        async with self._units, self._unit(run_id, now, optimistic=optimistic) as unit:
            yield unit

    @asynccontextmanager
    async def _unit(
        self, run_id: uuid.UUID, now: datetime, *, optimistic: bool
    ) -> AsyncIterator[SqlRunUnit | None]:
        cached = self._cache.get(run_id)
        try:
            if optimistic and cached is not None and self._lock_rows and not self.exclusive:
                async with self.engine.connect() as conn:
                    plan = await self.plans.get(conn, cached.run.workflow_version_id)
                    yield SqlRunUnit(
                        conn,
                        cached,
                        plan,
                        now,
                        self.outbox_owner,
                        artifacts=self.artifacts,
                        group=self._group,
                    )
                    if conn.in_transaction():  # the unit read something through SQLAlchemy
                        await conn.commit()
            else:
                async with self._working() as conn:
                    state = await self._state(conn, run_id)
                    if state is None:
                        yield None
                        return
                    plan = await self.plans.get(conn, state.run.workflow_version_id)
                    yield SqlRunUnit(
                        conn,
                        state,
                        plan,
                        now,
                        self.outbox_owner,
                        artifacts=self.artifacts,
                        writes_apart=self._writes_apart,
                    )
        except BaseException:
            # The unit changed cached records in place; after a rollback they are wrong.
            self._cache.pop(run_id, None)
            raise
        self._keep(run_id)

    @asynccontextmanager
    async def _working(self) -> AsyncIterator[AsyncConnection]:
        """The connection a unit works on. Elsewhere a transaction (on PostgreSQL, the unit
        locks the run row in it). In exclusive mode (embedded) one connection for every
        unit — a pool checkout per unit was a third of a step's cost on SQLite — that
        reads without SQLite's write lock: the unit writes in a short transaction of its
        own when it flushes, so what it awaits meanwhile (artifacts) holds up no writer."""
        if not self.exclusive:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._own_lock:
            conn = await self._own_connection()
            if not self._writes_apart:  # PostgreSQL: waiting for it never blocks the loop
                async with conn.begin():
                    yield conn
                return
            try:
                yield conn
            finally:
                if conn.in_transaction():
                    await conn.rollback()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction with nothing but database work inside."""
        if not self.exclusive:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._own_lock:
            conn = await self._own_connection()
            async with write_transaction(conn):
                yield conn

    async def _own_connection(self) -> AsyncConnection:
        if self._own is None or self._own.closed:
            self._own = await reads_only(await self.engine.connect())
        return self._own

    async def close(self) -> None:
        if self._own is not None:
            await self._own.close()
            self._own = None

    async def _state(self, conn: AsyncConnection, run_id: uuid.UUID) -> CachedRun | None:
        cached = self._cache.get(run_id)
        if cached is not None and self.exclusive:
            return cached
        query = LOCK_RUN if self._lock_rows else SELECT_RUN
        row = (await conn.execute(query, {"b_id": run_id})).first()
        if row is None:
            return None
        if cached is not None and cached.run.version == row.version:
            return cached
        state = CachedRun(run_record(row))
        self._cache[run_id] = state
        if state.run.ops_total <= self._load_whole_run_below:
            rows = await conn.execute(sa.select(t.operation_runs).where(_op.run_id == run_id))
            for op_row in rows:
                state.adopt(op_record(op_row))
            state.complete = True
        return state

    def _keep(self, run_id: uuid.UUID) -> None:
        state = self._cache.get(run_id)
        if state is None:
            return
        if state.run.is_terminal:
            del self._cache[run_id]
            return
        self._cache.move_to_end(run_id)
        while len(self._cache) > self._cache_runs:
            self._cache.popitem(last=False)

    @asynccontextmanager
    async def new_unit(
        self,
        run_id: uuid.UUID,
        org_id: uuid.UUID,
        version_id: uuid.UUID,
        now: datetime,
        build: BuildRun,
    ) -> AsyncIterator[NewRun | None]:
        """A unit of work creating a run; None when it exists already (duplicate request)."""
        try:
            async with self._units, self._working() as conn:
                await _serialise_run_creation(conn, run_id)
                exists = await conn.scalar(sa.select(t.runs.c.id).where(t.runs.c.id == run_id))
                if exists is not None:
                    yield None
                    return
                cancelled, forget = await _early_cancel(conn, run_id, org_id)
                plan = await self.plans.get(conn, version_id)
                run, ops = build(plan)
                state = CachedRun(run, complete=True)
                self._cache[run_id] = state
                unit = SqlRunUnit(
                    conn,
                    state,
                    plan,
                    now,
                    self.outbox_owner,
                    is_new=True,
                    artifacts=self.artifacts,
                    writes_apart=self._writes_apart,
                )
                unit.add_ops(ops)
                if forget is not None:
                    unit.extra_writes.append(forget)
                yield NewRun(unit, cancelled)
        except BaseException:
            self._cache.pop(run_id, None)
            raise
        self._keep(run_id)

    async def cancel_unstarted(
        self, run_id: uuid.UUID, org_id: uuid.UUID, reason: str, now: datetime
    ) -> bool:
        async with self._units, self._transaction() as conn:
            await _serialise_run_creation(conn, run_id)
            exists = await conn.scalar(sa.select(t.runs.c.id).where(t.runs.c.id == run_id))
            if exists is not None:
                return False
            await conn.execute(sa.delete(t.early_cancels).where(t.early_cancels.c.run_id == run_id))
            await conn.execute(
                sa.insert(t.early_cancels).values(
                    run_id=run_id, org_id=org_id, reason=reason, created_at=now
                )
            )
            return True

    async def reusable_ops(self, run_id: uuid.UUID, org_id: uuid.UUID) -> list[OpRecord]:
        r = t.runs.c
        query = (
            sa.select(t.operation_runs)
            .join(t.runs, r.id == _op.run_id)
            .where(
                _op.run_id == run_id,
                _op.org_id == org_id,
                _op.parent_id.is_(None),
                r.state.in_(tuple(TERMINAL_RUN_STATES)),
            )
        )
        async with read_only(self.engine) as conn:
            return [op_record(row) for row in await conn.execute(query)]

    async def due(self, now: datetime) -> Sequence[Due]:
        """Timers that fell due: (what, run_id, detail) for retries, leases and deadlines."""
        async with read_only(self.engine) as conn:
            rows = (await conn.execute(DUE, {"b_now": now})).all()
        due: list[Due] = []
        for row in rows:
            if row.what == "retry":
                due.append(("retry", row.run_id, row.op_id))
            elif row.what == "lease":
                due.append(("lease", row.run_id, (row.op_id, row.attempt)))
            else:
                due.append(("deadline", row.run_id, None))
        return due

    async def stale_attempts(
        self, org_id: uuid.UUID, items: Sequence[OperationAttempt]
    ) -> set[uuid.UUID]:
        """Which of these dispatched attempts must not run any more: their operation run
        is not active at that attempt (settled, cancelled, retried) or its run ended — or
        it is not an operation run of ``org_id`` at all."""
        wanted = {item.op_run_id: item.attempt for item in items}
        r = t.runs.c
        query = (
            sa.select(_op.id, _op.attempt)
            .join(t.runs, r.id == _op.run_id)
            .where(
                _op.id.in_(list(wanted)),
                _op.org_id == org_id,
                _op.state.in_(tuple(ACTIVE_OP_STATES)),
                r.state.not_in(tuple(TERMINAL_RUN_STATES)),
            )
        )
        async with read_only(self.engine) as conn:
            active = {row.id: row.attempt for row in await conn.execute(query)}
        return {op_id for op_id, attempt in wanted.items() if active.get(op_id) != attempt}

    async def active_runs(self) -> list[uuid.UUID]:
        async with read_only(self.engine) as conn:
            rows = await conn.execute(
                sa.select(t.runs.c.id).where(t.runs.c.state.in_(("running", "waiting")))
            )
            return [row.id for row in rows]


async def _serialise_run_creation(conn: AsyncConnection, run_id: uuid.UUID) -> None:
    """Creating a run and keeping a cancel that overtook its request must not interleave
    (on two scheduler replicas, the cancel would be kept after the creation looked for it):
    on PostgreSQL both take this transaction lock; SQLite serialises writers anyway."""
    if conn.dialect.name == "postgresql":
        await conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:run_id, 0))"),
            {"run_id": str(run_id)},
        )


async def _early_cancel(
    conn: AsyncConnection, run_id: uuid.UUID, org_id: uuid.UUID
) -> tuple[str | None, sa.Delete | None]:
    """The reason of a cancel that came before the run, if one of its organisation did,
    and the statement that forgets it (written with the run)."""
    c = t.early_cancels.c
    row = (await conn.execute(sa.select(c.org_id, c.reason).where(c.run_id == run_id))).first()
    if row is None:
        return None, None
    forget = sa.delete(t.early_cancels).where(c.run_id == run_id)
    return (row.reason if row.org_id == org_id else None), forget
