"""Async engine construction for SQLite (embedded) and PostgreSQL (distributed)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.util import await_

from raikoo_common.db._inline_sqlite import DRIVER as INLINE_SQLITE

SUPPORTED = (INLINE_SQLITE, "sqlite+aiosqlite", "postgresql+asyncpg")


def normalize_url(url: str) -> str:
    """Accept the plain schemes people paste (postgresql://, sqlite://) and pick the driver."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return INLINE_SQLITE + "://" + url.split("://", 1)[1]
    return url


def create_engine(url: str, *, pool_size: int = 20, pre_ping: bool = False) -> AsyncEngine:
    """``pre_ping``: test a pooled PostgreSQL connection before each use (a round trip),
    so one the server dropped while it sat in the pool is replaced, not failed on: for the
    gateway, whose requests should not see a restart of the database."""
    url = normalize_url(url)
    driver = sa.engine.make_url(url).drivername
    if driver not in SUPPORTED:
        raise ValueError(f"database URL scheme {driver!r} is not supported; use one of {SUPPORTED}")
    json_options: dict[str, Any] = {
        "json_serializer": _json_dumps,
        "json_deserializer": orjson.loads,
    }
    if driver.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 0.05}, **json_options)
        gate = _WriteGate()
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", gate.begin)
        event.listen(engine.sync_engine, "commit", gate.end)
        event.listen(engine.sync_engine, "rollback", gate.end)
        # A connection invalidated or returned mid-transaction must not keep the gate.
        event.listen(engine.sync_engine, "checkin", gate.forget)
        event.listen(engine.sync_engine, "invalidate", gate.forget)
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
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_recycle=1800,
        pool_pre_ping=pre_ping,
        **json_options,
    )


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


WRITE_WAIT_SECONDS = 30.0
"""How long a write transaction waits for SQLite's write lock before it fails."""


class _WriteGate:
    """SQLite has one writer at a time, and a writer that waits for it inside the driver
    blocks its thread — in embedded mode the event loop, which then cannot run the holder
    to its commit: everything froze until the busy timeout (30 s). So write transactions
    of this process queue on an asyncio lock before they BEGIN IMMEDIATE, and a lock held
    by another process (rare: embedded mode locks its data directory) is waited for with
    asynchronous sleeps between attempts. Read-only work (``read_only``) begins deferred
    and, with WAL, never waits for writers."""

    _HELD = "raikoo_write_gate"

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def begin(self, conn: Any) -> None:
        if conn.get_execution_options().get(_READ_ONLY):
            _execute(conn, "BEGIN")
            return
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop) or self._locks.setdefault(loop, asyncio.Lock())
        deadline = time.monotonic() + WRITE_WAIT_SECONDS
        try:
            await_(_acquire(lock, WRITE_WAIT_SECONDS))
        except TimeoutError:
            raise sqlite3.OperationalError(
                f"database is locked: no write lock within {WRITE_WAIT_SECONDS:g}s"
            ) from None
        conn.info[self._HELD] = lock
        try:
            _begin_immediate(conn, deadline)
        except BaseException:
            self.end(conn)
            raise

    def end(self, conn: Any) -> None:
        self._release(conn.info)

    def forget(self, _dbapi_conn: Any, record: Any, *_: Any) -> None:
        if record is not None:
            self._release(record.info)

    def _release(self, info: dict[str, Any]) -> None:
        lock = info.pop(self._HELD, None)
        if lock is not None:
            lock.release()


async def _acquire(lock: asyncio.Lock, seconds: float) -> None:
    # Not asyncio.wait_for: on Python 3.11 it returns the acquired lock when a cancel
    # arrives just as the lock is granted, so the caller's cancel was lost (a relay's
    # stop() then waited for ever).
    async with asyncio.timeout(seconds):
        await lock.acquire()


def _begin_immediate(conn: Any, deadline: float) -> None:
    # Take the write lock at BEGIN: a deferred transaction that reads and then writes can
    # fail with SQLITE_BUSY at once, without waiting, when another connection writes.
    pause = 0.005
    while True:
        try:
            _execute(conn, "BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() + pause > deadline:
                raise
        await_(asyncio.sleep(pause))  # another process writes: wait without the loop
        pause = min(pause * 2, 0.2)


def _execute(conn: Any, statement: str) -> None:
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
        # Short: a wait inside the driver blocks the event loop (see _WriteGate).
        "busy_timeout=50",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


_READ_ONLY = "raikoo_read_only"


@asynccontextmanager
async def read_only(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for reads that must not take SQLite's write lock."""
    async with engine.connect() as conn:
        yield await conn.execution_options(**{_READ_ONLY: True})


async def reads_only(conn: AsyncConnection) -> AsyncConnection:
    """``conn`` reading without SQLite's write lock from its next transaction on."""
    return await conn.execution_options(**{_READ_ONLY: True})


@asynccontextmanager
async def write_transaction(conn: AsyncConnection) -> AsyncIterator[AsyncConnection]:
    """A write transaction on a connection that otherwise reads only (``reads_only``): its
    read transaction ends first, so the write lock is held just for the writes."""
    if conn.in_transaction():
        await conn.commit()
    await conn.execution_options(**{_READ_ONLY: False})
    try:
        async with conn.begin():
            yield conn
    finally:
        await conn.execution_options(**{_READ_ONLY: True})
