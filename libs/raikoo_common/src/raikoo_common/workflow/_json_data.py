"""Template values as JSON data: what an expression's result may be, and ``tojson``.

A result travels in messages and is stored, so it must be JSON: text, numbers, booleans,
null, lists and objects with text keys. What templates also make is converted where the
meaning is plain — a tuple, set, range or lazy sequence becomes a list, a date or time its
ISO 8601 text, a number key its text (as ``json.dumps`` writes it) — and anything else is
refused with the path to it and what it is: a duration, a time zone, bytes, a function, a
Jinja helper, a float that is not a number (``nan``, ``inf``), an integer beyond 64 bits.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, time, timedelta
from typing import Any

from jinja2 import Undefined
from jinja2.exceptions import TemplateRuntimeError

from raikoo_common.workflow._budget import RenderBudget, budget
from raikoo_common.workflow._text import VIEWS, describe, hint, is_lazy, materialize
from raikoo_common.workflow.problems import format_path

INT_LIMIT = 2**63
"""Integers must fit in 64 bits (signed): what the bus, orjson and the databases carry.
Beyond ±2**53, readers in JavaScript lose precision."""
MAX_DEPTH = 200
"""Levels of lists and objects in a result: orjson, which writes every message and row,
stops at 254, and a result is nested further inside a config and an envelope."""
LONG_PATH = 12
_KEY_TEXT = {True: "true", False: "false", None: "null"}


class NotJson(TemplateRuntimeError):
    """A value inside a result that JSON cannot hold; ``path`` leads to it."""

    def __init__(self, subject: str, path: list[str | int], what: str, advice: str) -> None:
        self.subject = subject
        self.path = path
        """Keys and indexes from the result to the value, innermost first."""
        self.what = what
        self.advice = advice
        super().__init__(self.describe())

    def describe(self) -> str:
        path = list(reversed(self.path))
        inner = format_path(path)
        if len(path) > LONG_PATH:  # a result nested deep: its path would fill the message
            tail = format_path(path[-3:])
            inner = f"{format_path(path[:6])}…{'' if tail.startswith('[') else '.'}{tail}"
        at = f" at {inner}" if inner else ""
        return f"{self.subject}{at} is {self.what}, not JSON data; {self.advice}"

    @property
    def message(self) -> str:
        return self.describe()


def json_data(value: Any, subject: str = "the result") -> Any:
    """``value`` as JSON data, converted where the meaning is plain; raises ``NotJson``."""
    return _Converter(budget(), subject).convert(value)


def tojson(value: Any, indent: int | str | None = None) -> str:
    """Plain JSON: unlike Jinja's own ``tojson`` it escapes nothing for HTML."""
    return json_text(value, "tojson: the value", indent=indent, compact=indent is None)


def json_text(
    value: Any,
    subject: str,
    *,
    indent: int | str | None = None,
    compact: bool = False,
    sort_keys: bool = False,
) -> str:
    """``json.dumps`` of ``value`` made JSON data, its length estimated before it is written."""
    current = budget()
    data = _Converter(current, subject).convert(value)
    if indent is not None and (isinstance(indent, bool) or not isinstance(indent, int | str)):
        raise TypeError(f"indent must be a number of spaces, not {type(indent).__name__}")
    width = None if indent is None else len(indent) if isinstance(indent, str) else max(indent, 0)
    what = subject.split(":", maxsplit=1)[0]
    current.expect(_JsonSizer(current, width, what).size(data), "string", what)
    return json.dumps(
        data,
        ensure_ascii=False,
        indent=indent,
        separators=(",", ":") if compact else None,
        sort_keys=sort_keys,
        allow_nan=False,
    )


class _Converter:
    def __init__(self, current: RenderBudget, subject: str) -> None:
        self.budget = current
        self.subject = subject
        self.depth = 0

    def convert(self, value: Any) -> Any:
        kind = type(value)
        if kind is str or kind is bool or value is None:
            return value
        if kind is int:
            return self._integer(value)
        if kind is float:
            if not math.isfinite(value):
                self._refuse([], f"the number {value}", "JSON numbers are finite")
            return value
        if kind is dict or (isinstance(value, Mapping) and not isinstance(value, Undefined)):
            return self._mapping(value)
        if kind is list or isinstance(value, (tuple, set, frozenset, range, *VIEWS)):
            return self._sequence(value)
        return self._other(value)

    def _integer(self, value: int) -> int:
        if not -INT_LIMIT <= value < INT_LIMIT:
            self._refuse([], "an integer beyond 64 bits", "JSON readers cannot hold it")
        return value

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._refuse([], f"nested more than {MAX_DEPTH} levels deep", "flatten it")

    def _mapping(self, value: Mapping[Any, Any]) -> dict[str, Any]:
        self._enter()
        converted: dict[str, Any] = {}
        for index, (key, item) in enumerate(value.items()):
            if not index & CLOCK_MASK:
                self.budget.visit(CLOCK_MASK + 1)
            text = self._key(key)
            if text in converted:
                self._refuse([], f"a mapping with two keys written {text!r}", "rename one")
            try:
                converted[text] = self.convert(item)
            except NotJson as failure:
                failure.path.append(text)
                failure.args = (failure.describe(),)
                raise
        self.depth -= 1
        return converted

    def _key(self, key: Any) -> str:
        if isinstance(key, str):
            return str(key)
        if key is None or isinstance(key, bool):
            return _KEY_TEXT[key]
        if isinstance(key, int):
            return str(self._integer(key))
        if isinstance(key, float) and math.isfinite(key):
            return repr(key)
        self._refuse([], f"a mapping with a key that is {describe(key)}", "keys are text")
        raise AssertionError("unreachable")

    def _sequence(self, value: Any) -> list[Any]:
        self._enter()
        items = []
        for index, item in enumerate(value):
            if not index & CLOCK_MASK:
                self.budget.visit(CLOCK_MASK + 1)
            try:
                items.append(self.convert(item))
            except NotJson as failure:
                failure.path.append(index)
                failure.args = (failure.describe(),)
                raise
        self.depth -= 1
        return items

    def _other(self, value: Any) -> Any:
        if isinstance(value, str):
            return str(value)  # Markup and other text types: plain text
        if isinstance(value, int):
            return self._integer(int(value))
        if isinstance(value, float):
            return self.convert(float(value))
        if isinstance(value, date | time):
            return value.isoformat()  # the date filters' datetimes
        if isinstance(value, Undefined):
            str(value)  # StrictUndefined raises the precise error
        if is_lazy(value):
            return self._sequence(materialize(value, self.subject))
        what = "a duration" if isinstance(value, timedelta) else describe(value)
        self._refuse([], what, hint(value))
        raise AssertionError("unreachable")

    def _refuse(self, path: list[str | int], what: str, advice: str) -> None:
        raise NotJson(self.subject, path, what, advice)


CLOCK_MASK = 1023
"""Items of a container converted between two reads of the budget (steps and clock)."""


class _JsonSizer:
    """The length of ``json.dumps(data)`` at most, refusing as soon as it passes the limit."""

    def __init__(self, current: RenderBudget, indent: int | None, what: str) -> None:
        self.budget = current
        self.what = what
        self.limit = current.limits.max_size
        self.indent = indent
        self.total = 0

    def size(self, data: Any) -> int:
        self._walk(data, 0)
        return self.total

    def _add(self, amount: int) -> None:
        self.total += amount
        if self.total > self.limit:
            self.budget.expect(self.total, "string", self.what)

    def _walk(self, value: Any, depth: int) -> None:
        self.budget.tick()
        if isinstance(value, str):
            self._add(json_str_size(value))
        elif isinstance(value, bool) or value is None:
            self._add(5)
        elif isinstance(value, int):
            self._add(int(value.bit_length() * 0.30103) + 2)
        elif isinstance(value, float):
            self._add(24)
        elif isinstance(value, dict):
            for key, item in value.items():
                self._add(json_str_size(key) + 2 + self._spacing(depth))
                self._walk(item, depth + 1)
            self._add(2 + self._spacing(depth))
        else:
            for item in value:
                self._add(1 + self._spacing(depth))
                self._walk(item, depth + 1)
            self._add(2 + self._spacing(depth))

    def _spacing(self, depth: int) -> int:
        return 0 if self.indent is None else 1 + self.indent * (depth + 1)


_SHORT_ESCAPES = '"\\\n\r\t\b\f'
_CONTROL = dict.fromkeys(range(0x20))


def json_str_size(text: str) -> int:
    """``len(json.dumps(text, ensure_ascii=False))``, exactly."""
    size = len(text) + 2 + text.count('"') + text.count("\\")
    if text.isprintable():
        return size
    controls = len(text) - len(text.translate(_CONTROL))
    short = sum(text.count(char) for char in _SHORT_ESCAPES[2:])
    return size + short + 5 * (controls - short)
