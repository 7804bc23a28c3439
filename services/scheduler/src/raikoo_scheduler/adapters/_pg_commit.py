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

import uuid
from collections.abc import Sequence
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


async def commit_unit(
    driver: Any,
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
) -> bool:
    """Write the unit on an asyncpg connection; False if the run row moved past
    ``read_version`` (None: the run is new) and nothing was written."""
    if read_version is None:
        statement, run_row = INSERT_UNIT, run_values(run)
    else:
        statement = UPDATE_UNIT
        run_row = {"id": run.id, **{n: getattr(run, n) for n in RUN_MUTABLE}}
    with_items = {op.id for op in item_ops}
    rows = [
        {**op_values(run, op), "items": op.items if op.id in with_items else None}
        for op in (*new_ops, *changed_ops)
    ]
    stored = [m for m in outbox if m.stored] if outbox_owner is not None else []
    count: int = await driver.fetchval(
        statement,
        _json(run_row),
        read_version if read_version is not None else 0,
        _json(rows),
        list(with_items),
        _json(events),
        [m.id for m in stored],
        [m.channel for m in stored],
        [m.envelope.encode() for m in stored],
        outbox_owner.producer if outbox_owner is not None else PRODUCER,
        now,
        outbox_owner.id if outbox_owner is not None else None,
        run.id,
    )
    return count == 1
