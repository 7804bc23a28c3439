"""Values written as text: bounded in size, and never showing an object's memory address.

The rule: text is made from data only — strings, numbers, booleans, ``None``, lists, tuples,
mappings, sets, ranges, dates, times and durations, written as Python writes them. A lazy
sequence (what ``map`` or ``select`` give) is written as the list it produces. Anything else
(a function or method, a Jinja helper such as ``cycler``, ``namespace``, ``loop`` or
``self``, bytes, a time zone) is refused with an error that says what it is, because its
default text is ``<function generate_lorem_ipsum at 0x7f…>``.

Containers are measured before Python writes them: a list holding the same long string a
thousand times is short in memory but not in text.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta, tzinfo
from types import GeneratorType
from typing import Any

from jinja2 import Undefined
from jinja2.exceptions import TemplateRuntimeError
from jinja2.runtime import LoopContext, Macro, TemplateReference
from jinja2.utils import Cycler, Joiner, Namespace

from raikoo_common.workflow._budget import RenderBudget, budget, too_large

SCALARS = (str, int, float, type(None), date, time, timedelta)
"""Data that is not a container (``bool`` is an ``int``, ``datetime`` a ``date``)."""
VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))
_LAZY: tuple[type, ...] = (
    GeneratorType,
    map,
    filter,
    reversed,
    type(iter([])),
    type(reversed([])),
    zip,
)


class NotData(TemplateRuntimeError):
    """A value that is not data was used where data is needed (text, JSON, a result)."""


def as_text(value: Any, what: str = "text") -> str:
    """``str(value)``, for data only, measured first when it is a container."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        return value  # Markup stays Markup
    if isinstance(value, SCALARS):
        return str(value)
    if isinstance(value, Undefined):
        return str(value)  # StrictUndefined raises the precise error
    if is_lazy(value):
        value = materialize(value, what)
    current = budget()
    current.expect(repr_size(value, current.limits.max_size, what, current), "string", what)
    return str(value)


def as_repr(value: Any, what: str = "repr") -> str:
    """``repr(value)``, for data only, measured first."""
    if is_lazy(value):
        value = materialize(value, what)
    current = budget()
    current.expect(repr_size(value, current.limits.max_size, what, current), "string", what)
    return repr(value)


def is_lazy(value: Any) -> bool:
    return isinstance(value, _LAZY)


def materialize(value: Any, what: str) -> list[Any]:
    """A lazy sequence as a list, one step per item, measured."""
    current = budget()
    items = []
    for item in value:
        current.spend()
        items.append(item)
    current.charge(items, what)
    return items


def repr_size(value: Any, limit: int, what: str, current: RenderBudget) -> int:
    """How long ``repr(value)`` is at most; refuses past ``limit`` and values not data."""
    sizer = _ReprSizer(limit, what, current)
    return sizer.size(value)


class _ReprSizer:
    def __init__(self, limit: int, what: str, current: RenderBudget) -> None:
        self.limit = limit
        self.what = what
        self.total = 0
        self.budget = current

    def add(self, amount: int) -> None:
        self.total += amount
        if self.total > self.limit:
            raise too_large("string", self.limit, self.what)

    def size(self, value: Any) -> int:
        self._walk(value)
        return self.total

    def _walk(self, value: Any) -> None:
        self.budget.tick()
        if isinstance(value, str):
            self.add(str_repr_size(value, self.limit - self.total))
            if type(value) is not str:
                self.add(len(type(value).__name__) + 2)  # Markup('…')
        elif isinstance(value, bool) or value is None:
            self.add(5)
        elif isinstance(value, int):
            self.add(int(value.bit_length() * 0.30103) + 2)
        elif isinstance(value, float):
            self.add(24)
        elif isinstance(value, date | time | timedelta | range):
            self.add(len(repr(value)))
        elif isinstance(value, dict) and type(value) is dict:
            self.add(2)
            for key, item in value.items():
                self._walk(key)
                self._walk(item)
                self.add(4)
        elif isinstance(value, (list, tuple, set, frozenset, *VIEWS)):
            self._sequence(value)
        else:
            raise not_data(value, "written as text")

    def _sequence(self, value: Any) -> None:
        kind = type(value)
        if kind not in (list, tuple, set, frozenset) and not isinstance(value, VIEWS):
            if not (isinstance(value, tuple) and hasattr(value, "_fields")):
                raise not_data(value, "written as text")
            # A named tuple (what ``groupby`` gives): ``_GroupTuple(grouper=…, list=…)``.
            self.add(len(kind.__name__) + sum(len(field) + 1 for field in value._fields))
        self.add(len(kind.__name__) + 13)  # brackets, ``dict_items(…)``, ``frozenset({…})``
        for item in value:
            self._walk(item)
            self.add(2)


def str_repr_size(text: str, room: int) -> int:
    """An upper bound of ``len(repr(text))``, exact for printable text."""
    if text.isprintable():
        quote_escapes = text.count("'") if '"' in text else 0
        return len(text) + 2 + text.count("\\") + quote_escapes
    if len(text) * 10 <= max(room, 0):  # the repr can hold the worst escapes (\U0001xxxx)
        return len(repr(text))
    return len(text) * 10 + 2


SHORT = 100
"""Characters of a value quoted in a message."""
_ADDRESS = re.compile(r" at 0x[0-9A-Fa-f]+")


def short_repr(value: Any) -> str:
    """A value quoted in a message: short, and never an object's default repr."""
    if isinstance(value, str):
        return repr(value[:SHORT]) + ("…" if len(value) > SHORT else "")
    if isinstance(value, bool | float) or value is None:
        return repr(value)
    if isinstance(value, int):
        bits = value.bit_length()
        return str(value) if bits <= 64 else f"an integer of {bits} bits"
    if isinstance(value, list | tuple | dict | set | frozenset):
        return f"a {type(value).__name__} of {len(value):,} items"
    return describe(value)


def safe_message(message: str, limit: int) -> str:
    """An error message as it may be stored, logged and sent: no object's address (a
    library's message may quote an object's default repr), at most ``limit`` characters."""
    message = _ADDRESS.sub("", message)
    if len(message) > limit:
        message = f"{message[:limit]}… ({len(message):,} characters in all)"
    return message


def not_data(value: Any, use: str) -> NotData:
    return NotData(f"{describe(value)} cannot be {use}: {hint(value)}")


def describe(value: Any) -> str:
    """What a value that is not data is, for a message (never its repr)."""
    for kind, name in _HELPERS:
        if isinstance(value, kind):
            return name
    if isinstance(value, Macro):
        return f"the macro {value.name}"
    if callable(value):
        name = getattr(value, "__name__", None) or type(value).__name__
        return f"a function ({_GLOBAL_NAMES.get(name, name)})"
    if is_lazy(value):
        return "a lazy sequence (map, select…)"
    return f"a {type(value).__name__}"


def hint(value: Any) -> str:
    for kind, advice in _HINTS:
        if isinstance(value, kind):
            return advice
    if callable(value):
        return "call it, with (), to use what it gives"
    if is_lazy(value):
        return "add | list where it is made"
    return "only data (text, numbers, booleans, lists, mappings, dates) can"


_GLOBAL_NAMES = {
    "safe_range": "range",
    "generate_lorem_ipsum": "lipsum",
    "Namespace": "namespace",
    "Cycler": "cycler",
    "Joiner": "joiner",
}
"""Jinja's globals by the names templates know them by."""
_HELPERS: tuple[tuple[type, str], ...] = (
    (Namespace, "a namespace"),
    (Cycler, "a cycler"),
    (Joiner, "a joiner"),
    (LoopContext, "loop"),
    (TemplateReference, "self (the template)"),
    (bytes, "bytes"),
    (tzinfo, "a time zone"),
)
_HINTS: tuple[tuple[type, str], ...] = (
    (Namespace, "use its attributes (ns.name)"),
    (Cycler, "use cycler.next() or cycler.current"),
    (LoopContext, "use loop.index, loop.length…"),
    (bytes, "templates work on text; b64encode gives text"),
    (tzinfo, "format_date(value, '%Z') or '%z' gives the zone as text"),
    (timedelta, "use .total_seconds() or .days"),
)
