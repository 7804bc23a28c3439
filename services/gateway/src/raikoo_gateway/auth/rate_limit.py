"""Rate limits per API key (or user) and per organization, shared by gateway replicas.

Each replica counts requests per scope in fixed one-minute windows and, every second, adds
what it counted to the shared totals in the database (one upsert per busy scope) and reads
them back. A request is refused when the shared total as last read, plus what this replica
counted since, reaches the limit: the replicas together admit at most about a second's
worth of requests more than the limit, and no request waits for the database.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import sqlalchemy as sa
import structlog
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.db import tables as t
from raikoo_common.event_loop import stop_task

log = structlog.get_logger(__name__)

WINDOW_SECONDS = 60


class RateLimiter:
    def __init__(self, engine: AsyncEngine, *, sync_every: float = 1.0) -> None:
        self._engine = engine
        self._sync_every = sync_every
        self._pending: Counter[tuple[str, int]] = Counter()
        self._shared: dict[tuple[str, int], int] = {}
        self._task: asyncio.Task[None] | None = None

    def admit(self, limits: list[tuple[str, int]]) -> float | None:
        """Count a request against each (scope, per-minute limit); None when admitted, else
        the seconds until the window ends (Retry-After). A refused request counts nowhere."""
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        for scope, limit in limits:
            used = self._shared.get((scope, window), 0) + self._pending[(scope, window)]
            if limit > 0 and used >= limit:
                return max(1.0, (window + 1) * WINDOW_SECONDS - now)
        for scope, _ in limits:
            self._pending[(scope, window)] += 1
        return None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._sync_forever(), name="rate-limit-sync")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _sync_forever(self) -> None:
        while True:
            await asyncio.sleep(self._sync_every)
            try:
                await self.sync()
            except Exception:
                log.warning("rate-limit counts not shared; will retry", exc_info=True)

    async def sync(self) -> None:
        """Add the counts of this replica to the shared totals and read the totals back."""
        pending, self._pending = self._pending, Counter()
        window = int(time.time() // WINDOW_SECONDS)
        self._shared = {key: n for key, n in self._shared.items() if key[1] >= window}
        if not pending:
            return
        r = t.rate_windows
        insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        try:
            async with self._engine.begin() as conn:
                for (scope, at), count in sorted(pending.items()):
                    row = insert(r).values(scope=scope, window=at, count=count)
                    upsert = row.on_conflict_do_update(
                        index_elements=[r.c.scope, r.c.window],
                        set_={"count": r.c.count + row.excluded.count},
                    ).returning(r.c.count)
                    self._shared[(scope, at)] = int(await conn.scalar(upsert) or 0)
                await conn.execute(sa.delete(r).where(r.c.window < window - 1))
        except Exception:
            self._pending.update(pending)
            raise
