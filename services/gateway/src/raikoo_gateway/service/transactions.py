"""Write transactions that lose a race retry once the winner's rows are visible.

Two requests storing the same new workflow, the next version of one, or using one
idempotency key can both pass their checks and then collide on a unique constraint. Run
again, the loser finds what the winner created (the same workflow, the next version number,
the run already started for that key), so a conflict is never an error for the client.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

T = TypeVar("T")


async def write(
    engine: AsyncEngine, work: Callable[[AsyncConnection], Awaitable[T]], attempts: int = 4
) -> T:
    for attempt in range(1, attempts + 1):
        try:
            async with engine.begin() as conn:
                return await work(conn)
        except IntegrityError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
