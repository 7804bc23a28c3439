"""The operations of ``aggregate``, over the present values of one group.

Each value comes with the index of its item, so a wrong value is reported where it is.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from raikoo_common.runner import OperationError
from raikoo_op_runner.kinds._values import describe_json, is_number

Values = list[tuple[int, Any]]


def compute(op: str, values: Values, where: str, separator: str) -> Any:
    if op == "concat":
        return _concat(values, where, separator)
    return _OPS[op](values, where)


def _count(values: Values, where: str) -> int:
    return len(values)


def _sum(values: Values, where: str) -> int | float:
    numbers = _numbers(values, where)
    if all(isinstance(number, int) for number in numbers):
        return sum(numbers)
    return math.fsum(numbers)  # exact rounding: no drift over many floats


def _avg(values: Values, where: str) -> float | None:
    numbers = _numbers(values, where)
    return math.fsum(numbers) / len(numbers) if numbers else None


def _min(values: Values, where: str) -> Any:
    comparable = _comparable(values, where)
    return min(comparable) if comparable else None


def _max(values: Values, where: str) -> Any:
    comparable = _comparable(values, where)
    return max(comparable) if comparable else None


def _collect(values: Values, where: str) -> list[Any]:
    return [value for _, value in values]


def _first(values: Values, where: str) -> Any:
    return values[0][1] if values else None


def _last(values: Values, where: str) -> Any:
    return values[-1][1] if values else None


def _concat(values: Values, where: str, separator: str) -> Any:
    if not values:
        return None
    if isinstance(values[0][1], str):
        _all_alike(values, where, str, "strings")
        return separator.join(value for _, value in values)
    if isinstance(values[0][1], list):
        _all_alike(values, where, list, "lists")
        return [item for _, value in values for item in value]
    index, value = values[0]
    raise _wrong(where, "strings or lists", index, value)


def _numbers(values: Values, where: str) -> list[int | float]:
    for index, value in values:
        if not is_number(value):
            raise _wrong(where, "numbers", index, value)
    return [value for _, value in values]


def _comparable(values: Values, where: str) -> list[Any]:
    """Numbers, or strings (ISO dates sort as strings): never a mix, which has no order."""
    if values and isinstance(values[0][1], str):
        _all_alike(values, where, str, "strings")
        return [value for _, value in values]
    return _numbers(values, where)


def _all_alike(values: Values, where: str, kind: type, plural: str) -> None:
    for index, value in values:
        if not isinstance(value, kind):
            raise _wrong(where, f"{plural} only, as its first value is one", index, value)


def _wrong(where: str, expected: str, index: int, value: Any) -> OperationError:
    return OperationError(
        f"{where} needs {expected}, but the value of items[{index}] is {describe_json(value)}"
        f" ({_preview(value)})",
        kind="invalid_input",
        retryable=False,
    )


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_OPS: dict[str, Callable[[Values, str], Any]] = {
    "sum": _sum,
    "avg": _avg,
    "min": _min,
    "max": _max,
    "count": _count,
    "collect": _collect,
    "first": _first,
    "last": _last,
}
