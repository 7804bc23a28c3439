"""Cancel means stop (DESIGN.md §4): a runner never starts an operation whose run was
cancelled, timed out or moved on, even when its dispatch already waited in the queue.

The scheduler broadcasts the operation runs it stops (``CancelOperations`` on
``ops.control``), the dispatched-but-queued ones among them. A runner remembers them for
``remember`` seconds and drops such a dispatch when it arrives. What it can vouch for is
bounded: cancellations broadcast before it listened (it started, or reconnected, later)
or before its memory reaches back. A dispatch older than that horizon is checked with the
scheduler (``CheckOperations`` → ``OperationsChecked``), in batches, before it runs; the
scheduler answers from the database, so this holds across replicas and restarts.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog

from raikoo_common.bus import Bus
from raikoo_common.clock import utcnow
from raikoo_common.messages import (
    Channel,
    CheckOperations,
    Envelope,
    OperationAttempt,
    OperationReady,
    OperationsChecked,
)
from raikoo_common.runner.kind import RunnerFault

log = structlog.get_logger(__name__)

CLOCK_SKEW = timedelta(seconds=5)
"""Clocks of the scheduler's and the runner's machines may differ this much."""


@dataclass
class _Query:
    org_id: uuid.UUID
    items: dict[uuid.UUID, OperationAttempt] = field(default_factory=dict)
    answer: asyncio.Future[frozenset[uuid.UUID]] | None = None


class Cancellations:
    def __init__(
        self,
        bus: Bus,
        *,
        bus_keeps_messages: bool = True,
        remember: float = 3600.0,
        max_remembered: int = 1_000_000,
        batch_window: float = 0.02,
        ask_every: float = 5.0,
        give_up_after: float = 600.0,
    ) -> None:
        self.bus = bus
        self.remember = timedelta(seconds=remember)
        self.max_remembered = max_remembered
        self.batch_window = batch_window
        self.ask_every = ask_every
        self.give_up_after = give_up_after
        self._stopped: OrderedDict[uuid.UUID, datetime] = OrderedDict()
        # A bus that keeps nothing across restarts (embedded mode: one process, in-memory)
        # delivers only what was sent while we listened.
        self._listening_since = utcnow() if bus_keeps_messages else datetime.min.replace(tzinfo=UTC)
        self._asking: dict[uuid.UUID, _Query] = {}
        """Queries sent and not answered yet, by query id."""
        self._gathering: dict[uuid.UUID, _Query] = {}
        """The next query of each organisation, still collecting dispatches."""
        self._sending: set[asyncio.Task[None]] = set()

    def listening(self) -> None:
        """Call once the ``ops.control`` subscription is live (at start, after a
        reconnect): broadcasts sent before now may have been missed."""
        self._listening_since = utcnow()

    def stopped(self, op_run_ids: list[uuid.UUID]) -> None:
        now = utcnow()
        for op_run_id in op_run_ids:
            self._stopped[op_run_id] = now
            self._stopped.move_to_end(op_run_id)
        self._forget_old(now)

    def answered(self, checked: OperationsChecked) -> None:
        query = self._asking.pop(checked.query_id, None)
        if query is not None and query.answer is not None and not query.answer.done():
            query.answer.set_result(frozenset(checked.stale))

    async def may_run(self, envelope: Envelope, ready: OperationReady) -> bool:
        """False when ``ready`` must not run: its operation run was stopped."""
        if ready.op_run_id in self._stopped:
            return False
        if envelope.occurred_at >= self._horizon():
            return True  # we listened when any cancellation of it was broadcast
        stale = await self._check(envelope.org_id, ready)
        return ready.op_run_id not in stale and ready.op_run_id not in self._stopped

    def _horizon(self) -> datetime:
        remembered_since = utcnow() - self.remember
        if remembered_since <= self._listening_since:
            return self._listening_since + CLOCK_SKEW
        return remembered_since + CLOCK_SKEW

    def _forget_old(self, now: datetime) -> None:
        cutoff = now - self.remember
        while self._stopped and (
            len(self._stopped) > self.max_remembered or next(iter(self._stopped.values())) < cutoff
        ):
            self._stopped.popitem(last=False)
        if len(self._stopped) >= self.max_remembered:
            # Forgetting early shortens what we can vouch for: older dispatches get checked.
            self._listening_since = max(self._listening_since, now)

    async def _check(self, org_id: uuid.UUID, ready: OperationReady) -> frozenset[uuid.UUID]:
        item = OperationAttempt(
            run_id=ready.run_id, op_run_id=ready.op_run_id, attempt=ready.attempt
        )
        started = time.monotonic()
        while True:
            answer = self._join(org_id, item)
            try:
                async with asyncio.timeout(self.ask_every):  # a cancel stays a cancel
                    return await asyncio.shield(answer)
            except TimeoutError:
                waited = time.monotonic() - started
                if waited >= self.give_up_after:
                    raise RunnerFault(
                        f"no scheduler answered whether operation run {ready.op_run_id} "
                        f"should still run, within {waited:.0f}s"
                    ) from None
                log.warning(
                    "no answer from a scheduler yet; asking again",
                    op_run_id=str(ready.op_run_id),
                    waited=round(waited),
                )

    def _join(
        self, org_id: uuid.UUID, item: OperationAttempt
    ) -> asyncio.Future[frozenset[uuid.UUID]]:
        """The answer to a query that will ask about ``item``: the organisation's query
        still gathering (sent after a short window), or a new one."""
        query = self._gathering.get(org_id)
        if query is None or len(query.items) >= 1000:
            query = _Query(org_id, answer=asyncio.get_running_loop().create_future())
            self._gathering[org_id] = query
            asyncio.get_running_loop().call_later(self.batch_window, self._send_soon, query)
        query.items[item.op_run_id] = item
        assert query.answer is not None
        return query.answer

    def _send_soon(self, query: _Query) -> None:
        task = asyncio.create_task(self._send(query))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, query: _Query) -> None:
        if self._gathering.get(query.org_id) is query:
            del self._gathering[query.org_id]
        query_id = uuid.uuid4()
        self._asking[query_id] = query
        message = CheckOperations(query_id=query_id, items=list(query.items.values()))
        try:
            await self.bus.publish(
                Channel.RUNS_REQUESTED, Envelope.wrap(message, org_id=query.org_id)
            )
        except Exception:
            log.warning("could not ask a scheduler about queued operations", exc_info=True)
        # An unanswered query is forgotten when its waiters ask again.
        asyncio.get_running_loop().call_later(
            self.ask_every * 2, lambda: self._asking.pop(query_id, None)
        )
