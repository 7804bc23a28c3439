"""Hot-path writes: a statement compiled once, its parameters converted by the column types'
own bind processors, executed straight on the driver when the driver is sqlite3.

Why: SQLAlchemy's per-execution bookkeeping costs ~0.2 ms a statement (more through the
asyncpg adapter) while sqlite3 itself needs ~0.03 ms; the scheduler writes three or four
statements per operation step. Values are converted exactly as SQLAlchemy would (same
``bind_processor``, same compiled SQL with its casts), so rows written here read back
identically through SQLAlchemy. sqlite3 and asyncpg (inside an open transaction) are
driven directly; anything else goes through ``AsyncConnection.execute``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

_Processor = Callable[[Any], Any] | None


class PreparedWrite:
    """An INSERT or UPDATE executed with many rows of the same keys."""

    def __init__(
        self, statement: sa.Insert | sa.Update, keys: Sequence[str], types: Mapping[str, Any]
    ) -> None:
        self.statement = statement
        self.keys = tuple(keys)
        self._types = types
        self._compiled: dict[str, tuple[str, tuple[str, ...], tuple[_Processor, ...]]] = {}

    def _for(self, dialect: Dialect) -> tuple[str, tuple[str, ...], tuple[_Processor, ...]]:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            table = self.statement.table
            columns = [k for k in self.keys if k in table.c]
            sql = self.statement.compile(dialect=dialect, column_keys=columns)
            order = tuple(sql.positiontup or ())
            processors = tuple(self._types[name].bind_processor(dialect) for name in order)
            compiled = (str(sql), order, processors)
            self._compiled[dialect.name] = compiled
        return compiled

    async def execute(self, conn: AsyncConnection, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        sync = conn.sync_connection
        driver = sync.connection.driver_connection if sync is not None else None
        if isinstance(driver, sqlite3.Connection):
            driver.executemany(*self._bound(conn.dialect, rows))
        elif driver is not None and _is_asyncpg(driver) and driver.is_in_transaction():
            # Only inside the transaction SQLAlchemy opened: on its own, asyncpg would
            # autocommit each statement.
            await driver.executemany(*self._bound(conn.dialect, rows))
        else:
            await conn.execute(self.statement, list(rows))

    def _bound(
        self, dialect: Dialect, rows: Sequence[Mapping[str, Any]]
    ) -> tuple[str, list[tuple[Any, ...]]]:
        sql, order, processors = self._for(dialect)
        return sql, [
            tuple(
                value if proc is None else proc(value)
                for value, proc in zip((row[name] for name in order), processors, strict=True)
            )
            for row in rows
        ]


def _is_asyncpg(driver: Any) -> bool:
    return type(driver).__module__.startswith("asyncpg")


def asyncpg_driver(conn: AsyncConnection) -> Any | None:
    """The asyncpg connection under ``conn``, or None on any other driver."""
    sync = conn.sync_connection
    driver = sync.connection.driver_connection if sync is not None else None
    return driver if driver is not None and _is_asyncpg(driver) else None


def column_types(table: sa.Table, **extra: Any) -> dict[str, Any]:
    """Bind name → SQL type: the table's columns plus extra bind parameters."""
    return {**{column.key: column.type for column in table.columns}, **extra}
