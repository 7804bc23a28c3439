"""The two ways a conversion fails: bad input, or a pair of formats that cannot be converted."""

from raikoo_common.runner import OperationError


def invalid(message: str) -> OperationError:
    return OperationError(message, kind="invalid_input", retryable=False)


def unsupported(message: str) -> OperationError:
    return OperationError(message, kind="unsupported", retryable=False)


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
