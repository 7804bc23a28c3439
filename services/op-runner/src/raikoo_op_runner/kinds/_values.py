"""Words for JSON values in error messages of the data kinds."""

from typing import Any

_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}


def describe_json(value: Any) -> str:
    """``null``, ``a string``, ``a number``…: what a user sees in their JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return _NAMES.get(type(value), f"a {type(value).__name__}")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
