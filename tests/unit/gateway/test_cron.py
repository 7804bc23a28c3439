"""When schedule ticks fall and which fire after ticking stopped (raikoo_gateway.schedules.cron)."""

from datetime import UTC, datetime, timedelta

import pytest

from raikoo_gateway.schedules.cron import (
    Due,
    MissedPolicy,
    check_cron,
    check_timezone,
    due_ticks,
    next_tick,
)

GRACE = timedelta(seconds=60)


def at(hour: int, minute: int, second: int = 0, day: int = 5) -> datetime:
    return datetime(2026, 1, day, hour, minute, second, tzinfo=UTC)


def ticks_due(
    expression: str, first: datetime, now: datetime, missed: MissedPolicy = "skip", most: int = 3
) -> Due:
    return due_ticks(
        expression, "UTC", first=first, now=now, missed=missed, max_catch_up=most, grace=GRACE
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("* * * *", "has 4"),
        ("0 0 * * * *", "has 6"),
        ("61 * * * *", "not a valid cron expression"),
        ("* * * * mon-xyz", "not a valid cron expression"),
    ],
)
def test_an_invalid_cron_expression_says_why(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_cron(expression)


def test_a_valid_expression_is_kept_with_its_blanks_tidied() -> None:
    assert check_cron("  */5   9-17 * * 1-5 ") == "*/5 9-17 * * 1-5"


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../../etc/passwd", "UTC+3"])
def test_an_unknown_time_zone_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="IANA"):
        check_timezone(name)


def test_ticks_fall_in_the_schedules_time_zone_across_a_clock_change() -> None:
    # 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer.
    winter = next_tick("0 9 * * *", "Europe/Paris", datetime(2026, 3, 27, 12, tzinfo=UTC))
    summer = next_tick("0 9 * * *", "Europe/Paris", datetime(2026, 3, 29, 12, tzinfo=UTC))
    assert winter == datetime(2026, 3, 28, 8, tzinfo=UTC)
    assert summer == datetime(2026, 3, 30, 7, tzinfo=UTC)


def test_an_on_time_tick_fires_and_the_next_one_is_after_now() -> None:
    due = ticks_due("*/5 * * * *", at(9, 0), at(9, 0, 1), "skip", 3)
    assert due.fire == [at(9, 0)]
    assert not due.missed_some
    assert due.next_fire_at == at(9, 5)


def test_skip_passes_over_missed_ticks_but_fires_the_one_on_time() -> None:
    due = ticks_due("* * * * *", at(9, 0), at(9, 10, 30), "skip", 3)
    assert due.fire == [at(9, 10)]
    assert due.missed_some
    assert due.next_fire_at == at(9, 11)


def test_catch_up_fires_the_most_recent_missed_ticks_oldest_first() -> None:
    due = ticks_due("* * * * *", at(9, 0), at(9, 10, 30), "catch_up", 3)
    assert due.fire == [at(9, 7), at(9, 8), at(9, 9), at(9, 10)]
    assert due.missed_some
    few = ticks_due("* * * * *", at(9, 8), at(9, 10, 30), "catch_up", 5)
    assert few.fire == [at(9, 8), at(9, 9), at(9, 10)], "never a tick before the first unfired"
    assert not few.missed_some


def test_a_long_outage_costs_what_fires_not_what_was_missed() -> None:
    # A year of minutes missed: the answer comes from the end, not by walking them all.
    due = ticks_due(
        "* * * * *", at(0, 0, day=1) - timedelta(days=365), at(9, 10, 30), "catch_up", 2
    )
    assert due.fire == [at(9, 8), at(9, 9), at(9, 10)]


def test_nothing_is_due_before_the_first_tick() -> None:
    due = ticks_due("0 12 * * *", at(12, 0), at(11, 59, 59), "catch_up", 3)
    assert due.fire == []
    assert due.next_fire_at == at(12, 0)
