"""Running a coroutine to completion on the fastest event loop available (no other
imports: a CLI command that only talks HTTP uses it too)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")


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
