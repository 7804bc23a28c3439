"""Transactional outbox: a message is stored in the same transaction as the state change
that caused it, published right after the commit, and deleted once the bus confirmed it.

Executed once in the normal case (DESIGN.md §4): a row is published again only if its
first publish was never confirmed — by the process that wrote it, which knows, or, once
that process is gone, by another. Every process writing rows is an *owner*: a row in
``outbox_owners`` whose lease it renews while it runs, and every row it writes carries its
id. Another process adopts an owner's rows only after that lease expired (the owner stopped
renewing: crashed, hung or cut off) or was released (a graceful stop with rows left over),
and a process whose own lease lapsed stops publishing and re-registers under a new id, so
two processes never both publish a row they believe is theirs. A message may still go out
twice after a crash; consumers apply each one once (results are keyed by ``(op_run_id,
attempt)``).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.bus.background import BackgroundPublisher
from raikoo_common.bus.port import Bus
from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.fast import PreparedWrite, column_types
from raikoo_common.event_loop import stop_task
from raikoo_common.messages.envelope import Envelope
from raikoo_common.messages.outgoing import OutboxMessage

__all__ = ["OutboxMessage", "OutboxOwner", "OutboxRelay", "insert_outbox"]

log = structlog.get_logger(__name__)


_INSERT = PreparedWrite(
    sa.insert(t.outbox),
    ("id", "producer", "owner", "channel", "body", "created_at"),
    column_types(t.outbox),
)
_o = t.outbox.c
_w = t.outbox_owners.c


@dataclass
class OutboxOwner:
    """Who writes outbox rows in this process: ``producer`` names the service, ``id`` this
    incarnation (a new one after a lapsed lease)."""

    producer: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)


async def insert_outbox(
    conn: AsyncConnection,
    owner: OutboxOwner,
    items: Sequence[tuple[str, Envelope]],
    now: datetime,
) -> list[OutboxMessage]:
    rows = [OutboxMessage(env.id, channel, env) for channel, env in items]
    await _INSERT.execute(
        conn,
        [
            {
                "id": row.id,
                "producer": owner.producer,
                "owner": owner.id,
                "channel": row.channel,
                "body": row.envelope.encode(),
                "created_at": now,
            }
            for row in rows
        ],
    )
    return rows


class OutboxRelay:
    """Publishes this process's outbox rows, deletes them once confirmed, re-sends those
    whose publish failed, and adopts the rows of owners that are gone.

    ``exclusive``: this process is the only one using the database (embedded mode, under
    the data-directory lock), so every other owner is gone and its rows are adopted at
    start without waiting for a lease to run out.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        bus: Bus,
        producer: str,
        *,
        lease: float = 15.0,
        interval: float = 1.0,
        exclusive: bool = False,
    ) -> None:
        self.engine = engine
        self.bus = bus
        self.owner = OutboxOwner(producer)
        self.lease = timedelta(seconds=lease)
        self.interval = interval
        self.exclusive = exclusive
        self._valid_until: datetime | None = None
        """Until when this process may publish its rows (its lease, by its own clock)."""
        self._published: list[uuid.UUID] = []
        self._failed: dict[uuid.UUID, OutboxMessage] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._soon: BackgroundPublisher[OutboxMessage] = BackgroundPublisher(
            self._publish_or_keep,
            name=f"outbox-publish-{producer}",
            on_failure="publish failed; the outbox relay will retry",
        )

    async def publish(self, messages: Sequence[OutboxMessage]) -> None:
        """Publish just-committed rows; their deletion is batched in the background. A
        publish that fails is kept and retried by the relay: the caller's rows are
        committed, so nothing is lost and the caller need not fail."""
        try:
            await self._publish_or_keep(messages)
        except Exception:
            log.warning(
                "publish failed; the outbox relay will retry",
                producer=self.owner.producer,
                count=len(messages),
                exc_info=True,
            )

    def publish_soon(self, messages: Sequence[OutboxMessage]) -> None:
        """Publish just-committed rows from a background task, in order, batched, so the
        caller does not wait for the broker's confirm. A row whose publish fails is kept
        and retried by the relay."""
        self._soon.add(messages)

    async def _publish_or_keep(self, messages: Sequence[OutboxMessage]) -> None:
        if not messages:
            return
        if not self._lease_holds() and any(m.stored for m in messages):
            # Our lease may be over and our rows adopted: let _renew() decide.
            self._failed.update((m.id, m) for m in messages)
            self._wake.set()
            return
        try:
            await self.bus.publish_many([(m.channel, m.envelope) for m in messages])
        except BaseException:
            self._failed.update((m.id, m) for m in messages)
            self._wake.set()
            raise
        self._confirmed(messages)

    def _confirmed(self, messages: Sequence[OutboxMessage]) -> None:
        self._published.extend(m.id for m in messages if m.stored)
        if len(self._published) >= 256:
            self._wake.set()

    async def start(self) -> None:
        await self._register()
        await self.adopt_orphans(everything=self.exclusive)
        self._task = asyncio.create_task(self._loop(), name=f"outbox-relay-{self.owner.producer}")
        self._soon.start()

    async def stop(self) -> None:
        await stop_task(self._task)
        await self._soon.stop()
        with contextlib.suppress(Exception):
            await self._retry_failed()
        with contextlib.suppress(Exception):
            await self._delete_published()
        with contextlib.suppress(Exception):
            # Rows whose publish never succeeded stay; releasing the lease lets the next
            # process adopt them at once instead of after the lease.
            async with self.engine.begin() as conn:
                await conn.execute(sa.delete(t.outbox_owners).where(_w.id == self.owner.id))

    async def _loop(self) -> None:
        renew_every = self.lease / 3
        renewed = utcnow()
        while True:
            # asyncio.timeout, not wait_for: on 3.11 wait_for returns the result when a
            # cancel and the wake arrive together, and stop() then waited for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval):
                    await self._wake.wait()
            self._wake.clear()
            try:
                if utcnow() - renewed >= renew_every:
                    await self._renew()
                    renewed = utcnow()
                await self._delete_published()
                await self._retry_failed()
                await self.adopt_orphans()
            except Exception:
                log.exception("outbox relay pass failed; will retry", producer=self.owner.producer)

    async def _register(self) -> None:
        now = utcnow()
        async with self.engine.begin() as conn:
            await conn.execute(
                sa.insert(t.outbox_owners).values(
                    id=self.owner.id,
                    producer=self.owner.producer,
                    started_at=now,
                    expires_at=now + self.lease,
                )
            )
        self._valid_until = now + self.lease

    async def _renew(self) -> None:
        now = utcnow()
        if not self._lease_holds():
            await self._lapsed()
            return
        async with self.engine.begin() as conn:
            renewed = await conn.execute(
                sa.update(t.outbox_owners)
                .where(_w.id == self.owner.id, _w.expires_at > now)
                .values(expires_at=now + self.lease)
            )
        if renewed.rowcount != 1:
            await self._lapsed()
            return
        self._valid_until = now + self.lease

    async def _lapsed(self) -> None:
        """Our lease ran out (a long pause, a lost database): another process may already
        have adopted our rows, so forget them and carry on as a new owner."""
        log.warning(
            "outbox lease lapsed; re-registering as a new owner",
            producer=self.owner.producer,
            owner=str(self.owner.id),
            unpublished=len(self._failed),
        )
        # Whoever adopts our rows publishes them (we may, as a new owner); messages that
        # have no row are ours alone.
        self._failed = {key: m for key, m in self._failed.items() if not m.stored}
        self.owner.id = uuid.uuid4()
        await self._register()

    async def _delete_published(self) -> None:
        ids, self._published = self._published, []
        if not ids:
            return
        try:
            async with self.engine.begin() as conn:
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    await conn.execute(sa.delete(t.outbox).where(_o.id.in_(chunk)))
        except Exception:
            self._published.extend(ids)
            raise

    def _lease_holds(self) -> bool:
        if self.exclusive:
            return True  # nobody else can adopt our rows
        return self._valid_until is not None and utcnow() < self._valid_until

    async def _retry_failed(self) -> None:
        if not self._failed or not self._lease_holds():
            return  # with a lapsed lease _renew() decides: they may be adopted already
        failed = list(self._failed.values())
        self._failed.clear()
        for start in range(0, len(failed), 500):
            await self._publish_or_keep(failed[start : start + 500])
        log.info("outbox re-sent messages", producer=self.owner.producer, count=len(failed))

    async def adopt_orphans(self, *, everything: bool = False, limit: int = 500) -> int:
        """Take over and publish the rows of owners whose lease expired or was released
        (with ``everything``: of every other owner). Returns how many were adopted.

        Rows are claimed (made ours) in a short transaction and published after it, like
        our own: no transaction is held across a publish, and a crash after the claim
        leaves them to whoever adopts ours."""
        total = 0
        while True:
            async with self.engine.begin() as conn:
                rows = await self._claim(conn, utcnow(), everything, limit)
                if not rows:
                    await self._forget_dead_owners(conn, utcnow(), everything)
            if not rows:
                return total
            messages = [OutboxMessage(r.id, r.channel, Envelope.decode(r.body)) for r in rows]
            log.info(
                "outbox adopted orphaned messages",
                producer=self.owner.producer,
                count=len(messages),
            )
            await self._publish_or_keep(messages)
            total += len(rows)
            if len(rows) < limit:
                return total

    def _orphaned(self, now: datetime, everything: bool) -> sa.ColumnElement[bool]:
        mine = sa.and_(_o.producer == self.owner.producer, _o.owner.is_distinct_from(self.owner.id))
        if everything:
            return mine
        # Clocks of different machines differ a little: a lease counts as over only a
        # while after the moment its owner wrote.
        alive = sa.exists().where(_w.id == _o.owner, _w.expires_at > now - self.lease / 3)
        return sa.and_(mine, ~alive)

    async def _claim(
        self, conn: AsyncConnection, now: datetime, everything: bool, limit: int
    ) -> Sequence[sa.Row[tuple[uuid.UUID, str, bytes]]]:
        candidates = (
            sa.select(_o.id)
            .where(self._orphaned(now, everything))
            .order_by(_o.created_at)
            .limit(limit)
        )
        if conn.dialect.name == "postgresql":
            # Two processes adopting at once take different rows; neither waits.
            candidates = candidates.with_for_update(skip_locked=True)
        claimed = (
            sa.update(t.outbox)
            .where(_o.id.in_(candidates.scalar_subquery()))
            .values(owner=self.owner.id)
            .returning(_o.id, _o.channel, _o.body, _o.created_at)
        )
        rows = (await conn.execute(claimed)).all()
        return sorted(rows, key=lambda row: row.created_at)

    async def _forget_dead_owners(
        self, conn: AsyncConnection, now: datetime, everything: bool
    ) -> None:
        holds_rows = sa.exists().where(_o.owner == _w.id)
        gone = sa.delete(t.outbox_owners).where(
            _w.producer == self.owner.producer, _w.id != self.owner.id, ~holds_rows
        )
        if not everything:
            gone = gone.where(_w.expires_at <= now - self.lease / 3)
        await conn.execute(gone)
