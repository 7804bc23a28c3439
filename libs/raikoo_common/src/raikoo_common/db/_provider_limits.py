"""Limits a provider connection's calls share across every ai-runner replica, on rows in
the shared database: requests and tokens per window (``provider_windows``, a conditional
update that counts a call only while it fits) and calls in flight (``provider_slots``, a
row per call counted under a per-connection lock — PostgreSQL's advisory lock, SQLite's
single writer — each with an expiry, so a dead runner's slots free themselves)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.budgets import RateLimits
from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t

_w, _s = t.provider_windows.c, t.provider_slots.c


async def admit(
    engine: AsyncEngine, window_seconds: int, connection: str, limits: RateLimits, tokens: int
) -> float:
    """Count a request in the connection's window if it fits (``BudgetLedger.admit``)."""
    now = time.time()
    window = int(now // window_seconds)
    conditions: list[sa.ColumnElement[bool]] = [
        _w.connection == connection,
        _w.window == window,
    ]
    if limits.requests_per_minute is not None:
        conditions.append(_w.requests + 1 <= limits.requests_per_minute)
    if limits.tokens_per_minute is not None:
        # A call larger than the whole limit still goes, alone in its window.
        conditions.append(sa.or_(_w.tokens + tokens <= limits.tokens_per_minute, _w.tokens == 0))
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    async with engine.begin() as conn:
        await conn.execute(
            insert(t.provider_windows)
            .values(connection=connection, window=window, requests=0, tokens=0)
            .on_conflict_do_nothing(index_elements=[_w.connection, _w.window])
        )
        counted = await conn.execute(
            sa.update(t.provider_windows)
            .where(*conditions)
            .values(requests=_w.requests + 1, tokens=_w.tokens + tokens)
        )
        if counted.rowcount:
            await conn.execute(
                sa.delete(t.provider_windows).where(
                    _w.connection == connection, _w.window < window - 1
                )
            )
            return 0.0
    return max((window + 1) * window_seconds - now, 0.001)


async def take_slot(
    engine: AsyncEngine, connection: str, limit: int, hold_seconds: float
) -> uuid.UUID | None:
    now = utcnow()
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # SQLite: one writer at a time already
            await conn.execute(
                sa.text("SELECT pg_advisory_xact_lock(hashtext(:c))"), {"c": connection}
            )
        await conn.execute(
            sa.delete(t.provider_slots).where(_s.connection == connection, _s.expires_at <= now)
        )
        taken = await conn.scalar(sa.select(sa.func.count()).where(_s.connection == connection))
        if (taken or 0) >= limit:
            return None
        slot = uuid.uuid4()
        await conn.execute(
            sa.insert(t.provider_slots).values(
                id=slot,
                connection=connection,
                expires_at=now + timedelta(seconds=hold_seconds),
            )
        )
    return slot


async def give_slot(engine: AsyncEngine, slot: uuid.UUID) -> None:
    async with engine.begin() as conn:
        await conn.execute(sa.delete(t.provider_slots).where(_s.id == slot))
