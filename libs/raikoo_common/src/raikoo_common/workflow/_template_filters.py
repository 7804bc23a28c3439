"""Filters added to Jinja's standard set for working with data rather than HTML."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import Undefined


def tojson(value: Any, indent: int | None = None) -> str:
    """Plain JSON: unlike Jinja's own ``tojson`` it escapes nothing for HTML."""
    separators = (",", ":") if indent is None else None
    return json.dumps(
        value, ensure_ascii=False, indent=indent, separators=separators, default=_json_default
    )


def fromjson(text: str) -> Any:
    return json.loads(text)


def flatten(value: Any, deep: bool = False) -> list[Any]:
    """Lists in the list spliced into it: one level, or every level with ``deep=true``."""
    if not isinstance(value, list | tuple):
        raise TypeError(f"flatten expects a list, not {type(value).__name__}")
    flat: list[Any] = []
    for item in value:
        if isinstance(item, list | tuple):
            flat.extend(flatten(item, deep=True) if deep else item)
        else:
            flat.append(item)
    return flat


def _json_default(value: object) -> Any:
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises the precise error here
    if isinstance(value, Iterable) and not isinstance(value, bytes):  # e.g. `xs | map(...)`
        return list(value)
    raise TypeError(f"a {type(value).__name__} cannot be written as JSON")


def data_filters() -> dict[str, Callable[..., Any]]:
    filters: dict[str, Callable[..., Any]] = {
        "tojson": tojson,
        "fromjson": fromjson,
        "flatten": flatten,
    }
    try:
        import jmespath  # optional: the filter exists only where it is installed
    except ImportError:
        return filters

    def search(value: Any, expression: str) -> Any:
        return jmespath.search(expression, value)

    filters["jmespath"] = search
    return filters
