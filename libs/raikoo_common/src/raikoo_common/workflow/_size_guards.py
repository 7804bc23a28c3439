"""Limits on how large a value one template may build, where Jinja lets values grow.

``*`` and ``**`` are checked by the environment itself; these cover the other ways a short
template can allocate gigabytes: joining (``~``, ``+``), printf widths (``%``, ``format``)
and the filters that pad or substitute (``center``, ``indent``, ``replace``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2 import filters as jinja_filters
from jinja2.exceptions import SecurityError

MAX_SIZE = 10_000_000
"""Longest string or list a template may build (characters or items)."""
MAX_WIDTH = 10_000
"""Widest field a printf format or a padding filter may ask for."""

_PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?")


def check_size(value: Any, what: str) -> Any:
    if isinstance(value, str | list | tuple) and len(value) > MAX_SIZE:
        raise SecurityError(f"{what} would build more than {MAX_SIZE:,} characters or items")
    return value


def concat(*parts: Any) -> str:
    """``a ~ b ~ c``, checked: the same text Jinja's own join would make."""
    return str(check_size("".join(str(part) for part in parts), "joining with ~"))


def check_plus(left: Any, right: Any) -> None:
    both = (left, right)
    sized = all(isinstance(x, str) for x in both) or all(isinstance(x, list | tuple) for x in both)
    if sized and len(left) + len(right) > MAX_SIZE:
        raise SecurityError(f"+ would build more than {MAX_SIZE:,} characters or items")


def check_printf(template: Any) -> None:
    if not isinstance(template, str):
        return
    for match in _PRINTF_FIELD.finditer(template):
        for number in match.groups():
            if number == "*" or (number is not None and int(number) > MAX_WIDTH):
                raise SecurityError(f"printf fields wider than {MAX_WIDTH:,} are not allowed")


def bounded_filters() -> dict[str, Callable[..., Any]]:
    def center(value: Any, width: int = 80) -> str:
        if width > MAX_WIDTH:
            raise SecurityError(f"center() wider than {MAX_WIDTH:,} is not allowed")
        return jinja_filters.do_center(value, width)

    def indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
        if (isinstance(width, int) and width > MAX_WIDTH) or len(str(width)) > MAX_WIDTH:
            raise SecurityError(f"indent() wider than {MAX_WIDTH:,} is not allowed")
        return str(check_size(jinja_filters.do_indent(value, width, first, blank), "indent()"))

    def replace(value: Any, old: str, new: str, count: int | None = None) -> str:
        text, old_text, new_text = str(value), str(old), str(new)
        hits = text.count(old_text) if old_text else len(text) + 1
        if count is not None:
            hits = min(hits, max(count, 0))
        if len(text) + hits * (len(new_text) - len(old_text)) > MAX_SIZE:
            raise SecurityError(f"replace() would build more than {MAX_SIZE:,} characters")
        return text.replace(old_text, new_text, -1 if count is None else count)

    def format_(value: Any, *args: Any, **kwargs: Any) -> str:
        check_printf(value)
        return str(check_size(jinja_filters.do_format(value, *args, **kwargs), "format()"))

    return {"center": center, "indent": indent, "replace": replace, "format": format_}
