"""Per-process bookkeeping of the RabbitMQ transport: delivery counts and in-flight handlers."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from faststream.rabbit.message import RabbitMessage


class DeliveryCounts:
    def delivered(self, message: RabbitMessage) -> int:
        """Which delivery of this message this is, counting from 1."""
        raise NotImplementedError

    def settled(self, message: RabbitMessage) -> None:
        pass


DELIVERED = "x-raikoo-delivered"
"""Deliveries of a work message that were made before this copy."""


class HeaderDeliveryCounts(DeliveryCounts):
    """Work queues are classic queues (a quorum queue delivers a message only once its log
    has it, which made every hop ~1 ms slower) and keep no delivery count. The count travels
    in a header instead: the bus raises it when it gives a failed message back (by
    republishing a copy), and a copy the broker flags ``redelivered`` — its consumer died or
    its channel closed while holding it — counts one more. So a message that kills its
    consumer every time still reaches the dead-letter queue, and survives any crash."""

    def delivered(self, message: RabbitMessage) -> int:
        made = int(message.headers.get(DELIVERED) or 0)
        if message.raw_message.redelivered:
            made += 1
        return made + 1


class LocalDeliveryCounts(DeliveryCounts):
    """Classic queues keep no count; a broadcast queue has this process as its only
    consumer, and dies with it, so counting here loses nothing."""

    def __init__(self) -> None:
        self._counts: dict[str | bytes, int] = {}

    def delivered(self, message: RabbitMessage) -> int:
        key = self._key(message)
        count = self._counts[key] = self._counts.get(key, 0) + 1
        return count

    def settled(self, message: RabbitMessage) -> None:
        self._counts.pop(self._key(message), None)

    @staticmethod
    def _key(message: RabbitMessage) -> str | bytes:
        return message.raw_message.message_id or message.body


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    @contextmanager
    def track(self) -> Iterator[None]:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    async def drain(self, grace: float) -> None:
        """Wait for the handlers running now; cancel those still running after ``grace`` seconds
        (their messages stay unacked and return to the queue when the channel closes)."""
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
