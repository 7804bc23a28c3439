"""JMESPath with the bounds of a template render: the ``jmespath`` filter, and the data
kinds (``json.transform``, ``aggregate``) of the op-runner.

The interpreter spends a step of the current render's budget per node it visits and
measures every list or object it builds; ``[]`` (flatten) checks its size as it grows,
because ``[@, @, @, @][]`` repeated doubles a list per few characters of expression; the
functions ``join`` and ``to_string`` estimate their text before they write it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jmespath
from jmespath import functions, visitor
from jmespath.parser import ParsedResult

from raikoo_common.workflow._budget import BoundExceeded, RenderBudget, budget
from raikoo_common.workflow._json_data import json_text
from raikoo_common.workflow._text import safe_message

MAX_MESSAGE = 1_000


# jmespath has no type information: its classes are ``Any`` to mypy.
class _Functions(functions.Functions):  # type: ignore[misc]
    @functions.signature({"types": ["string"]}, {"types": ["array-string"]})  # type: ignore[untyped-decorator]
    def _func_join(self, separator: str, array: list[str]) -> str:
        size = sum(map(len, array)) + len(separator) * max(len(array) - 1, 0)
        budget().expect(size, "string", "jmespath join()")
        return separator.join(array)

    @functions.signature({"types": []})  # type: ignore[untyped-decorator]
    def _func_to_string(self, arg: Any) -> str:
        if isinstance(arg, str):
            return arg
        return json_text(arg, "jmespath to_string(): the value", compact=True)


_FUNCTIONS = _Functions()
_OPTIONS = visitor.Options(custom_functions=_FUNCTIONS)


class _Interpreter(visitor.TreeInterpreter):  # type: ignore[misc]
    def __init__(self, current: RenderBudget) -> None:
        super().__init__(_OPTIONS)
        self.budget = current

    def visit(self, node: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        self.budget.spend()
        return super().visit(node, *args, **kwargs)

    def visit_flatten(self, node: dict[str, Any], value: Any) -> Any:
        base = self.visit(node["children"][0], value)
        if not isinstance(base, list):
            return None
        merged: list[Any] = []
        for element in base:
            if isinstance(element, list):
                self.budget.expect(len(merged) + len(element), "list", "jmespath []")
                merged.extend(element)
            else:
                merged.append(element)
        return self._built(merged, "jmespath []")

    def visit_projection(self, node: dict[str, Any], value: Any) -> Any:
        return self._built(super().visit_projection(node, value), "jmespath projection")

    def visit_value_projection(self, node: dict[str, Any], value: Any) -> Any:
        return self._built(super().visit_value_projection(node, value), "jmespath projection")

    def visit_filter_projection(self, node: dict[str, Any], value: Any) -> Any:
        return self._built(super().visit_filter_projection(node, value), "jmespath filter")

    def visit_multi_select_list(self, node: dict[str, Any], value: Any) -> Any:
        return self._built(super().visit_multi_select_list(node, value), "jmespath [a, b]")

    def visit_multi_select_dict(self, node: dict[str, Any], value: Any) -> Any:
        return self._built(super().visit_multi_select_dict(node, value), "jmespath {a: b}")

    def visit_slice(self, node: dict[str, Any], value: Any) -> Any:
        return self._built(super().visit_slice(node, value), "jmespath slice")

    def visit_function_expression(self, node: dict[str, Any], value: Any) -> Any:
        arguments = [self.visit(child, value) for child in node["children"]]
        result = self._functions.call_function(node["value"], arguments)
        if not any(result is argument for argument in arguments):  # not_null, to_array…
            self.budget.charge(result, f"jmespath {node['value']}()")
        return result

    def _built(self, result: Any, what: str) -> Any:
        if result is not None:
            self.budget.charge(result, what)
        return result


@lru_cache(maxsize=1024)
def compiled(expression: str) -> ParsedResult:
    """The parsed expression; raises jmespath's errors for an invalid one."""
    return jmespath.compile(expression)


def search(expression: str | ParsedResult, value: Any) -> Any:
    """``jmespath.search``, drawing on the current render's budget."""
    parsed = compiled(expression) if isinstance(expression, str) else expression
    return _Interpreter(budget()).visit(parsed.parsed, value)


def search_failure(where: str, expression: str, about: str, error: Exception) -> str:
    """Why applying ``expression`` to the value ``about`` failed, for an operation's error."""
    if isinstance(error, BoundExceeded):
        detail = error.message
    elif isinstance(error, RecursionError):
        detail = "the expression or its data nests too deeply"
    else:
        detail = str(error)
    at = f" on {about}" if about else ""
    return safe_message(f"{where}: {expression!r} failed{at}: {detail}", MAX_MESSAGE)
