"""The run store on SQLAlchemy Core: one transaction and one run-row lock per unit of work.

Reads go through an identity map so the engine sees its own uncommitted changes without
flushing; all writes of a unit go out at commit as a few batched statements.
"""

from __future__ import annotations

import asyncio
import heapq
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_common.db.fast import PreparedWrite, column_types
from raikoo_common.messages import (
    Envelope,
    Message,
    OperationStateChanged,
    RecordedEvent,
    RunEventsRecorded,
    RunStateChanged,
)
from raikoo_common.outbox import OutboxMessage, insert_outbox
from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import TERMINAL_OP_STATES, OpRecord, RunRecord
from raikoo_scheduler.plans import PlanCache

PRODUCER = "scheduler"
_OP_MUTABLE = (
    "state",
    "attempt",
    "needs_pending",
    "needs_failed",
    "output",
    "error",
    "ready_at",
    "started_at",
    "finished_at",
    "lease_expires_at",
    "next_attempt_at",
)
_RUN_MUTABLE = (
    "version",
    "state",
    "outputs",
    "error",
    "active_ops",
    "ops_done",
    "ops_failed",
    "event_seq",
    "started_at",
    "finished_at",
)
_UNFINISHED = sorted({"pending", "ready", "running", "retrying"})
_op = t.operation_runs.c

# Built once: constructing a statement and its cache key costs more than running it here.
_RUN_FIELDS = tuple(RunRecord.__dataclass_fields__)
_OP_FIELDS = ("id", "org_id", "project_id", "run_id", "op_key", "kind", "seq", "created_at")
_EVENT_FIELDS = (
    "org_id",
    "run_id",
    "seq",
    "type",
    "op_key",
    "state",
    "attempt",
    "data",
    "created_at",
)
_INSERT_RUN = PreparedWrite(sa.insert(t.runs), _RUN_FIELDS, column_types(t.runs))
_INSERT_OPS = PreparedWrite(
    sa.insert(t.operation_runs), (*_OP_FIELDS, *_OP_MUTABLE), column_types(t.operation_runs)
)
_INSERT_EVENTS = PreparedWrite(sa.insert(t.run_events), _EVENT_FIELDS, column_types(t.run_events))
_UPDATE_RUN = PreparedWrite(
    sa.update(t.runs).where(t.runs.c.id == sa.bindparam("b_id")),
    (*_RUN_MUTABLE, "b_id"),
    column_types(t.runs, b_id=t.runs.c.id.type),
)
_UPDATE_OPS = PreparedWrite(
    sa.update(t.operation_runs).where(_op.id == sa.bindparam("b_id")),
    (*_OP_MUTABLE, "b_id"),
    column_types(t.operation_runs, b_id=_op.id.type),
)
_SELECT_RUN = sa.select(*[t.runs.c[n] for n in RunRecord.__dataclass_fields__]).where(
    t.runs.c.id == sa.bindparam("b_id")
)
_LOCK_RUN = _SELECT_RUN.with_for_update()
_NOW = sa.bindparam("b_now", type_=t.runs.c.deadline_at.type)
_DUE = sa.union_all(
    sa.select(
        sa.literal("retry").label("what"), _op.run_id, _op.id.label("op_id"), _op.attempt
    ).where(_op.state == "retrying", _op.next_attempt_at <= _NOW),
    sa.select(sa.literal("lease"), _op.run_id, _op.id, _op.attempt).where(
        _op.state.in_(("ready", "running")), _op.lease_expires_at <= _NOW
    ),
    sa.select(
        sa.literal("deadline"), t.runs.c.id, sa.null().cast(sa.Uuid), sa.null().cast(sa.Integer)
    ).where(t.runs.c.state == "running", t.runs.c.deadline_at <= _NOW),
).limit(1000)
"""One round trip per timer pass for everything that fell due (retries, leases, deadlines)."""


def _op_record(row: sa.Row[Any]) -> OpRecord:
    m = row._mapping
    return OpRecord(
        id=m["id"],
        run_id=m["run_id"],
        key=m["op_key"],
        kind=m["kind"],
        seq=m["seq"],
        state=m["state"],
        needs_pending=m["needs_pending"],
        created_at=m["created_at"],
        attempt=m["attempt"],
        needs_failed=m["needs_failed"],
        output=m["output"],
        error=m["error"],
        ready_at=m["ready_at"],
        started_at=m["started_at"],
        finished_at=m["finished_at"],
        lease_expires_at=m["lease_expires_at"],
        next_attempt_at=m["next_attempt_at"],
    )


def _run_record(row: sa.Row[Any]) -> RunRecord:
    m = row._mapping
    fields = RunRecord.__dataclass_fields__
    return RunRecord(**{name: m[name] for name in fields})


@dataclass
class Committed:
    """What to publish after the commit: outbox messages (durable) and run events."""

    outbox: list[OutboxMessage] = field(default_factory=list)
    events: Envelope | None = None
    """One RunEventsRecorded with every event of the commit, or None."""


@dataclass
class RunState:
    """A run with the operation runs loaded so far. Kept between units of work while the
    run is hot, and trusted only while the run row's version matches (see ``SqlRunStore``).

    ``complete`` means every operation run is here, so reads need no SQL at all; then
    ``queued_ids`` tracks which are pending with all needs met, and ``_queue`` orders them
    by plan position (a heap with lazy deletion: taking the next k costs O(k log n), not a
    sort of everything queued — a wide fan-out queues thousands).
    """

    run: RunRecord
    by_id: dict[uuid.UUID, OpRecord] = field(default_factory=dict)
    by_key: dict[str, OpRecord] = field(default_factory=dict)
    complete: bool = False
    queued_ids: set[uuid.UUID] = field(default_factory=set)
    _queue: list[tuple[int, uuid.UUID]] = field(default_factory=list)

    def adopt(self, op: OpRecord) -> OpRecord:
        known = self.by_id.get(op.id)
        if known is not None:
            return known
        self.by_id[op.id] = op
        self.by_key[op.key] = op
        self.track(op)
        return op

    def track(self, op: OpRecord) -> None:
        if op.state == "pending" and op.needs_pending == 0:
            if op.id not in self.queued_ids:
                self.queued_ids.add(op.id)
                heapq.heappush(self._queue, (op.seq, op.id))
        else:
            self.queued_ids.discard(op.id)

    def take_queued(self, limit: int) -> list[OpRecord]:
        """The next ``limit`` queued operation runs in plan order; the caller dispatches them."""
        taken: list[OpRecord] = []
        while self._queue and len(taken) < limit:
            _, op_id = heapq.heappop(self._queue)
            if op_id in self.queued_ids:
                self.queued_ids.discard(op_id)
                taken.append(self.by_id[op_id])
        return taken


@dataclass
class SqlRunUnit:
    conn: AsyncConnection
    state: RunState
    plan: Plan
    now: datetime
    durable_messages: bool = True
    is_new: bool = False
    new_ops: list[OpRecord] = field(default_factory=list)
    messages: list[tuple[str, Message]] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)

    @property
    def run(self) -> RunRecord:
        return self.state.run

    async def _select(
        self, *where: sa.ColumnElement[bool], limit: int | None = None, order: bool = False
    ) -> list[OpRecord]:
        query = sa.select(t.operation_runs).where(_op.run_id == self.run.id, *where)
        if order:
            query = query.order_by(_op.seq)
        if limit is not None:
            query = query.limit(limit)
        rows = (await self.conn.execute(query)).all()
        return [self.state.adopt(_op_record(row)) for row in rows]

    async def op(self, op_run_id: uuid.UUID) -> OpRecord | None:
        known = self.state.by_id.get(op_run_id)
        if known is not None or self.state.complete:
            return known
        found = await self._select(_op.id == op_run_id)
        return found[0] if found else None

    async def ops(self, keys: Iterable[str]) -> list[OpRecord]:
        keys = list(keys)
        by_key = self.state.by_key
        missing = [k for k in keys if k not in by_key]
        if missing and not self.state.complete:
            await self._select(_op.op_key.in_(missing))
        return [by_key[k] for k in keys if k in by_key]

    async def queued(self, limit: int) -> list[OpRecord]:
        state = self.state
        if not state.complete:
            # Cached rows may have changed since the DB saw them: over-fetch by their
            # number, then judge every candidate by its in-memory state.
            await self._select(
                _op.state == "pending",
                _op.needs_pending == 0,
                limit=limit + len(state.by_id),
                order=True,
            )
            for op in state.by_id.values():
                state.track(op)
        return state.take_queued(limit)

    async def unfinished(self) -> list[OpRecord]:
        if not self.state.complete:
            await self._select(_op.state.in_(_UNFINISHED))
        return [op for op in self.state.by_id.values() if op.state not in TERMINAL_OP_STATES]

    async def outputs(self, keys: Iterable[str]) -> dict[str, Any]:
        keys = list(keys)
        by_key = self.state.by_key
        missing = [k for k in keys if k not in by_key]
        result: dict[str, Any] = {}
        if missing and not self.state.complete:
            query = sa.select(_op.op_key, _op.output).where(
                _op.run_id == self.run.id, _op.op_key.in_(missing), _op.state == "succeeded"
            )
            result.update((row.op_key, row.output) for row in await self.conn.execute(query))
        for key in keys:
            op = by_key.get(key)
            if op is not None and op.state == "succeeded":
                result[key] = op.output
        return result

    def add_ops(self, ops: Iterable[OpRecord]) -> None:
        for op in ops:
            self.state.adopt(op)
            self.new_ops.append(op)

    def touch(self, op: OpRecord) -> None:
        op.dirty = True
        self.state.track(op)

    def send(self, channel: str, message: Message) -> None:
        self.messages.append((channel, message))

    def notify(self, message: Message) -> None:
        self.notes.append(message)

    async def flush(self) -> Committed:
        run, conn = self.run, self.conn
        run.version += 1
        if self.is_new:
            await _INSERT_RUN.execute(conn, [_run_values(run)])
            await _INSERT_OPS.execute(conn, [_op_values(run, op) for op in self.new_ops])
        else:
            await _UPDATE_RUN.execute(
                conn, [{"b_id": run.id, **{name: getattr(run, name) for name in _RUN_MUTABLE}}]
            )
        new_ids = {op.id for op in self.new_ops}
        dirty = [op for op in self.state.by_id.values() if op.dirty]
        changed = [op for op in dirty if op.id not in new_ids]
        if changed:
            await _UPDATE_OPS.execute(
                conn,
                [{"b_id": op.id, **{n: getattr(op, n) for n in _OP_MUTABLE}} for op in changed],
            )
        for op in dirty:
            op.dirty = False
        committed = Committed()
        envelope = _enveloper(run)
        if self.notes:
            rows = [_event_values(run, note, self.now) for note in self.notes]
            await _INSERT_EVENTS.execute(conn, rows)
            recorded = RunEventsRecorded.model_construct(
                run_id=run.id,
                events=[
                    RecordedEvent.model_construct(seq=r["seq"], type=r["type"], data=r["data"])
                    for r in rows
                ],
            )
            committed.events = envelope(recorded)
        if self.messages:
            items = [(ch, envelope(msg)) for ch, msg in self.messages]
            committed.outbox = (
                await insert_outbox(conn, PRODUCER, items, self.now)
                if self.durable_messages
                else [OutboxMessage(env.id, ch, env, stored=False) for ch, env in items]
            )
        return committed


def _enveloper(run: RunRecord) -> Any:
    def wrap(message: Message) -> Envelope:
        return Envelope.wrap(message, org_id=run.org_id, run_id=run.id, correlation_id=run.id)

    return wrap


def _run_values(run: RunRecord) -> dict[str, Any]:
    return {name: getattr(run, name) for name in RunRecord.__dataclass_fields__}


def _op_values(run: RunRecord, op: OpRecord) -> dict[str, Any]:
    return {
        "id": op.id,
        "org_id": run.org_id,
        "project_id": run.project_id,
        "run_id": run.id,
        "op_key": op.key,
        "kind": op.kind,
        "seq": op.seq,
        "created_at": op.created_at,
        **{n: getattr(op, n) for n in _OP_MUTABLE},
    }


def _event_values(run: RunRecord, note: Message, now: datetime) -> dict[str, Any]:
    data = note.model_dump(mode="json")
    assert isinstance(note, OperationStateChanged | RunStateChanged)
    op = note if isinstance(note, OperationStateChanged) else None
    return {
        "org_id": run.org_id,
        "run_id": run.id,
        "seq": note.seq,
        "type": note.TYPE,
        "op_key": op.op_key if op else None,
        "state": note.state,
        "attempt": op.attempt if op else None,
        "data": data,
        "created_at": now,
    }


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
        durable_messages: bool = True,
        cache_runs: int = 1024,
        load_whole_run_below: int = 5000,
    ) -> None:
        self.engine = engine
        self.plans = plans
        self.exclusive = exclusive
        self.durable_messages = durable_messages
        self._lock_rows = engine.dialect.name == "postgresql"
        self._cache: OrderedDict[uuid.UUID, RunState] = OrderedDict()
        self._own: AsyncConnection | None = None
        self._own_lock = asyncio.Lock()
        self._cache_runs = cache_runs
        self._load_whole_run_below = load_whole_run_below

    @asynccontextmanager
    async def unit(self, run_id: uuid.UUID, now: datetime) -> AsyncIterator[SqlRunUnit | None]:
        """A unit of work over an existing run, or None if there is no such run."""
        try:
            async with self._transaction() as conn:
                state = await self._state(conn, run_id)
                if state is None:
                    yield None
                    return
                plan = await self.plans.get(conn, state.run.workflow_version_id)
                yield SqlRunUnit(conn, state, plan, now, self.durable_messages)
        except BaseException:
            # The unit changed cached records in place; after a rollback they are wrong.
            self._cache.pop(run_id, None)
            raise
        self._keep(run_id)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        if not self.exclusive:
            async with self.engine.begin() as conn:
                yield conn
            return
        # One process owns the database: keep one connection instead of a pool checkout,
        # begin and return per unit (a third of a step's cost on SQLite).
        async with self._own_lock:
            if self._own is None or self._own.closed:
                self._own = await self.engine.connect()
            async with self._own.begin():
                yield self._own

    async def close(self) -> None:
        if self._own is not None:
            await self._own.close()
            self._own = None

    async def _state(self, conn: AsyncConnection, run_id: uuid.UUID) -> RunState | None:
        cached = self._cache.get(run_id)
        if cached is not None and self.exclusive:
            return cached
        query = _LOCK_RUN if self._lock_rows else _SELECT_RUN
        row = (await conn.execute(query, {"b_id": run_id})).first()
        if row is None:
            return None
        if cached is not None and cached.run.version == row.version:
            return cached
        state = RunState(_run_record(row))
        self._cache[run_id] = state
        if state.run.ops_total <= self._load_whole_run_below:
            rows = await conn.execute(sa.select(t.operation_runs).where(_op.run_id == run_id))
            for op_row in rows:
                state.adopt(_op_record(op_row))
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
        version_id: uuid.UUID,
        now: datetime,
        build: Callable[[Plan], tuple[RunRecord, list[OpRecord]]],
    ) -> AsyncIterator[SqlRunUnit | None]:
        """A unit of work creating a run; None when it exists already (duplicate request)."""
        try:
            async with self._transaction() as conn:
                exists = await conn.scalar(sa.select(t.runs.c.id).where(t.runs.c.id == run_id))
                if exists is not None:
                    yield None
                    return
                plan = await self.plans.get(conn, version_id)
                run, ops = build(plan)
                state = RunState(run, complete=True)
                self._cache[run_id] = state
                unit = SqlRunUnit(conn, state, plan, now, self.durable_messages, is_new=True)
                unit.add_ops(ops)
                yield unit
        except BaseException:
            self._cache.pop(run_id, None)
            raise
        self._keep(run_id)

    async def due(self, now: datetime) -> Sequence[tuple[str, uuid.UUID, Any]]:
        """Timers that fell due: (what, run_id, detail) for retries, leases and deadlines."""
        async with read_only(self.engine) as conn:
            rows = (await conn.execute(_DUE, {"b_now": now})).all()
        due: list[tuple[str, uuid.UUID, Any]] = []
        for row in rows:
            if row.what == "retry":
                due.append(("retry", row.run_id, row.op_id))
            elif row.what == "lease":
                due.append(("lease", row.run_id, (row.op_id, row.attempt)))
            else:
                due.append(("deadline", row.run_id, None))
        return due

    async def active_runs(self) -> list[uuid.UUID]:
        async with read_only(self.engine) as conn:
            rows = await conn.execute(
                sa.select(t.runs.c.id).where(t.runs.c.state.in_(("running", "waiting")))
            )
            return [row.id for row in rows]
