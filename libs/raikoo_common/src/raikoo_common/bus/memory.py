"""The embedded bus: every service in one process, messages in asyncio queues.

Bodies still go through ``Envelope.encode``/``decode`` so that what passes here
passes a real broker too. Each subscription runs ``concurrency`` long-lived worker
tasks rather than a task per message: the publish-to-handler path is one queue hand-off.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Collection, Coroutine, Sequence
from typing import Any, TypeVar

from raikoo_common.bus._delivery import (
    DEAD_LETTER_RETRY_DELAY,
    Settle,
    dead_letter,
    deliver,
    deliver_dead_letter,
)
from raikoo_common.bus.port import DeadLetter, DeadLetterSubscription, Subscription
from raikoo_common.logging import get_logger
from raikoo_common.messages.channels import BROADCAST_CHANNELS
from raikoo_common.messages.envelope import Envelope

_Item = tuple[Envelope | bytes, int]
"""A message and how many deliveries of it were made already. Envelopes are immutable, so
one published in this process is handed over as is: no JSON round trip (bytes only for
``publish_raw`` and, encoded then, for dead letters)."""

_T = TypeVar("_T")
_log = get_logger("raikoo.bus")
_Work = Callable[[], Coroutine[Any, Any, None]]


class InMemoryBus:
    def __init__(
        self,
        *,
        broadcast_channels: Collection[str] = BROADCAST_CHANNELS,
        redelivery_backoff: float = 0.5,
        dead_letter_retry_delay: float = DEAD_LETTER_RETRY_DELAY,
    ) -> None:
        self._broadcast_channels = frozenset(broadcast_channels)
        self._backoff = redelivery_backoff
        self._dead_letter_retry_delay = dead_letter_retry_delay
        self.dead_letters: list[DeadLetter] = []
        """Dead letters of channels that no DeadLetterSubscription listens to."""
        self.parked: deque[tuple[DeadLetter, str]] = deque(maxlen=1000)
        """Dead letters no handler could act on, with why (the latest thousand; each is
        also logged, as this bus keeps nothing across restarts)."""
        self._work_queues: dict[str, asyncio.Queue[_Item]] = {}
        self._broadcast_queues: dict[str, list[asyncio.Queue[_Item]]] = {}
        self._dead_queues: dict[str, asyncio.Queue[tuple[DeadLetter, int]]] = {}
        self._starters: list[Callable[[], None]] = []
        self._workers: set[asyncio.Task[None]] = set()
        self._idle: set[asyncio.Task[Any]] = set()
        self._running = False

    def subscribe(self, subscription: Subscription | DeadLetterSubscription) -> None:
        if self._running:
            raise RuntimeError("subscribe before start()")
        if subscription.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if isinstance(subscription, DeadLetterSubscription):
            dead = self._dead_queues.setdefault(subscription.channel, asyncio.Queue())
            work = self._dead_letter_worker(subscription, dead)
            self._add_workers(subscription.concurrency, work)
            return
        if subscription.channel in self._broadcast_channels:
            queue: asyncio.Queue[_Item] = asyncio.Queue()
            self._broadcast_queues.setdefault(subscription.channel, []).append(queue)
        else:
            queue = self._work_queue(subscription.channel)
        self._add_workers(subscription.concurrency, self._worker(subscription, queue))

    async def start(self) -> None:
        if self._running:
            return
        self._running = True
        for starter in self._starters:
            starter()

    async def stop(self, timeout: float = 30.0) -> None:
        if not self._running:
            return
        self._running = False
        # Idle workers hold nothing; busy ones notice ``_running`` after their message.
        for task in self._idle:
            task.cancel()
        workers, self._workers = self._workers, set()
        if not workers:
            return
        _, late = await asyncio.wait(workers, timeout=timeout)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)

    @property
    def is_quiet(self) -> bool:
        """No message waits in any queue and no handler is running (a snapshot)."""
        queues: list[asyncio.Queue[Any]] = [
            *self._work_queues.values(),
            *(q for qs in self._broadcast_queues.values() for q in qs),
            *self._dead_queues.values(),
        ]
        return all(q.empty() for q in queues) and self._workers <= self._idle

    async def publish(self, channel: str, envelope: Envelope) -> None:
        self._put(channel, envelope)

    async def publish_many(self, items: Sequence[tuple[str, Envelope]]) -> None:
        for channel, envelope in items:
            self._put(channel, envelope)

    def publish_raw(self, channel: str, body: bytes) -> None:
        """Put bytes on a channel as they are, e.g. a body that is not a valid envelope."""
        self._put(channel, body)

    def _put(self, channel: str, body: Envelope | bytes) -> None:
        if channel in self._broadcast_channels:
            for queue in self._broadcast_queues.get(channel, ()):
                queue.put_nowait((body, 0))
        else:
            self._work_queue(channel).put_nowait((body, 0))

    def _work_queue(self, channel: str) -> asyncio.Queue[_Item]:
        queue = self._work_queues.get(channel)
        if queue is None:
            queue = self._work_queues[channel] = asyncio.Queue()
        return queue

    def _add_workers(self, count: int, work: _Work) -> None:
        def start_workers() -> None:
            for _ in range(count):
                task = asyncio.create_task(work())
                self._workers.add(task)
                task.add_done_callback(self._workers.discard)

        self._starters.append(start_workers)

    async def _next(self, queue: asyncio.Queue[_T]) -> _T:
        task = asyncio.current_task()
        assert task is not None
        self._idle.add(task)
        try:
            return await queue.get()
        finally:
            self._idle.discard(task)

    def _worker(self, subscription: Subscription, queue: asyncio.Queue[_Item]) -> _Work:
        async def work() -> None:
            while self._running:
                body, made = await self._next(queue)
                deliveries = made + 1
                try:
                    verdict = await deliver(
                        subscription.handler,
                        body,
                        channel=subscription.channel,
                        deliveries=deliveries,
                        max_deliveries=subscription.max_deliveries,
                        backoff=self._backoff,
                    )
                except asyncio.CancelledError:
                    # stop() gave up waiting: keep the message, as a broker would.
                    queue.put_nowait((body, deliveries))
                    raise
                if verdict.settle is Settle.RETRY:
                    queue.put_nowait((body, deliveries))
                elif verdict.settle is Settle.DEAD:
                    self._dead_letter(
                        dead_letter(
                            subscription.channel,
                            body if isinstance(body, bytes) else body.encode(),
                            verdict.reason,
                            deliveries,
                            envelope=verdict.envelope,
                        )
                    )
                if not queue.empty():
                    # Queue.get does not yield when a message is waiting: let others run.
                    await asyncio.sleep(0)

        return work

    def _dead_letter_worker(
        self, subscription: DeadLetterSubscription, queue: asyncio.Queue[tuple[DeadLetter, int]]
    ) -> _Work:
        async def work() -> None:
            while self._running:
                letter, made = await self._next(queue)
                try:
                    verdict = await deliver_dead_letter(
                        subscription.handler, letter, made + 1, self._dead_letter_retry_delay
                    )
                except asyncio.CancelledError:
                    queue.put_nowait((letter, made))
                    raise
                if verdict.settle is Settle.RETRY:
                    queue.put_nowait((letter, made + 1))
                elif verdict.settle is Settle.DEAD:
                    self.parked.append((letter, verdict.reason))
                    _log.error(
                        "bus.dead_letter_parked",
                        channel=letter.channel,
                        reason=letter.reason,
                        parked_because=verdict.reason,
                    )
                if not queue.empty():
                    await asyncio.sleep(0)

        return work

    def _dead_letter(self, letter: DeadLetter) -> None:
        queue = self._dead_queues.get(letter.channel)
        if queue is None:
            self.dead_letters.append(letter)
        else:
            queue.put_nowait((letter, 0))
