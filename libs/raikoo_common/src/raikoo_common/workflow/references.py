"""Which operations' outputs a templated value reads (so only those are loaded)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from raikoo_common.workflow.templates import is_template, referenced_names

ANY_OPERATION = "*"
"""Stands for a dynamic reference such as ``ops[name]``: any operation may be read."""


def ops_referenced(value: Any) -> frozenset[str]:
    found: set[str] = set()
    for source in _template_strings(value):
        for path in referenced_names(source):
            if path and path[0] == "ops":
                found.add(path[1] if len(path) >= 2 else ANY_OPERATION)
    return frozenset(found)


def _template_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if is_template(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _template_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _template_strings(item)
