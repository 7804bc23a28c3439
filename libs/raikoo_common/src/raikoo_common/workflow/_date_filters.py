"""Dates and times in templates: parse, format, shift, and the current time.

Every datetime a filter gives is timezone-aware; a date or time written without an
offset is taken as UTC, because templates render in the scheduler, whose own time zone
must not leak into results. Datetimes print and serialize as ISO 8601.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Undefined

from raikoo_common.clock import utcnow


class IsoDateTime(datetime):
    """A datetime that reads the same in text as it is written as data: ISO 8601."""

    def __str__(self) -> str:
        return self.isoformat()


def todatetime(value: Any, format: str | None = None) -> IsoDateTime:
    """``value`` as a datetime: an ISO 8601 string (or one in ``format``, strptime codes),
    a number of seconds since 1970-01-01 UTC, a date or a datetime."""
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return _aware(datetime(value.year, value.month, value.day))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_timestamp(value)
    if isinstance(value, str):
        return _aware(_parse(value, format))
    raise TypeError(
        f"expected a date as text, a number of seconds or a datetime, not {value_kind(value)}"
    )


def format_date(value: Any, format: str | None = None, tz: str | None = None) -> str:
    """``value`` (anything ``todatetime`` reads) written in ``format`` (strftime codes,
    ISO 8601 by default), in time zone ``tz`` (an IANA name such as ``Europe/Paris``)."""
    moment = todatetime(value)
    if tz is not None:
        moment = moment.astimezone(_zone(tz))
    if format is None:
        return moment.isoformat()
    if not isinstance(format, str):
        raise TypeError(f"the format is {value_kind(format)}, not text such as '%Y-%m-%d'")
    return moment.strftime(format)


def date_add(
    value: Any,
    days: float = 0,
    hours: float = 0,
    minutes: float = 0,
    seconds: float = 0,
    weeks: float = 0,
) -> IsoDateTime:
    """``value`` moved by the given amounts (negative ones move it back)."""
    amounts = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds, "weeks": weeks}
    for name, amount in amounts.items():
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise TypeError(f"{name} must be a number, not {value_kind(amount)}")
    moment = todatetime(value)
    try:
        return _aware(moment + timedelta(**amounts))
    except OverflowError:
        raise ValueError("the date would be outside the years 1 to 9999") from None


def add_days(value: Any, days: float) -> IsoDateTime:
    return date_add(value, days=days)


def timestamp(value: Any) -> int | float:
    """Seconds since 1970-01-01 UTC: a whole number unless the time has a fraction."""
    seconds = todatetime(value).timestamp()
    return int(seconds) if seconds.is_integer() else seconds


def now() -> IsoDateTime:
    """The current time in UTC, when the template is rendered (by the scheduler)."""
    return _aware(utcnow())


def _parse(text: str, format: str | None) -> datetime:
    if format is None:
        try:
            return datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(
                f"{text!r} is not an ISO 8601 date or time (such as 2024-05-01 or "
                "2024-05-01T12:30:00Z); give a format for other ways of writing dates"
            ) from None
    check_parse_format(format)
    try:
        return datetime.strptime(text.strip(), format)
    except ValueError as error:
        raise ValueError(f"{text!r} does not match the format {format!r}: {error}") from None


MAX_PARSE_FORMAT = 1_000
"""Characters of a format that reads dates: Python's strptime takes time quadratic in it."""


def check_parse_format(format: Any) -> None:
    if not isinstance(format, str):
        raise TypeError(f"the format is {value_kind(format)}, not text such as '%d/%m/%Y'")
    if len(format) > MAX_PARSE_FORMAT:
        raise ValueError(f"a date format may be at most {MAX_PARSE_FORMAT:,} characters")


def _from_timestamp(seconds: float) -> IsoDateTime:
    if not math.isfinite(seconds):
        raise ValueError(f"{seconds} is not a number of seconds")
    try:
        return _aware(datetime.fromtimestamp(seconds, UTC))
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{seconds} seconds since 1970 is outside the years 1 to 9999") from None


def _aware(moment: datetime) -> IsoDateTime:
    tzinfo = moment.tzinfo if moment.utcoffset() is not None else UTC
    return IsoDateTime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
        tzinfo=tzinfo,
        fold=moment.fold,
    )


def _zone(name: Any) -> ZoneInfo:
    if not isinstance(name, str) or not name:
        raise TypeError(
            f"tz must be a time zone name such as 'Europe/Paris', not {value_kind(name)}"
        )
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found is a KeyError, a bad path ValueError
        raise ValueError(
            f"unknown time zone {name!r} (use IANA names such as 'Europe/Paris')"
        ) from None


def value_kind(value: Any) -> str:
    """``null``, ``a str``, ``a list``…: for messages about a filter's input."""
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises the precise error (which name is missing)
    return "null" if value is None else f"a {type(value).__name__}"


def date_filters() -> dict[str, Callable[..., Any]]:
    return {
        "todatetime": todatetime,
        "parse_date": todatetime,
        "format_date": format_date,
        "strftime": format_date,
        "date_add": date_add,
        "add_days": add_days,
        "timestamp": timestamp,
    }


def date_globals() -> dict[str, Callable[..., Any]]:
    return {"now": now}
