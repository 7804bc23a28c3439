"""From run events to deliveries: the tailer reads ``run_events`` in the order it can rely
on and writes a delivery row per matching subscription, advancing its cursor in the same
transaction — an event is turned into deliveries once, or (on a crash) not yet.

On PostgreSQL, ids are handed out when rows are inserted, not when they commit: a reader
that went by id alone could pass an id whose transaction commits later and never see it.
So each row records its writing transaction (``tx``, a column default), and a round reads
only rows of transactions older than its snapshot's ``xmin`` — all of them finished, none
can still appear — in (tx, id) order after the cursor. SQLite has one writer at a time:
ids commit in order, and the cursor is the id alone.

One replica tails at a time (the cursor row is locked, others skip the round). The
scheduler's hot path is untouched; it pays one index entry per event.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_gateway.webhooks.events import StoredEvent, event_type, payload, wanted

CURSOR = "run_events"
_XMIN = "pg_snapshot_xmin(pg_current_snapshot())"


async def tail_once(engine: AsyncEngine, now: datetime, batch: int) -> int:
    """One round: the number of events read (``batch`` means more may be waiting)."""
    if not await _news(engine):
        return 0  # an idle round takes no lock (SQLite's write lock, on PostgreSQL a row's)
    async with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        position = await _cursor(conn, postgres)
        if position is None:
            return 0  # another replica is tailing, or the cursor was just made
        c = t.webhook_subscriptions.c
        if await conn.scalar(sa.select(c.id).where(c.enabled.is_(True)).limit(1)) is None:
            horizon = await _horizon(conn, postgres)  # nobody listens: nothing to keep
            if horizon != position:
                await _move(conn, *horizon)
            return 0
        events = await _events_after(conn, postgres, position, batch)
        if not events:
            return 0
        await _deliveries_for(conn, [event for event, _ in events], now)
        last_event, last_tx = events[-1]
        await _move(conn, last_tx, last_event.id)
        return len(events)


async def _news(engine: AsyncEngine) -> bool:
    """Whether events past the cursor may be read (or there is no cursor yet)."""
    w, e = t.webhook_cursor.c, t.run_events.c
    async with read_only(engine) as conn:
        row = (await conn.execute(sa.select(w.tx, w.event_id).where(w.name == CURSOR))).first()
        if row is None:
            return True
        query = sa.select(e.id).limit(1)
        if conn.dialect.name == "postgresql":
            query = query.where(_settled_after(int(row.tx), int(row.event_id)))
        else:
            query = query.where(e.id > row.event_id)
        return await conn.scalar(query) is not None


async def _cursor(conn: AsyncConnection, postgres: bool) -> tuple[int, int] | None:
    w = t.webhook_cursor.c
    query = sa.select(w.tx, w.event_id).where(w.name == CURSOR)
    row = (await conn.execute(query.with_for_update(skip_locked=True))).first()
    if row is not None:
        return int(row.tx), int(row.event_id)
    exists = await conn.scalar(sa.select(sa.func.count()).where(w.name == CURSOR))
    if not exists:
        # Start after what is settled now: a new installation sends no history.
        tx, event_id = await _horizon(conn, postgres)
        await conn.execute(
            _insert_ignoring_conflict(conn).values(name=CURSOR, tx=tx, event_id=event_id)
        )
    return None


def _insert_ignoring_conflict(conn: AsyncConnection) -> Any:
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        return insert(t.webhook_cursor).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(t.webhook_cursor).on_conflict_do_nothing()


async def _horizon(conn: AsyncConnection, postgres: bool) -> tuple[int, int]:
    e = t.run_events.c
    if postgres:
        query = (
            sa.select(_tx_number(), e.id)
            .where(sa.text(f"run_events.tx < {_XMIN}"))
            .order_by(e.tx.desc(), e.id.desc())
            .limit(1)
        )
        row = (await conn.execute(query)).first()
        return (int(row[0]), int(row[1])) if row is not None else (0, 0)
    last = await conn.scalar(sa.select(sa.func.max(e.id)))
    return 0, int(last or 0)


async def _move(conn: AsyncConnection, tx: int, event_id: int) -> None:
    w = t.webhook_cursor.c
    await conn.execute(
        sa.update(t.webhook_cursor).where(w.name == CURSOR).values(tx=tx, event_id=event_id)
    )


def _settled_after(tx: int, event_id: int) -> sa.TextClause:
    """PostgreSQL: rows after (tx, event_id) whose transactions have all finished."""
    return sa.text(
        "(run_events.tx, run_events.id) > (CAST(CAST(:tx AS text) AS xid8), :event_id) "
        f"AND run_events.tx < {_XMIN}"
    ).bindparams(tx=tx, event_id=event_id)


def _tx_number() -> sa.ColumnElement[Any]:
    return sa.literal_column("CAST(CAST(run_events.tx AS text) AS bigint)")


async def _events_after(
    conn: AsyncConnection, postgres: bool, position: tuple[int, int], batch: int
) -> list[tuple[StoredEvent, int]]:
    e, r, v, w = t.run_events, t.runs, t.workflow_versions, t.workflows
    query = (
        sa.select(
            e.c.id,
            e.c.org_id,
            r.c.project_id,
            e.c.run_id,
            w.c.name,
            v.c.version,
            e.c.seq,
            e.c.type,
            e.c.state,
            e.c.data,
            e.c.created_at,
        )
        .join(r, r.c.id == e.c.run_id)
        .join(v, v.c.id == r.c.workflow_version_id)
        .join(w, w.c.id == v.c.workflow_id)
        .limit(batch)
    )
    tx, event_id = position
    if postgres:
        query = query.add_columns(_tx_number()).where(_settled_after(tx, event_id))
        query = query.order_by(e.c.tx, e.c.id)
    else:
        query = query.add_columns(sa.literal(0)).where(e.c.id > event_id).order_by(e.c.id)
    rows = (await conn.execute(query)).all()
    return [(StoredEvent(*row[:11]), int(row[11])) for row in rows]


async def _deliveries_for(
    conn: AsyncConnection, events: Sequence[StoredEvent], now: datetime
) -> None:
    c = t.webhook_subscriptions.c
    projects = {event.project_id for event in events}
    subscriptions = (
        await conn.execute(
            sa.select(c.id, c.project_id, c.event_types, c.workflows, c.created_at).where(
                c.enabled.is_(True), c.project_id.in_(projects)
            )
        )
    ).all()
    rows: list[dict[str, Any]] = []
    for event in events:
        name = event_type(event.type, event.state)
        if name is None:
            continue
        for sub in subscriptions:
            # Events recorded before the subscription existed are not its to tell.
            if event.created_at < sub.created_at:
                continue
            if sub.project_id == event.project_id and wanted(
                name, event.workflow, sub.event_types, sub.workflows
            ):
                rows.append(_delivery(event, name, sub.id, now))
    if rows:
        await conn.execute(sa.insert(t.webhook_deliveries), rows)


def _delivery(
    event: StoredEvent, name: str, subscription_id: uuid.UUID, now: datetime
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "org_id": event.org_id,
        "project_id": event.project_id,
        "subscription_id": subscription_id,
        "event_id": event.id,
        "event_type": name,
        "payload": payload(event, name),
        "state": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
