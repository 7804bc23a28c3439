"""Serialise the work of one run inside this process and apply bursts of it together.

Results of one run arrive concurrently (a fan-out finishing); applying each in its own
transaction would make them queue on the run's row lock. Instead, whatever piled up for a
run while its previous batch was being committed is applied in one transaction. Different
runs proceed in parallel. If a batch fails, its commands are retried one by one so a single
bad command cannot take innocent ones down with it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import structlog

C = TypeVar("C")
Processor = Callable[[uuid.UUID, list[C]], Awaitable[None]]


class RunMailbox(Generic[C]):
    def __init__(self, process: Processor[C], max_batch: int = 256) -> None:
        self._process = process
        self._max_batch = max_batch
        self._queues: dict[uuid.UUID, list[tuple[C, asyncio.Future[None]]]] = {}
        self._workers: set[asyncio.Task[None]] = set()

    async def submit(self, run_id: uuid.UUID, command: C) -> None:
        """Returns once the command was applied and committed; raises if it failed."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._queues.get(run_id)
        if queue is None:
            self._queues[run_id] = [(command, future)]
            task = asyncio.create_task(self._drain(run_id), name=f"run-{run_id}")
            self._workers.add(task)
            task.add_done_callback(self._workers.discard)
        else:
            queue.append((command, future))
        await future

    async def _drain(self, run_id: uuid.UUID) -> None:
        structlog.contextvars.bind_contextvars(run_id=str(run_id))
        queue = self._queues[run_id]
        try:
            while queue:
                batch = queue[: self._max_batch]
                del queue[: self._max_batch]
                await self._apply(run_id, batch)
        finally:
            del self._queues[run_id]

    async def _apply(self, run_id: uuid.UUID, batch: list[tuple[C, asyncio.Future[None]]]) -> None:
        try:
            await self._process(run_id, [command for command, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], exc)
                return
            for item in batch:
                await self._apply(run_id, [item])
            return
        for _, future in batch:
            _settle(future, None)

    @property
    def is_idle(self) -> bool:
        return not self._queues and not self._workers

    async def wait_idle(self) -> None:
        while self._workers:
            await asyncio.gather(*self._workers, return_exceptions=True)


def _settle(future: asyncio.Future[None], exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is None:
        future.set_result(None)
    else:
        future.set_exception(exc)
