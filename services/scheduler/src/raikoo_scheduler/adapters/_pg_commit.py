"""A unit of work's writes on PostgreSQL in one statement, hence one round trip.

The run row, the operation runs it changed or created, its events and its outbox messages
travel as parameters of a single data-modifying CTE: rows as JSON arrays expanded by
``jsonb_to_recordset`` (typed by the table's own column types), message bodies as a
``bytea[]``. The run row is written first and only if its ``version`` is still the one
this unit read; every other write depends on that, so a stale unit writes nothing and
the caller learns it from the returned count. One statement is one transaction when the
connection has none open, so a hot run's step needs no BEGIN, no locking read and no
COMMIT round trips (see ``SqlRunStore.unit``).

A ``None`` in a JSON column is stored as SQL NULL here (``jsonb_to_recordset`` maps JSON
null to NULL), where SQLAlchemy's JSON type writes the JSON value ``null``: both read back
as ``None``, and no query tells them apart.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from raikoo_common.db import tables as t
from raikoo_common.outbox import OutboxMessage, OutboxOwner
from raikoo_scheduler.adapters._statements import (
    EVENT_FIELDS,
    OP_FIELDS,
    OP_MUTABLE,
    PRODUCER,
    RUN_FIELDS,
    RUN_MUTABLE,
    op_values,
    run_values,
)
from raikoo_scheduler.domain.records import OpRecord, RunRecord
from raikoo_scheduler.ports import StaleRun

_PG = postgresql.dialect()  # type: ignore[no-untyped-call]


def _record(table: sa.Table, names: Sequence[str]) -> str:
    """A ``jsonb_to_record(set)`` column list with the table's PostgreSQL types."""
    return ", ".join(f"{name} {table.c[name].type.compile(dialect=_PG)}" for name in names)


def _from(param: str, table: sa.Table, names: Sequence[str], alias: str) -> str:
    return f"jsonb_to_recordset(${param}::jsonb) AS {alias}({_record(table, names)})"


_OP_COLUMNS = (*OP_FIELDS, *OP_MUTABLE, "items")
_GUARD = "EXISTS (SELECT 1 FROM r)"

# Rows are found through their primary keys, whatever the planner thinks of the tables.
# Its statistics lag behind a young, fast-growing database (autovacuum analyzes at most
# once a minute), and a generic plan made while a table was small stays cached on the
# connection until the next analyze. Joined to a JSON record set (which it takes for 100
# rows), the changed operation runs were found by scanning all of ``operation_runs``, for
# every unit of work: in the benchmark's concurrent runs, 29,000 rows read per run of 10
# steps. They are written as an upsert now, whose conflict check always probes the
# primary key: a new row is inserted, a changed one updated (its immutable columns, sent
# so that the row could be inserted, are left alone). The run row is matched on its id as
# a parameter of its own ($12): a plain key equality, which goes to the index once the
# table spans a few pages (joined to the record, it was scanned at a few hundred runs).


def _run_update() -> str:
    sets = ", ".join(f"{name} = v.{name}" for name in RUN_MUTABLE)
    return (
        f"r AS (UPDATE runs SET {sets} "  # noqa: S608 - names from the table metadata
        f"FROM jsonb_to_record($1::jsonb) AS v({_record(t.runs, ('id', *RUN_MUTABLE))}) "
        "WHERE runs.id = $12::uuid AND runs.id = v.id AND runs.version = $2 "
        "RETURNING runs.id)"
    )


def _run_insert() -> str:
    columns = ", ".join(RUN_FIELDS)
    return (
        f"r AS (INSERT INTO runs ({columns}) SELECT {columns} "  # noqa: S608 - as above
        f"FROM jsonb_to_record($1::jsonb) AS v({_record(t.runs, RUN_FIELDS)}) "
        # $2 (the version read) and $12 (the id) have no use here but keep both
        # statements' parameters alike.
        "WHERE $2::int IS NOT NULL AND $12::uuid IS NOT NULL RETURNING runs.id)"
    )


def _statement(run_cte: str) -> str:
    op_columns = ", ".join(_OP_COLUMNS)
    op_sets = ", ".join(f"{name} = EXCLUDED.{name}" for name in OP_MUTABLE)
    event_columns = ", ".join(EVENT_FIELDS)
    return (
        f"WITH {run_cte}, "  # noqa: S608 - names from the table metadata, values bound
        f"ops AS (INSERT INTO operation_runs AS o ({op_columns}) SELECT {op_columns} "
        f"FROM {_from('3', t.operation_runs, _OP_COLUMNS, 'n')} WHERE {_GUARD} "
        f"ON CONFLICT (id) DO UPDATE SET {op_sets}, "
        "items = CASE WHEN EXCLUDED.id = ANY($4::uuid[]) THEN EXCLUDED.items ELSE o.items END), "
        f"events AS (INSERT INTO run_events ({event_columns}) SELECT {event_columns} "
        f"FROM {_from('5', t.run_events, EVENT_FIELDS, 'e')} WHERE {_GUARD}), "
        "messages AS (INSERT INTO outbox (id, producer, owner, channel, body, created_at) "
        "SELECT m.id, $9, $11, m.channel, m.body, $10 "
        "FROM unnest($6::uuid[], $7::text[], $8::bytea[]) AS m(id, channel, body) "
        f"WHERE {_GUARD}) "
        "SELECT count(*) FROM r"
    )


UPDATE_UNIT = _statement(_run_update())
INSERT_UNIT = _statement(_run_insert())


def _json(rows: Any) -> str:
    return orjson.dumps(rows, default=_uuid).decode()


def _uuid(value: Any) -> str:
    # Ids read back by asyncpg are its own UUID subclass, which orjson does not take.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


@dataclass(frozen=True)
class UnitWrite:
    """What one unit of work writes, as the statement's parameters want it."""

    run_id: uuid.UUID
    read_version: int | None
    """The run row's version this unit read; None when the unit creates the run."""
    run_row: dict[str, Any]
    op_rows: list[dict[str, Any]]
    with_items: list[uuid.UUID]
    events: Sequence[dict[str, Any]]
    stored: list[OutboxMessage]
    now: datetime


def unit_write(
    run: RunRecord,
    *,
    read_version: int | None,
    new_ops: Sequence[OpRecord],
    changed_ops: Sequence[OpRecord],
    item_ops: Sequence[OpRecord],
    events: Sequence[dict[str, Any]],
    outbox: Sequence[OutboxMessage],
    outbox_owner: OutboxOwner | None,
    now: datetime,
) -> UnitWrite:
    if read_version is None:
        run_row = run_values(run)
    else:
        run_row = {"id": run.id, **{n: getattr(run, n) for n in RUN_MUTABLE}}
    with_items = {op.id for op in item_ops}
    rows = [
        {**op_values(run, op), "items": op.items if op.id in with_items else None}
        for op in (*new_ops, *changed_ops)
    ]
    stored = [m for m in outbox if m.stored] if outbox_owner is not None else []
    return UnitWrite(run.id, read_version, run_row, rows, list(with_items), events, stored, now)


async def commit_unit(driver: Any, write: UnitWrite, outbox_owner: OutboxOwner | None) -> bool:
    """Write the unit on an asyncpg connection; False if the run row moved past
    ``read_version`` (None: the run is new) and nothing was written."""
    stored = write.stored
    count: int = await driver.fetchval(
        INSERT_UNIT if write.read_version is None else UPDATE_UNIT,
        _json(write.run_row),
        write.read_version if write.read_version is not None else 0,
        _json(write.op_rows),
        write.with_items,
        _json(write.events),
        [m.id for m in stored],
        [m.channel for m in stored],
        [m.envelope.encode() for m in stored],
        outbox_owner.producer if outbox_owner is not None else PRODUCER,
        write.now,
        outbox_owner.id if outbox_owner is not None else None,
        write.run_id,
    )
    return count == 1


def _group_statement() -> str:
    """``UPDATE_UNIT`` for the units of several runs: each run row is written only at the
    version its unit read, and each other row only if its run's row was; the statement
    answers the runs it wrote."""
    sets = ", ".join(f"{name} = v.{name}" for name in RUN_MUTABLE)
    run_record = _record(t.runs, ("id", *RUN_MUTABLE))
    op_columns = ", ".join(_OP_COLUMNS)
    op_sets = ", ".join(f"{name} = EXCLUDED.{name}" for name in OP_MUTABLE)
    event_columns = ", ".join(EVENT_FIELDS)
    written = "IN (SELECT id FROM r)"
    return (
        f"WITH r AS (UPDATE runs SET {sets} "  # noqa: S608 - names from the table metadata
        f"FROM jsonb_to_recordset($1::jsonb) AS v(read_version INTEGER, {run_record}) "
        "WHERE runs.id = ANY($2::uuid[]) AND runs.id = v.id "
        "AND runs.version = v.read_version RETURNING runs.id), "
        f"ops AS (INSERT INTO operation_runs AS o ({op_columns}) SELECT {op_columns} "
        f"FROM {_from('3', t.operation_runs, _OP_COLUMNS, 'n')} WHERE n.run_id {written} "
        f"ON CONFLICT (id) DO UPDATE SET {op_sets}, "
        "items = CASE WHEN EXCLUDED.id = ANY($4::uuid[]) THEN EXCLUDED.items ELSE o.items END), "
        f"events AS (INSERT INTO run_events ({event_columns}) SELECT {event_columns} "
        f"FROM {_from('5', t.run_events, EVENT_FIELDS, 'e')} WHERE e.run_id {written}), "
        "messages AS (INSERT INTO outbox (id, producer, owner, channel, body, created_at) "
        "SELECT m.id, $9, $10, m.channel, m.body, m.created_at "
        "FROM unnest($6::uuid[], $7::text[], $8::bytea[], $11::uuid[], $12::timestamptz[]) "
        f"AS m(id, channel, body, run_id, created_at) WHERE m.run_id {written}) "
        "SELECT id FROM r"
    )


GROUP_UPDATE = _group_statement()


async def commit_units(
    driver: Any, writes: Sequence[UnitWrite], outbox_owner: OutboxOwner | None
) -> set[uuid.UUID]:
    """Write units of distinct existing runs in one statement; the runs whose unit was
    written (the others' rows moved past the version their unit read: nothing of theirs
    was written)."""
    assert all(w.read_version is not None for w in writes), "new runs are written alone"
    assert len({w.run_id for w in writes}) == len(writes), "one unit per run"
    stored = [(w, m) for w in writes for m in w.stored]
    rows = await driver.fetch(
        GROUP_UPDATE,
        _json([{"read_version": w.read_version, **w.run_row} for w in writes]),
        [w.run_id for w in writes],
        _json([row for w in writes for row in w.op_rows]),
        [op_id for w in writes for op_id in w.with_items],
        _json([event for w in writes for event in w.events]),
        [m.id for _, m in stored],
        [m.channel for _, m in stored],
        [m.envelope.encode() for _, m in stored],
        outbox_owner.producer if outbox_owner is not None else PRODUCER,
        outbox_owner.id if outbox_owner is not None else None,
        [w.run_id for w, _ in stored],
        [w.now for w, _ in stored],
    )
    return {row["id"] for row in rows}


class GroupCommit:
    """Units of different runs that are ready to write while another unit's statement is
    in flight are written together in the next statement: one round trip, one commit
    (and one WAL flush) for all of them instead of one each. A unit that finds nothing in
    flight writes at once, alone, as it always did, so a lone run's step waits for nobody.

    Whoever is first in line when a statement ends writes the next group, on its own
    connection (outside any transaction: the statement is its own). If a group's
    statement fails, each of its units is written alone, so one that the database
    refuses fails alone. If the unit writing a group is cancelled midway, the others
    cannot know whether they were written: each is told ``StaleRun``, and applies its
    commands again on the run as it is then. Units of one run never meet here: a run's
    units are serialised by its mailbox.
    """

    def __init__(self, outbox_owner: OutboxOwner | None, max_group: int = 64) -> None:
        self._owner = outbox_owner
        self._max_group = max_group
        self._busy = False
        self._line: list[_InLine] = []

    async def commit(self, driver: Any, write: UnitWrite) -> bool:
        """Write ``write`` (of an existing run); False if its run moved on since the unit
        read it, and nothing of it was written."""
        if not self._busy:
            self._busy = True
            try:
                return await commit_unit(driver, write, self._owner)
            finally:
                self._next()
        me = _InLine(write, asyncio.get_running_loop().create_future())
        self._line.append(me)
        try:
            turn = await me.turn
        except asyncio.CancelledError:
            if _given(me.turn) is _LEAD:  # cancelled as its turn came: pass the turn on
                self._next()
            raise
        if turn is _WRITTEN:
            return me.written
        # This unit's turn: it writes the group, itself first.
        waiting = self._line[: self._max_group - 1]
        del self._line[: self._max_group - 1]
        group = [me, *(item for item in waiting if not item.turn.done())]
        try:
            await self._write(driver, group)
        finally:
            for item in group[1:]:
                if not item.turn.done():  # interrupted: tell each to apply again
                    stale = StaleRun(item.write.run_id, item.write.read_version or 0)
                    item.turn.set_exception(stale)
            self._next()
        return me.written

    def _next(self) -> None:
        """Give the turn to the first unit in line (one whose waiter was cancelled is
        skipped), or go idle."""
        while self._line:
            first = self._line.pop(0)
            if not first.turn.done():
                first.turn.set_result(_LEAD)
                return
        self._busy = False

    async def _write(self, driver: Any, group: list[_InLine]) -> None:
        leader, others = group[0], group[1:]
        if not others:
            leader.written = await commit_unit(driver, leader.write, self._owner)
            return
        try:
            written = await commit_units(driver, [item.write for item in group], self._owner)
        except Exception:
            # One unit the database refuses must not fail the others: each alone.
            failure: Exception | None = None
            for item in group:
                try:
                    item.written = await commit_unit(driver, item.write, self._owner)
                except Exception as exc:
                    if item is leader:
                        failure = exc
                    else:
                        _settle(item, exc)
                else:
                    if item is not leader:
                        _settle(item, None)
            if failure is not None:
                raise failure from None
            return
        leader.written = leader.write.run_id in written
        for item in others:
            item.written = item.write.run_id in written
            _settle(item, None)


def _given(turn: asyncio.Future[object]) -> object:
    """What a unit in line was told, if anything."""
    if not turn.done() or turn.cancelled() or turn.exception() is not None:
        return None
    return turn.result()


def _settle(item: _InLine, exc: BaseException | None) -> None:
    if item.turn.done():  # its waiter was cancelled meanwhile
        return
    if exc is None:
        item.turn.set_result(_WRITTEN)
    else:
        item.turn.set_exception(exc)


_LEAD = object()
"""A unit in line is told: your turn, write the next group."""
_WRITTEN = object()
"""A unit in line is told: your write is done, see ``written``."""


@dataclass
class _InLine:
    write: UnitWrite
    turn: asyncio.Future[object]
    written: bool = False
