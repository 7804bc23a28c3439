"""Transactional outbox: a message is stored in the same transaction as the state change
that caused it, published right after the commit, and deleted once the bus confirmed it.

If the process dies between commit and publish, the relay publishes the row later (after
``stale_after`` seconds, so it never races the fast path). A message may therefore go out
twice; consumers apply each one once (results are keyed by ``(op_run_id, attempt)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.bus.background import BackgroundPublisher
from raikoo_common.bus.port import Bus
from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.fast import PreparedWrite, column_types
from raikoo_common.messages.envelope import Envelope

log = structlog.get_logger(__name__)


_INSERT = PreparedWrite(
    sa.insert(t.outbox), ("id", "producer", "channel", "body", "created_at"), column_types(t.outbox)
)


@dataclass(frozen=True)
class OutboxMessage:
    id: uuid.UUID
    channel: str
    envelope: Envelope
    stored: bool = True
    """False when the bus keeps nothing across restarts anyway (embedded mode), where the
    scheduler's start-up recovery re-sends from state instead."""


async def insert_outbox(
    conn: AsyncConnection,
    producer: str,
    items: Sequence[tuple[str, Envelope]],
    now: datetime,
) -> list[OutboxMessage]:
    rows = [OutboxMessage(env.id, channel, env) for channel, env in items]
    await _INSERT.execute(
        conn,
        [
            {
                "id": row.id,
                "producer": producer,
                "channel": row.channel,
                "body": row.envelope.encode(),
                "created_at": now,
            }
            for row in rows
        ],
    )
    return rows


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        bus: Bus,
        producer: str,
        *,
        stale_after: float = 5.0,
        interval: float = 1.0,
    ) -> None:
        self.engine = engine
        self.bus = bus
        self.producer = producer
        self.stale_after = timedelta(seconds=stale_after)
        self.interval = interval
        self._published: list[uuid.UUID] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._soon: BackgroundPublisher[OutboxMessage] = BackgroundPublisher(
            self.publish,
            name=f"outbox-publish-{producer}",
            on_failure="publish failed; the outbox relay will retry",
        )

    async def publish(self, messages: Sequence[OutboxMessage]) -> None:
        """Publish just-committed rows; their deletion is batched in the background."""
        if not messages:
            return
        await self.bus.publish_many([(m.channel, m.envelope) for m in messages])
        self._published.extend(m.id for m in messages if m.stored)
        if len(self._published) >= 256:
            self._wake.set()

    def publish_soon(self, messages: Sequence[OutboxMessage]) -> None:
        """Publish just-committed rows from a background task, in order, batched, so the
        caller does not wait for the broker's confirm. A row whose publish fails stays in
        the outbox and the relay sends it later."""
        self._soon.add(messages)

    async def start(self) -> None:
        await self.relay_stale(everything=True)
        self._task = asyncio.create_task(self._loop(), name=f"outbox-relay-{self.producer}")
        self._soon.start()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._soon.stop()
        with contextlib.suppress(Exception):
            await self._delete_published()

    async def _loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            try:
                await self._delete_published()
                await self.relay_stale()
            except Exception:
                log.exception("outbox relay pass failed; will retry", producer=self.producer)

    async def _delete_published(self) -> None:
        ids, self._published = self._published, []
        if not ids:
            return
        try:
            async with self.engine.begin() as conn:
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    await conn.execute(sa.delete(t.outbox).where(t.outbox.c.id.in_(chunk)))
        except Exception:
            self._published.extend(ids)
            raise

    async def relay_stale(self, *, everything: bool = False, limit: int = 500) -> int:
        """Publish rows whose fast path died (all rows at start-up). Returns how many."""
        cutoff = utcnow() - (timedelta(0) if everything else self.stale_after)
        total = 0
        while True:
            async with self.engine.begin() as conn:
                query = (
                    sa.select(t.outbox.c.id, t.outbox.c.channel, t.outbox.c.body)
                    .where(t.outbox.c.producer == self.producer, t.outbox.c.created_at <= cutoff)
                    .order_by(t.outbox.c.created_at)
                    .limit(limit)
                )
                if conn.dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                rows = (await conn.execute(query)).all()
                if not rows:
                    return total
                await self.bus.publish_many([(r.channel, Envelope.decode(r.body)) for r in rows])
                await conn.execute(
                    sa.delete(t.outbox).where(t.outbox.c.id.in_([r.id for r in rows]))
                )
                total += len(rows)
                log.info("outbox relayed stale messages", producer=self.producer, count=len(rows))
            if len(rows) < limit:
                return total
