"""Running a coroutine to completion on the fastest event loop available (no other
imports: a CLI command that only talks HTTP uses it too)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")
_collection_paused = False


def pause_collection() -> None:
    """Turn the cyclic garbage collector off while a service process starts: its imports and
    route, schema and catalog building allocate several hundred thousand long-lived objects,
    and the collections they set off walked them again and again (~5% of a gateway's start-up
    CPU, docs/benchmarks.md, "Start-up"). Called first thing in each service's
    ``__main__``; ``runtime.freeze_startup_heap`` turns collection back on once the process
    has started, and so does ``resume_collection`` on any path that never gets that far."""
    global _collection_paused  # noqa: PLW0603 - one flag per process
    if gc.isenabled():
        gc.disable()
        _collection_paused = True


def resume_collection() -> None:
    """End ``pause_collection``'s pause (nothing if it did not pause: a process that turned
    the collector off itself keeps it off)."""
    global _collection_paused  # noqa: PLW0603 - one flag per process
    if _collection_paused:
        _collection_paused = False
        gc.enable()


def run(main: Coroutine[Any, Any, _T]) -> _T:
    """``asyncio.run`` on uvloop where it exists: the services are event-loop bound (broker
    frames, database round trips), and uvloop's loop costs a fraction of the default's."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - Windows
        return asyncio.run(main)
    return uvloop.run(main)


async def stop_task(task: asyncio.Task[Any] | None) -> None:
    """Cancel ``task`` and wait until it has ended. A cancel of the caller while it waits
    stays the caller's (``suppress(CancelledError)`` around ``await task`` swallowed it:
    a stop under a timeout never timed out); whatever the task raised is consumed."""
    if task is None or task.done():
        return
    task.cancel()
    await asyncio.wait([task])
    if not task.cancelled():
        task.exception()  # retrieved: no "exception was never retrieved" at exit
