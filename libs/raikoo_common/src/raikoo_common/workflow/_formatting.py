"""``%`` (printf), the ``format`` filter and ``str.format``, bounded.

Before Python formats, every field is estimated from its width, its precision and what it
writes (digits of a number, the text of a value by the text rule), and the total is
checked; values are written as text only if they are data, so ``'%r' % lipsum`` is refused
rather than showing an address.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from datetime import date, time
from string import Formatter
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter

from raikoo_common.workflow._budget import budget
from raikoo_common.workflow._text import as_repr, as_text

_PRINTF_FIELD = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-+ #0]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d*))?"
    r"[hlL]?(?P<conversion>.?)",
    re.DOTALL,
)
_FORMAT_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d+))?[a-zA-Z%]?",
    re.DOTALL,
)
STRFTIME_GROWTH = 16
"""Characters a strftime format may expand to, per character (``%c`` gives 24 for 2)."""


class _Text:
    """A value already written as text: ``%s`` and ``%r`` use it as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def printf(template: str, args: Any, what: str = "%") -> str:
    """``template % args``, each field estimated and each value written by the text rule."""
    fields = list(_PRINTF_FIELD.finditer(template))
    keyed = any(field.group("key") is not None for field in fields)
    if keyed and not isinstance(args, Mapping):
        raise TypeError("format requires a mapping")
    positional = list(args) if isinstance(args, tuple) else [args]
    prepared: Any = dict(args) if keyed else positional
    total = len(template)
    position = 0
    for field in fields:
        conversion = field.group("conversion")
        if conversion == "%" or not conversion:
            continue
        if "*" in (field.group("width"), field.group("precision")):
            raise SecurityError("printf widths given as * are not supported in templates")
        if keyed:
            key = field.group("key")
            value = prepared.get(key)
        elif position < len(positional):
            key, value = position, positional[position]
            position += 1
        else:
            break  # Python reports the missing argument
        text, value = _printf_value(value, conversion)
        if text is not None:
            prepared[key] = value
        total += _field_size(
            value, text, conversion, field.group("width"), field.group("precision")
        )
    current = budget()
    current.expect(total, "string", what)
    if not keyed:
        prepared = tuple(prepared) if isinstance(args, tuple) else prepared[0]
    result: str = template % prepared
    current.charge(result, what)
    return result


def _printf_value(value: Any, conversion: str) -> tuple[str | None, Any]:
    if conversion == "s":
        text = as_text(value, "%s")
    elif conversion in "ra":
        text = as_repr(value, f"%{conversion}")
    else:
        return None, value
    return text, _Text(text)


def _field_size(
    value: Any, text: str | None, conversion: str, width: str | None, precision: str | None
) -> int:
    wide = _number(width) if width else 0
    precise = _number(precision) if precision else 0
    if text is not None:
        length = len(text) * (10 if conversion == "a" and not text.isascii() else 1)
        return max(wide, min(length, precise) if precision is not None and precision else length)
    if conversion in "diuoxX":
        return max(wide, precise + _digits(value))
    if conversion in "eEfFgG":
        return max(wide, precise + 330)
    return max(wide, 1)


def _digits(value: Any) -> int:
    if isinstance(value, int):
        return value.bit_length() // 3 + 3
    return 330  # a float: up to 309 digits before the point


def _number(text: str) -> int:
    return int(text) if len(text) <= 12 else sys.maxsize


class _BoundedFields(Formatter):
    """``str.format`` fields: estimated, converted by the text rule, totalled."""

    total = 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self.total = len(format_string)
        return super().vformat(format_string, args, kwargs)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "s":
            return as_text(value, "!s")
        if conversion == "r":
            return as_repr(value, "!r")
        if conversion == "a":
            return ascii(_Text(as_repr(value, "!a")))
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, date | time) and format_spec:
            size = STRFTIME_GROWTH * len(format_spec) + 64
        else:
            if not isinstance(value, str | int | float):
                value = as_text(value, "format")
            size = _spec_size(value, format_spec)
        self.total += size
        budget().expect(self.total, "string", "format")
        return str(super().format_field(value, format_spec))


def _spec_size(value: str | int | float, spec: str) -> int:
    match = _FORMAT_SPEC.fullmatch(spec)
    width = _number(match.group("width")) if match and match.group("width") else 0
    precision = match.group("precision") if match else None
    if isinstance(value, str):
        length = len(value)
        return max(width, min(length, _number(precision)) if precision else length)
    digits = value.bit_length() + 4 if isinstance(value, int) else 330
    return max(width, (digits + (_number(precision) if precision else 0)) * 4 // 3)


class BoundedFormatter(_BoundedFields, SandboxedFormatter):
    pass


class BoundedEscapeFormatter(_BoundedFields, SandboxedEscapeFormatter):
    pass


def strftime_size(format_: str) -> int:
    """Characters ``strftime(format_)`` writes at most."""
    return STRFTIME_GROWTH * len(format_) + 64
