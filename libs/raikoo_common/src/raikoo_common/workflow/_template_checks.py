"""Checks of the templates in a definition, before anything is rendered."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

from raikoo_common.workflow._model_problems import suggest
from raikoo_common.workflow.problems import Loc
from raikoo_common.workflow.templates import (
    GLOBAL_NAMES,
    is_template,
    referenced_names,
    template_syntax_error,
)

SCOPE_NAMES = ("inputs", "ops", "item", "index", "run", "secrets")
"""Names a template may read, besides Jinja's own (``range``, ``dict``…)."""


@dataclass(frozen=True)
class Scope:
    operations: Collection[str]
    inputs: Collection[str]
    referrer: str | None = None
    """The operation whose templates these are; None where any operation may be read."""
    upstream: Callable[[], Collection[str]] = frozenset
    in_loop: bool = False
    """Inside a loop body, where ``item`` and ``index`` are defined."""
    syntax_only: bool = False
    """For deferred fields, rendered later in a scope of their own."""
    names: Collection[str] = SCOPE_NAMES
    """The names templates here may read: a project operation's config sees only ``inputs``."""


LOOP_NAMES = frozenset({"item", "index"})


def template_problems(value: Any, loc: Loc, scope: Scope) -> Iterator[tuple[Loc, str]]:
    """``(where, message)`` for each problem in the templates within ``value``."""
    if isinstance(value, str):
        if is_template(value):
            yield from ((loc, message) for message in _check(value, scope))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from template_problems(item, (*loc, key), scope)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from template_problems(item, (*loc, index), scope)


def _check(source: str, scope: Scope) -> Iterator[str]:
    syntax_error = template_syntax_error(source)
    if syntax_error is not None:
        message, line = syntax_error
        at = f" at line {line} of the template" if line is not None else ""
        yield f"template syntax error{at}: {message}"
        return
    if scope.syntax_only:
        return
    for reference in sorted(referenced_names(source)):
        name, keys = reference[0], reference[1:]
        if name not in scope.names and name not in GLOBAL_NAMES:
            names = ", ".join(scope.names)
            yield f"unknown name {name!r}{suggest(name, scope.names)}; names in scope: {names}"
        elif name in LOOP_NAMES and not scope.in_loop:
            yield f"{name!r} is only defined inside a loop body (the `do` of a loop)"
        elif name == "ops" and keys:
            yield from _check_operation(keys[0], scope)
        elif name == "inputs" and keys and keys[0] not in scope.inputs:
            declared = suggest(keys[0], scope.inputs) if scope.inputs else " (none are declared)"
            yield f"unknown input {keys[0]!r}{declared}"


def _check_operation(key: str, scope: Scope) -> Iterator[str]:
    if key not in scope.operations:
        yield f"unknown operation {key!r} in ops.{key}{suggest(key, scope.operations)}"
    elif scope.referrer is None:
        return
    elif key == scope.referrer:
        yield f"an operation cannot read its own result (ops.{key})"
    elif key not in scope.upstream():
        yield (
            f"ops.{key} is read, but {key!r} is not upstream of {scope.referrer!r}: "
            f"add {key!r} to its needs"
        )
