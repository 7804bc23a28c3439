"""Publishing from a background task, in order and batched, so the caller never waits
for the broker's confirm. For messages whose loss the caller has covered otherwise:
outbox rows (the relay re-sends them) and run events (listeners re-read the store)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Generic, TypeVar

import structlog

from raikoo_common.event_loop import stop_task

log = structlog.get_logger(__name__)

T = TypeVar("T")


class BackgroundPublisher(Generic[T]):
    def __init__(
        self,
        publish: Callable[[list[T]], Awaitable[None]],
        *,
        name: str,
        on_failure: str,
        max_batch: int = 500,
        linger: float = 0.0,
    ) -> None:
        self._publish = publish
        self._linger = linger
        self._name = name
        self._on_failure = on_failure
        self._max_batch = max_batch
        self._pending: list[T] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._flushing = False

    @property
    def is_idle(self) -> bool:
        """Nothing waits to be published and nothing is being published."""
        return not self._pending and not self._flushing

    def add(self, items: Iterable[T]) -> None:
        self._pending.extend(items)
        if self._pending:
            self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self._name)

    async def stop(self) -> None:
        """Stop the task, then publish what is still pending (best effort)."""
        await stop_task(self._task)
        await self._flush()

    async def _loop(self) -> None:
        while True:
            await self._wake.wait()
            if self._linger:
                # Let more pile up: fewer, larger messages for what may wait a moment.
                await asyncio.sleep(self._linger)
            self._wake.clear()
            await self._flush()

    async def _flush(self) -> None:
        self._flushing = True
        try:
            while self._pending:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                try:
                    await self._publish(batch)
                except Exception:
                    log.warning(
                        self._on_failure, publisher=self._name, count=len(batch), exc_info=True
                    )
        finally:
            self._flushing = False
