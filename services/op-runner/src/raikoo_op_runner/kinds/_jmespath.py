"""JMESPath expressions of the data kinds, compiled per call (checked when a workflow is
stored: ``raikoo_common.workflow.jmespath_checks``)."""

from __future__ import annotations

from typing import Any

import jmespath
from jmespath import exceptions

from raikoo_common.runner import OperationError
from raikoo_common.workflow.bounds import BoundExceeded, render_budget
from raikoo_common.workflow.jmespath_bounded import search, search_failure
from raikoo_common.workflow.jmespath_checks import (
    JMESPathExpression,
    check_expression,
    expression_problem,
)

__all__ = ["Compiled", "JMESPathExpression", "check_expression", "expression_problem"]


class Compiled:
    """An expression compiled once and applied to many values."""

    def __init__(self, expression: str, where: str) -> None:
        problem = expression_problem(expression)
        if problem is not None:
            raise OperationError(f"{where}: {problem}", kind="invalid_expression", retryable=False)
        self._parsed = jmespath.compile(expression)
        self.expression = expression
        self.where = where

    def search(self, value: Any, about: str = "") -> Any:
        """The expression applied to ``value``, in this process, with the bounds of a render
        (``aggregate`` applies small expressions to each record); ``json.transform`` runs
        its one expression in a render worker instead."""
        try:
            with render_budget():
                return search(self._parsed, value)
        except (exceptions.JMESPathError, BoundExceeded, RecursionError) as error:
            raise OperationError(
                search_failure(self.where, self.expression, about, error),
                kind="expression_error",
                retryable=False,
            ) from None
