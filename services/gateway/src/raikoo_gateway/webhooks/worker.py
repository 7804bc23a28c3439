"""The gateway's webhook worker: one loop that turns run events into deliveries (``tail``)
and sends the due ones (``delivery``), every ``poll`` seconds or at once while work is
waiting. Every gateway replica runs one; the database shares the work out between them.
Embedded mode runs it in its one process, like everything else."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.event_loop import stop_task
from raikoo_common.net import AllowList
from raikoo_gateway.service.hook_calls import forget_messages_before
from raikoo_gateway.webhooks.delivery import (
    DeliveryPolicy,
    Senders,
    deliver_once,
    forget_deliveries_before,
)
from raikoo_gateway.webhooks.signature import TOLERANCE_SECONDS
from raikoo_gateway.webhooks.tail import tail_once

PRUNE_EVERY = 60.0
KEEP_MESSAGE_IDS = timedelta(seconds=2 * TOLERANCE_SECONDS + 60)
"""A message id can be replayed only while its timestamp is within the tolerance of the
receiving clock: twice the tolerance after it was received, it is refused anyway."""

log = structlog.get_logger(__name__)


class WebhookWorker:
    def __init__(
        self,
        engine: AsyncEngine,
        policy: DeliveryPolicy,
        allow: Callable[[uuid.UUID], AllowList],
        *,
        poll: float,
        batch: int,
    ) -> None:
        self.engine = engine
        self.policy = policy
        self.allow = allow
        self.poll = poll
        self.batch = batch
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._pruned = 0.0
        self._senders = Senders(allow, policy.timeout)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run_forever(), name="webhook-worker")

    async def stop(self) -> None:
        await stop_task(self._task)
        self._task = None
        await self._senders.close()

    def wake(self) -> None:
        """Look again now (a delivery was queued by hand)."""
        self._wake.set()

    async def round(self) -> tuple[int, int]:
        """One pass: (events read, deliveries sent)."""
        read = await tail_once(self.engine, utcnow(), self.batch)
        sent = await deliver_once(self.engine, self.policy, self._senders, self.batch)
        if time.monotonic() - self._pruned > PRUNE_EVERY:
            self._pruned = time.monotonic()
            async with self.engine.begin() as conn:
                await forget_messages_before(conn, utcnow() - KEEP_MESSAGE_IDS)
                await forget_deliveries_before(conn, utcnow() - self.policy.retention)
        return read, sent

    async def _run_forever(self) -> None:
        while True:
            try:
                read, sent = await self.round()
            except Exception:
                log.warning("webhook round failed; will retry", exc_info=True)
                read = sent = 0
            if read < self.batch and sent < self.batch:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll)
