"""A unit of work over one run: the cached run state and the writes of one commit."""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.db import tables as t
from raikoo_common.db.engine import write_transaction
from raikoo_common.db.fast import asyncpg_driver
from raikoo_common.messages import (
    Message,
    RecordedEvent,
    RunEventsRecorded,
)
from raikoo_common.outbox import OutboxMessage, OutboxOwner, insert_outbox
from raikoo_common.storage import Artifacts
from raikoo_common.workflow.schema import WorkflowDefinition
from raikoo_scheduler.adapters._pg_commit import GroupCommit, commit_unit, unit_write
from raikoo_scheduler.adapters._statements import (
    INSERT_EVENTS,
    INSERT_OPS,
    INSERT_RUN,
    OP_MUTABLE,
    RUN_MUTABLE,
    UNFINISHED,
    UPDATE_OPS,
    UPDATE_RUN,
    WRITE_ITEMS,
    enveloper,
    event_values,
    op_record,
    op_values,
    run_values,
)
from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord, RunRecord
from raikoo_scheduler.domain.states import TERMINAL_OP_STATES
from raikoo_scheduler.ports import CalledWorkflow, Committed, StaleRun

_op = t.operation_runs.c


@dataclass
class CachedRun:
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
    _queue: list[tuple[int, int, uuid.UUID]] = field(default_factory=list)

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
                heapq.heappush(self._queue, (op.seq, op.item_index or 0, op.id))
        else:
            self.queued_ids.discard(op.id)

    def take_queued(self, limit: int) -> list[OpRecord]:
        """The next ``limit`` queued operation runs in plan order; the caller dispatches them."""
        taken: list[OpRecord] = []
        while self._queue and len(taken) < limit:
            *_, op_id = heapq.heappop(self._queue)
            if op_id in self.queued_ids:
                self.queued_ids.discard(op_id)
                taken.append(self.by_id[op_id])
        return taken


@dataclass
class SqlRunUnit:
    conn: AsyncConnection
    state: CachedRun
    plan: Plan
    now: datetime
    outbox_owner: OutboxOwner | None = None
    """Who writes the unit's outbox rows; None: messages are not stored."""
    is_new: bool = False
    artifacts: Artifacts | None = None
    writes_apart: bool = False
    """``conn`` only reads (embedded mode): flush writes in a transaction of its own."""
    group: GroupCommit | None = None
    """Writes this unit together with other runs' units that are ready at the same time
    (PostgreSQL, outside a transaction); None: alone."""
    rippling: list[OpRecord] | None = None
    filling: bool = False
    extra_writes: list[sa.Executable] = field(default_factory=list)
    """Other statements of this unit, written with it (first)."""
    new_ops: list[OpRecord] = field(default_factory=list)
    touched: dict[uuid.UUID, OpRecord] = field(default_factory=dict)
    """Operation runs this unit changed: the only ones written at commit."""
    messages: list[tuple[str, Message]] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    item_lists: list[OpRecord] = field(default_factory=list)

    @property
    def run(self) -> RunRecord:
        return self.state.run

    async def _select(
        self, *where: sa.ColumnElement[bool], limit: int | None = None, order: bool = False
    ) -> list[OpRecord]:
        query = sa.select(t.operation_runs).where(_op.run_id == self.run.id, *where)
        if order:
            query = query.order_by(_op.seq, _op.item_index)
        if limit is not None:
            query = query.limit(limit)
        rows = (await self.conn.execute(query)).all()
        return [self.state.adopt(op_record(row)) for row in rows]

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

    async def children(self, parent_id: uuid.UUID) -> list[OpRecord]:
        if not self.state.complete:
            await self._select(_op.parent_id == parent_id)
        return [op for op in self.state.by_id.values() if op.parent_id == parent_id]

    async def parent_waits(self) -> bool:
        run = self.run
        query = sa.select(_op.state, _op.output).where(
            _op.id == run.parent_op_run_id, _op.run_id == run.parent_run_id
        )
        row = (await self.conn.execute(query)).first()
        return bool(
            row is not None
            and row.state == "running"
            and isinstance(row.output, dict)
            and row.output.get("run_id") == str(run.id)
        )

    async def called_workflow(self, name: str, version: int | None) -> CalledWorkflow | None:
        w, v = t.workflows.c, t.workflow_versions.c
        query = (
            sa.select(v.id, v.version, v.definition)
            .join(t.workflows, w.id == v.workflow_id)
            .where(
                w.org_id == self.run.org_id,
                w.project_id == self.run.project_id,
                w.name == name,
                v.version == (version if version is not None else w.latest_version),
            )
        )
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        definition = WorkflowDefinition.model_validate(row.definition)
        return CalledWorkflow(row.id, name, row.version, definition)

    async def resolve(self, value: Any) -> Any:
        if self.artifacts is None:
            return value
        return await self.artifacts.resolve(value, self.run.org_id)

    async def offload(self, value: Any, op_key: str, name: str) -> Any:
        if self.artifacts is None:
            return value
        return await self.artifacts.offload(value, self.run.org_id, self.run.id, op_key, name)

    def write_items(self, op: OpRecord) -> None:
        self.item_lists.append(op)
        self.touch(op)

    async def unfinished(self) -> list[OpRecord]:
        if not self.state.complete:
            await self._select(_op.state.in_(UNFINISHED))
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
        self.touched[op.id] = op
        self.state.track(op)

    def send(self, channel: str, message: Message) -> None:
        self.messages.append((channel, message))

    def notify(self, message: Message) -> None:
        self.notes.append(message)

    async def flush(self) -> Committed:
        """Write the unit. On PostgreSQL one statement, which raises ``StaleRun`` (and
        writes nothing) if another writer changed the run since this unit read it."""
        run = self.run
        read_version = run.version
        run.version += 1
        inserted = {op.id for op in self.new_ops}  # written as they are now
        changed = [op for op in self.touched.values() if op.id not in inserted]
        committed = Committed()
        envelope = enveloper(run)
        events = [event_values(run, note, self.now) for note in self.notes]
        if events:
            recorded = RunEventsRecorded.model_construct(
                run_id=run.id,
                events=[
                    RecordedEvent.model_construct(seq=r["seq"], type=r["type"], data=r["data"])
                    for r in events
                ],
            )
            committed.events = envelope(recorded)
        messages = [(ch, envelope(msg)) for ch, msg in self.messages]
        committed.outbox = [
            OutboxMessage(env.id, ch, env, stored=self.outbox_owner is not None)
            for ch, env in messages
        ]
        driver = asyncpg_driver(self.conn)
        if driver is not None:
            for statement in self.extra_writes:
                await self.conn.execute(statement)
            write = unit_write(
                run,
                read_version=None if self.is_new else read_version,
                new_ops=self.new_ops,
                changed_ops=changed,
                item_ops=self.item_lists,
                events=events,
                outbox=committed.outbox,
                outbox_owner=self.outbox_owner,
                now=self.now,
            )
            if self.group is not None and not self.is_new and not self.conn.in_transaction():
                written = await self.group.commit(driver, write)
            else:  # inside a transaction, whose commit is the caller's: alone
                written = await commit_unit(driver, write, self.outbox_owner)
            if not written:
                raise StaleRun(run.id, read_version)
            return committed
        if self.writes_apart:
            async with write_transaction(self.conn):
                await self._write(changed, events, committed.outbox)
        else:
            await self._write(changed, events, committed.outbox)
        return committed

    async def _write(
        self, changed: list[OpRecord], events: list[dict[str, Any]], outbox: list[OutboxMessage]
    ) -> None:
        """The unit's writes one statement per table (SQLite, where round trips are free)."""
        run, conn = self.run, self.conn
        for statement in self.extra_writes:
            await conn.execute(statement)
        if self.is_new:
            await INSERT_RUN.execute(conn, [run_values(run)])
        else:
            await UPDATE_RUN.execute(
                conn, [{"b_id": run.id, **{name: getattr(run, name) for name in RUN_MUTABLE}}]
            )
        if self.new_ops:
            await INSERT_OPS.execute(conn, [op_values(run, op) for op in self.new_ops])
        if changed:
            await UPDATE_OPS.execute(
                conn, [{"b_id": op.id, **{n: getattr(op, n) for n in OP_MUTABLE}} for op in changed]
            )
        if self.item_lists:
            await WRITE_ITEMS.execute(
                conn, [{"b_id": op.id, "items": op.items} for op in self.item_lists]
            )
        if events:
            await INSERT_EVENTS.execute(conn, events)
        if outbox and self.outbox_owner is not None:
            items = [(m.channel, m.envelope) for m in outbox]
            await insert_outbox(conn, self.outbox_owner, items, self.now)
