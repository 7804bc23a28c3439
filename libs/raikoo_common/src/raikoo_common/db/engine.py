"""Async engine construction for SQLite (embedded) and PostgreSQL (distributed)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from raikoo_common.db._inline_sqlite import DRIVER as INLINE_SQLITE

SUPPORTED = (INLINE_SQLITE, "sqlite+aiosqlite", "postgresql+asyncpg")


def normalize_url(url: str) -> str:
    """Accept the plain schemes people paste (postgresql://, sqlite://) and pick the driver."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return INLINE_SQLITE + "://" + url.split("://", 1)[1]
    return url


def create_engine(url: str, *, pool_size: int = 20) -> AsyncEngine:
    url = normalize_url(url)
    driver = sa.engine.make_url(url).drivername
    if driver not in SUPPORTED:
        raise ValueError(f"database URL scheme {driver!r} is not supported; use one of {SUPPORTED}")
    json_options: dict[str, Any] = {
        "json_serializer": _json_dumps,
        "json_deserializer": orjson.loads,
    }
    if driver.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **json_options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        return engine
    # No pre-ping: it costs a round trip per checkout, on every unit of work. A connection
    # that died with the server fails its unit, SQLAlchemy invalidates the pool, and the bus
    # redelivers the message after a pause; idle connections are recycled before servers
    # or proxies drop them. No overflow: SQLAlchemy closes an overflow connection when it is
    # returned to a full pool, so every burst above pool_size (100 runs started at once)
    # connected and disconnected over and over, paying each time for the connection, its
    # codec setup and the preparation of the hot statements. Connections are opened on
    # demand up to pool_size and then kept.
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=0, pool_recycle=1800, **json_options
    )


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock at BEGIN: a deferred transaction that reads and then writes can
    # fail with SQLITE_BUSY at once, without waiting, when another connection writes.
    # Read-only work (see ``read_only``) begins deferred and, with WAL, never blocks writers.
    statement = "BEGIN" if conn.get_execution_options().get(_READ_ONLY) else "BEGIN IMMEDIATE"
    driver = conn.connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        driver.execute(statement)  # inline driver: skip the statement machinery
    else:
        conn.exec_driver_sql(statement)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see above)
    # WAL lets readers (API) run beside the scheduler's writes; NORMAL sync is durable
    # across process crashes, which is what embedded mode promises.
    cursor = dbapi_conn.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "busy_timeout=30000",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


_READ_ONLY = "raikoo_read_only"


@asynccontextmanager
async def read_only(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for reads that must not take SQLite's write lock."""
    async with engine.connect() as conn:
        yield await conn.execution_options(**{_READ_ONLY: True})
