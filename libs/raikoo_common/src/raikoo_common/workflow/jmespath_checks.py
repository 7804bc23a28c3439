"""JMESPath expressions in configs: checked when a workflow is stored, so that a typo fails at
definition time. Unknown functions and wrong argument counts are only found by the jmespath
library while it evaluates; they are checked here on the parsed tree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import jmespath
from jmespath import exceptions
from jmespath.functions import Functions
from pydantic import AfterValidator

_FUNCTIONS: dict[str, Any] = Functions().FUNCTION_TABLE


def expression_problem(expression: str) -> str | None:
    """Why ``expression`` is not a usable JMESPath expression, saying where; None when it is."""
    try:
        parsed = jmespath.compile(expression)
    except exceptions.EmptyExpressionError:
        return "the JMESPath expression is empty"
    except exceptions.LexerError as error:
        return _at(f"{error.message}", error.lexer_position, expression)
    except exceptions.IncompleteExpressionError:
        return _at("the expression ends too early", len(expression), expression)
    except exceptions.ParseError as error:
        detail = error.msg
        if detail == exceptions.ParseError._ERROR_MESSAGE:
            detail = f"unexpected {error.token_value!r}"
        return _at(detail, error.lex_position, expression)
    return next(_function_problems(parsed.parsed), None)


def check_expression(expression: str) -> str:
    problem = expression_problem(expression)
    if problem is not None:
        raise ValueError(problem)
    return expression


JMESPathExpression = Annotated[str, AfterValidator(check_expression)]
"""A config field holding a JMESPath expression, refused at definition time when invalid."""


def _at(detail: str, position: int, expression: str) -> str:
    return f"invalid JMESPath expression {expression!r}: {detail} (at column {position + 1})"


def _function_problems(node: Any) -> Iterator[str]:
    if not isinstance(node, dict):
        return
    if node.get("type") == "function_expression":
        name, arguments = node["value"], len(node["children"])
        function = _FUNCTIONS.get(name)
        if function is None:
            known = ", ".join(sorted(_FUNCTIONS))
            yield f"unknown JMESPath function {name}() (known functions: {known})"
        else:
            yield from _arity_problems(name, function["signature"], arguments)
    for child in node.get("children", ()):
        yield from _function_problems(child)


def _arity_problems(name: str, signature: tuple[dict[str, Any], ...], given: int) -> Iterator[str]:
    variadic = any(argument.get("variadic") for argument in signature)
    expected = len(signature)
    if given < expected or (given > expected and not variadic):
        least = "at least " if variadic else ""
        plural = "" if expected == 1 else "s"
        yield f"{name}() takes {least}{expected} argument{plural}, not {given}"
