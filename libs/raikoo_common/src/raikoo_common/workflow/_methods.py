"""The methods templates may call on the values they hold, by what bounds their results.

The sandbox lets a template call the public, non-mutating methods of text, numbers,
lists, mappings and dates. Every method is in one of three groups, and a test checks that
each public method of those types is:

- ``SIZED``: an argument sets the size of the result (``'x'.ljust(n)``, ``sep.join(parts)``,
  ``replace``, ``expandtabs``, ``translate``, ``strftime``). The size is estimated before
  the call and refused past the render's limit.
- ``REFUSED``: it makes bytes, which are not data (``encode``, ``to_bytes``…).
- ``BOUNDED_BY_INPUT``: the result is at most a small multiple of the value and the
  arguments (``upper`` grows text by at most 3 times, ``split`` makes as many items as
  characters). These are measured after the call, like every call's result.

``format`` and ``format_map`` are sandboxed by Jinja itself and bounded field by field in
``_formatting``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, time
from typing import Any

from jinja2.exceptions import SecurityError

from raikoo_common.workflow._budget import budget
from raikoo_common.workflow._date_filters import check_parse_format
from raikoo_common.workflow._formatting import strftime_size
from raikoo_common.workflow._text import is_lazy, materialize


def _width(text: str, width: Any = 0, *_: Any) -> int:
    return max(len(text), width if isinstance(width, int) else 0)


def _expandtabs(text: str, tabsize: Any = 8) -> int:
    return len(text) + text.count("\t") * (tabsize if isinstance(tabsize, int) else 0)


def _join(separator: str, parts: Any) -> int:
    return sum(map(len, parts)) + len(separator) * max(len(parts) - 1, 0)


def replaced_size(text: str, old: Any, new: Any, count: Any = -1) -> int:
    """How long ``text.replace(old, new, count)`` is (0 when it will refuse its arguments)."""
    if not isinstance(old, str) or not isinstance(new, str):
        return 0
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


def _translate(text: str, table: Any) -> int:
    values = table.values() if isinstance(table, Mapping) else table
    longest = max((len(v) for v in values if isinstance(v, str)), default=1)
    return len(text) * max(longest, 1)


def _strftime(_moment: date | time, format_: Any = "", *_: Any) -> int:
    return strftime_size(format_) if isinstance(format_, str) else 0


SIZED: dict[str, Callable[..., int]] = {
    "center": _width,
    "ljust": _width,
    "rjust": _width,
    "zfill": _width,
    "expandtabs": _expandtabs,
    "join": _join,
    "replace": replaced_size,
    "translate": _translate,
    "strftime": _strftime,
}
REFUSED = frozenset({"encode", "to_bytes", "from_bytes"})
BOUNDED_BY_INPUT = frozenset(
    {
        # str: at most 3 times the text (case changes), or a part of it, or a list of its parts
        "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum",
        "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower",
        "isnumeric", "isprintable", "isspace", "istitle", "isupper", "lower", "lstrip",
        "maketrans", "partition", "removeprefix", "removesuffix", "rfind", "rindex",
        "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
        "swapcase", "title", "upper", "format", "format_map",
        # numbers
        "as_integer_ratio", "bit_count", "bit_length", "conjugate", "fromhex", "hex",
        "is_integer",
        # lists, tuples, ranges, mappings: copies and look-ups
        "copy", "fromkeys", "get", "items", "keys", "values",
        # dates, times and durations: other dates, numbers, short text
        "astimezone", "combine", "ctime", "date", "dst", "fromisocalendar",
        "fromisoformat", "fromordinal", "fromtimestamp", "isocalendar", "isoformat",
        "isoweekday", "now", "strptime", "time", "timestamp", "timetuple", "timetz",
        "today", "toordinal", "tzname", "utcfromtimestamp", "utcnow", "utcoffset",
        "utctimetuple", "weekday", "total_seconds",
    }
)  # fmt: skip
"""``replace`` of a date is in ``SIZED`` by name only: it is estimated on text alone."""


def check_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse or estimate a call of a built-in method before it runs; the arguments to call
    it with (a lazy sequence given to ``join`` is made a list first, to be measured)."""
    owner = getattr(method, "__self__", None)
    if owner is None or not isinstance(owner, str | int | float | bytes | date | time | type):
        return args
    name = getattr(method, "__name__", "")
    if name in REFUSED or isinstance(owner, bytes):
        raise SecurityError(
            f"{name}() makes bytes, which templates do not use: they work on text "
            "(b64encode gives text)"
        )
    if name == "strptime" and len(args) > 1:
        check_parse_format(args[1])
    rule = SIZED.get(name)
    if rule is None or isinstance(owner, type):
        return args
    if name == "strftime" and not isinstance(owner, date | time):
        return args
    if name != "strftime" and not isinstance(owner, str):
        return args
    if name == "join" and args:
        parts = materialize(args[0], "join") if is_lazy(args[0]) else args[0]
        if not isinstance(parts, list | tuple):
            parts = list(parts)
        args = (parts, *args[1:])
    try:
        size = rule(owner, *args, **kwargs)
    except TypeError:
        return args  # wrong arguments: the call itself says what is wrong
    budget().expect(size, "string", name)
    return args
