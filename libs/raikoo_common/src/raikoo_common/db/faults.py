"""Which database failures a retry can cure: a connection dropped or refused, a server
shutting down, a serialisation conflict, a lock or pool that timed out. Everything else —
a constraint violated, a type or value the database refuses, a bug — fails the same way
again, so whoever holds the work must settle it now rather than retry it for minutes.
"""

from __future__ import annotations

import errno
import socket

import asyncpg
import sqlalchemy.exc as sa_exc

_RETRYABLE_SQLSTATE_CLASSES = ("08", "53", "57", "58")
"""Connection exceptions, insufficient resources, operator intervention (shutdown, crash
recovery), system errors."""
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
"""Serialisation failure, deadlock detected, lock not available."""
_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EPIPE,
        errno.ETIMEDOUT,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ENETDOWN,
    }
)


def is_transient(exc: BaseException) -> bool:
    for cause in _chain(exc):
        if isinstance(cause, ConnectionError | TimeoutError):
            return True
        if isinstance(cause, sa_exc.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, sa_exc.TimeoutError):  # no pooled connection in time
            return True
        if isinstance(cause, asyncpg.exceptions.InterfaceError | asyncpg.PostgresConnectionError):
            return True
        if isinstance(cause, socket.gaierror) or (
            isinstance(cause, OSError) and cause.errno in _NETWORK_ERRNOS
        ):
            return True
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(state, str) and (
            state in _RETRYABLE_SQLSTATES or state.startswith(_RETRYABLE_SQLSTATE_CLASSES)
        ):
            return True
        if isinstance(cause, sa_exc.OperationalError) and "locked" in str(cause):
            return True  # SQLite: another process held the write lock too long
    return False


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and what caused it (SQLAlchemy wraps the driver's error in ``orig``)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 8:
        found.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return found
