"""The one Jinja environment every workflow template and expression runs in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from raikoo_common.workflow._size_guards import bounded_filters, check_plus, check_printf, concat
from raikoo_common.workflow._template_filters import data_filters, data_globals

MAX_REPEAT = 1_000_000
"""Longest string or list that ``*`` may build."""
MAX_POWER_BITS = 100_000
"""Largest integer, in bits, that ``**`` may build."""
MAX_LOOP_STEPS = 1_000_000
"""Most steps one rendering may take: a ``{% for %}`` iteration is one, a call (of a macro,
a function, a method) ten, counted together however they nest."""

_steps_left: ContextVar[list[int] | None] = ContextVar("template_loop_steps", default=None)
_BUDGETED = "raikoo_loop_budget"
_CONCAT = "raikoo_concat"


@contextmanager
def loop_budget(steps: int = MAX_LOOP_STEPS) -> Iterator[None]:
    """Bound the loop iterations of everything rendered inside (one value, all its fields)."""
    token = _steps_left.set([steps])
    try:
        yield
    finally:
        _steps_left.reset(token)


CALL_STEPS = 10
"""A call (a macro especially) costs about ten loop iterations: ~100,000 calls at most."""


def _spend(steps: int = 1) -> None:
    left = _steps_left.get()
    if left is not None:
        left[0] -= steps
        if left[0] < 0:
            raise SecurityError(
                f"the template ran more than {MAX_LOOP_STEPS:,} steps (loop iterations and calls)"
            )


def _budgeted(iterable: Any) -> Iterator[Any]:
    for item in iterable:
        _spend()
        yield item


class WorkflowEnvironment(ImmutableSandboxedEnvironment):
    # The scheduler renders templates of every organization in one process, so a
    # template must not be able to hog its memory with `'x' * 10**10` or `9**9**9`.
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _huge_power(left, right):
            raise SecurityError(f"{left} ** {right} would be too large a number")
        if operator == "*" and _huge_repeat(left, right):
            raise SecurityError(f"repeating a sequence more than {MAX_REPEAT} items is not allowed")
        if operator == "+":
            check_plus(left, right)
        if operator == "%":
            check_printf(left)
        return super().call_binop(context, operator, left, right)

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        # Nested loops multiply: `{% for a in xs %}{% for b in xs %}` over 100k items would
        # keep the scheduler's event loop busy for minutes. Every loop draws on a budget.
        for loop in source.find_all(nodes.For):
            if loop.recursive:
                # `loop(children)` re-enters the loop outside the wrapped iterable.
                raise TemplateSyntaxError(
                    "recursive loops are not allowed in workflow templates", loop.lineno
                )
            loop.iter = nodes.Call(
                nodes.Name(_BUDGETED, "load"), [loop.iter], [], None, None, lineno=loop.lineno
            )
        # `~` joins without any operator hook: route it through a checked join.
        for parent in source.find_all(nodes.Node):
            for field in parent.fields:
                child = getattr(parent, field, None)
                if isinstance(child, nodes.Concat):
                    setattr(parent, field, _checked_concat(child))
                elif isinstance(child, list):
                    setattr(
                        parent,
                        field,
                        [_checked_concat(c) if isinstance(c, nodes.Concat) else c for c in child],
                    )
        return super()._generate(source, name, filename, defer_init)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _spend(CALL_STEPS)  # macros can recurse and double without a single loop
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Workflow data are dicts: `output.items` means the key "items", not dict.items.
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def _checked_concat(node: nodes.Concat) -> nodes.Call:
    return nodes.Call(
        nodes.Name(_CONCAT, "load"), list(node.nodes), [], None, None, lineno=node.lineno
    )


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
    env.filters.update(bounded_filters())
    env.globals[_BUDGETED] = _budgeted
    env.globals[_CONCAT] = concat
    env.globals.update(data_globals())
    return env
