"""The two ways a conversion fails: bad input, or a pair of formats that cannot be converted.

``ConversionFailed`` is a plain exception, not the runner's ``OperationError``: conversions
run in a worker process, which should not import the runner to report them. The kind turns
one into an ``OperationError`` (``operation_error``).
"""

from __future__ import annotations


class ConversionFailed(Exception):
    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def invalid(message: str) -> ConversionFailed:
    return ConversionFailed(message, kind="invalid_input")


def unsupported(message: str) -> ConversionFailed:
    return ConversionFailed(message, kind="unsupported")


def type_name(value: object) -> str:
    """The JSON name of a value's type, as a workflow author would say it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
