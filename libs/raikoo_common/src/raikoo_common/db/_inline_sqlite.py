"""SQLite driven inline on the event-loop thread, behind SQLAlchemy's asyncio API.

Why: through aiosqlite every statement is a hop to a worker thread and back; measured here
(bench/, docs/architecture.md) an empty transaction costs ~1 ms that way, while the sqlite3
module runs a four-statement transaction in ~30 µs. Embedded mode is one process writing a
local WAL database, so running the calls inline is both faster and simpler: a transaction
never yields to the event loop half-way, so transactions of one process never interleave.

The cost: a statement blocks the loop while it runs (microseconds for our indexed queries);
a second process writing the same file would make this one wait on SQLite's lock (embedded
mode takes a lock file so that cannot happen by accident).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util import await_

DRIVER = "sqlite+raikoo_inline"


class _Cursor(sqlite3.Cursor):
    async def _async_soft_close(self) -> None:
        """Results are read synchronously from the cursor: nothing to close early."""


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    driver = "raikoo_inline"
    is_async = True
    supports_statement_cache = True

    def create_connect_args(self, url: URL) -> Any:
        args, options = super().create_connect_args(url)
        options["factory"] = _Connection
        return args, options

    # SQLAlchemy's asyncio layer checks that a statement awaited something; the statement
    # has already run, so hand it a coroutine that is finished the moment it is awaited.
    def do_execute(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        super().do_execute(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]
        await_(_done())

    def do_executemany(
        self, cursor: Any, statement: Any, parameters: Any, context: Any = None
    ) -> None:
        super().do_executemany(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]
        await_(_done())

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        super().do_execute_no_params(cursor, statement, context)  # type: ignore[no-untyped-call]
        await_(_done())

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool


async def _done() -> None:
    return None


registry.register("sqlite.raikoo_inline", __name__, "InlineSQLiteDialect")
