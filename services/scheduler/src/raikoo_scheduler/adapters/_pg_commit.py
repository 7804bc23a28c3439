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


_OP_INSERT = (*OP_FIELDS, *OP_MUTABLE, "items")
_OP_UPDATE = ("id", *OP_MUTABLE, "items")
_GUARD = "EXISTS (SELECT 1 FROM r)"


def _run_update() -> str:
    sets = ", ".join(f"{name} = v.{name}" for name in RUN_MUTABLE)
    return (
        f"r AS (UPDATE runs SET {sets} "  # noqa: S608 - names from the table metadata
        f"FROM jsonb_to_record($1::jsonb) AS v({_record(t.runs, ('id', *RUN_MUTABLE))}) "
        "WHERE runs.id = v.id AND runs.version = $2 RETURNING runs.id)"
    )


def _run_insert() -> str:
    columns = ", ".join(RUN_FIELDS)
    return (
        f"r AS (INSERT INTO runs ({columns}) SELECT {columns} "  # noqa: S608 - as above
        f"FROM jsonb_to_record($1::jsonb) AS v({_record(t.runs, RUN_FIELDS)}) "
        # $2 (the version read) has no use here but keeps both statements' parameters alike.
        "WHERE $2::int IS NOT NULL RETURNING runs.id)"
    )


def _statement(run_cte: str) -> str:
    op_columns = ", ".join(_OP_INSERT)
    op_sets = ", ".join(f"{name} = u.{name}" for name in OP_MUTABLE)
    event_columns = ", ".join(EVENT_FIELDS)
    return (
        f"WITH {run_cte}, "  # noqa: S608 - names from the table metadata, values bound
        f"ops_in AS (INSERT INTO operation_runs ({op_columns}) SELECT {op_columns} "
        f"FROM {_from('3', t.operation_runs, _OP_INSERT, 'n')} WHERE {_GUARD}), "
        f"ops_up AS (UPDATE operation_runs SET {op_sets}, "
        "items = CASE WHEN u.id = ANY($4::uuid[]) THEN u.items ELSE operation_runs.items END "
        f"FROM {_from('5', t.operation_runs, _OP_UPDATE, 'u')} "
        f"WHERE operation_runs.id = u.id AND {_GUARD}), "
        f"events AS (INSERT INTO run_events ({event_columns}) SELECT {event_columns} "
        f"FROM {_from('6', t.run_events, EVENT_FIELDS, 'e')} WHERE {_GUARD}), "
        "messages AS (INSERT INTO outbox (id, producer, owner, channel, body, created_at) "
        "SELECT m.id, $10, $12, m.channel, m.body, $11 "
        "FROM unnest($7::uuid[], $8::text[], $9::bytea[]) AS m(id, channel, body) "
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
    inserted = [
        {**op_values(run, op), "items": op.items if op.id in with_items else None} for op in new_ops
    ]
    updated = [
        {
            "id": op.id,
            "items": op.items if op.id in with_items else None,
            **{n: getattr(op, n) for n in OP_MUTABLE},
        }
        for op in changed_ops
    ]
    stored = [m for m in outbox if m.stored] if outbox_owner is not None else []
    count: int = await driver.fetchval(
        statement,
        _json(run_row),
        read_version if read_version is not None else 0,
        _json(inserted),
        list(with_items),
        _json(updated),
        _json(events),
        [m.id for m in stored],
        [m.channel for m in stored],
        [m.envelope.encode() for m in stored],
        outbox_owner.producer if outbox_owner is not None else PRODUCER,
        now,
        outbox_owner.id if outbox_owner is not None else None,
    )
    return count == 1
