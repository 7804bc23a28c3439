"""When a schedule's ticks fall, and which of them to fire after a pause in ticking: pure
functions over a 5-field cron expression, an IANA time zone and the clock's reading.

Ticks are computed in the schedule's time zone (``0 9 * * *`` in Europe/Paris is 09:00
Paris time, summer and winter; a time that does not exist on the day the clocks go
forward falls at the first one after it) and stored in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from croniter import croniter

MissedPolicy = Literal["skip", "catch_up"]


def _croniter() -> type[croniter]:
    """croniter, loaded by the first schedule rather than at the gateway's start."""
    from croniter import croniter

    found: type[croniter] = croniter
    return found


def check_cron(expression: str) -> str:
    """``expression`` without surrounding blanks, or ValueError saying what is wrong."""
    expression = " ".join(expression.split())
    fields = len(expression.split(" "))
    if fields != 5:
        raise ValueError(
            f"a cron expression has 5 fields (minute hour day-of-month month day-of-week), "
            f"this one has {fields}"
        )
    if not _croniter().is_valid(expression):
        raise ValueError(f"{expression!r} is not a valid cron expression")
    return expression


def check_timezone(name: str) -> str:
    """``name`` if it is an IANA time zone this machine knows, else ValueError."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{name!r} is not an IANA time zone name (such as 'UTC' or 'Europe/Paris')"
        ) from None
    return name


def next_tick(expression: str, timezone: str, after: datetime) -> datetime:
    """The first tick strictly after ``after``, in UTC."""
    local = after.astimezone(ZoneInfo(timezone))
    found: datetime = _croniter()(expression, local).get_next(datetime)
    return found.astimezone(UTC)


def _ticks_back(expression: str, timezone: str, until: datetime) -> Iterator[datetime]:
    """Ticks at or before ``until``, newest first, in UTC."""
    # croniter's get_prev is strictly before its start: start just after ``until``.
    start = (until + timedelta(seconds=1)).astimezone(ZoneInfo(timezone))
    ticks = _croniter()(expression, start)
    while True:
        tick: datetime = ticks.get_prev(datetime)
        tick = tick.astimezone(UTC)
        if tick <= until:
            yield tick


@dataclass(frozen=True)
class Due:
    fire: list[datetime]
    """The ticks to fire now, oldest first."""
    missed_some: bool
    """Whether late ticks were passed over (not counted: that could take as long as the
    outage was)."""
    next_fire_at: datetime
    """The first tick after now."""


def due_ticks(
    expression: str,
    timezone: str,
    *,
    first: datetime,
    now: datetime,
    missed: MissedPolicy,
    max_catch_up: int,
    grace: timedelta,
) -> Due:
    """Which ticks from ``first`` (the schedule's next unfired tick) up to ``now`` to fire.

    A tick at most ``grace`` old is on time and always fires. Older ones were missed (no
    ticker ran then): ``skip`` passes over them; ``catch_up`` fires the most recent
    ``max_catch_up`` of them too. The work is bounded by what fires, not by how long the
    ticking stopped.
    """
    fire: list[datetime] = []
    late_taken = 0
    limit = max_catch_up if missed == "catch_up" else 0
    passed_over = False
    for tick in _ticks_back(expression, timezone, now):
        if tick < first:
            break
        if now - tick <= grace:
            fire.append(tick)
            continue
        if late_taken < limit:
            fire.append(tick)
            late_taken += 1
            continue
        passed_over = True
        break
    fire.reverse()
    return Due(fire, passed_over, next_tick(expression, timezone, now))
