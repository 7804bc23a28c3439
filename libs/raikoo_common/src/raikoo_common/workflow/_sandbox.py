"""The one Jinja environment every workflow template and expression runs in."""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from raikoo_common.workflow._template_filters import data_filters, data_globals

MAX_REPEAT = 1_000_000
"""Longest string or list that ``*`` may build."""
MAX_POWER_BITS = 100_000
"""Largest integer, in bits, that ``**`` may build."""


class WorkflowEnvironment(ImmutableSandboxedEnvironment):
    # The scheduler renders templates of every organization in one process, so a
    # template must not be able to hog its memory with `'x' * 10**10` or `9**9**9`.
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _huge_power(left, right):
            raise SecurityError(f"{left} ** {right} would be too large a number")
        if operator == "*" and _huge_repeat(left, right):
            raise SecurityError(f"repeating a sequence more than {MAX_REPEAT} items is not allowed")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Workflow data are dicts: `output.items` means the key "items", not dict.items.
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def _huge_power(left: Any, right: Any) -> bool:
    if not isinstance(left, int) or not isinstance(right, int) or right <= 0:
        return False
    return abs(left) > 1 and left.bit_length() * right > MAX_POWER_BITS


def _huge_repeat(left: Any, right: Any) -> bool:
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(times, int):
            return len(sequence) * times > MAX_REPEAT
    return False


def make_environment() -> WorkflowEnvironment:
    env = WorkflowEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters.update(data_filters())
    env.globals.update(data_globals())
    return env
