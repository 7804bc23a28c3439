"""The expression and template language of workflow definitions (DESIGN.md §5).

A string holding exactly one ``{{ expr }}`` evaluates to the expression's own value
(list, dict, number…); any other string with template syntax renders to a string;
a string without ``{{`` or ``{%`` is plain text and never reaches Jinja.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from contextvars import Token
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
from jinja2 import Template, meta, nodes
from jinja2.exceptions import TemplateSyntaxError

from raikoo_common.nul import NUL_REFUSED, find_nul
from raikoo_common.secrets.refs import REFERENCE
from raikoo_common.workflow._budget import (
    SCHEDULER_LIMITS,
    RenderBudget,
    RenderLimits,
    enter_budget,
    leave_budget,
)
from raikoo_common.workflow._json_data import json_data
from raikoo_common.workflow._sandbox import make_environment
from raikoo_common.workflow._size_guards import join_output
from raikoo_common.workflow._text import safe_message
from raikoo_common.workflow.problems import format_path

_env = make_environment()
GLOBAL_NAMES = frozenset(_env.globals)
"""Names Jinja itself provides (``range``, ``dict``, ``namespace``…)."""


class TemplateError(Exception):
    def __init__(self, where: str, message: str, line: int | None = None) -> None:
        super().__init__(where, message, line)
        self.where = where
        self.message = message
        self.line = line
        """Line within the template, when Jinja knows it."""

    def __str__(self) -> str:
        at = f" (line {self.line} of the template)" if self.line is not None else ""
        return f"{self.where or 'template'}: {self.message}{at}"


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text


def render_value(
    value: Any,
    context: Mapping[str, Any],
    *,
    where: str = "",
    stored: bool = False,
    limits: RenderLimits = SCHEDULER_LIMITS,
) -> Any:
    """``value`` with every template string in it rendered. Raises ``TemplateError``.

    Every template in ``value`` draws on one budget with ``limits`` (``_budget``); a
    single-expression template must give JSON data (``_json_data``).
    ``stored``: the result is kept as it is (run outputs), not sent to a runner, so it may
    not carry a secret reference either (only a runner resolves one)."""
    render = _Render(context, limits)
    try:
        result = _render(value, render)
    except _RenderError as failure:
        raise TemplateError(_joined(where, failure.parts), failure.message, failure.line) from None
    finally:
        render.close()
    at = find_nul(result) if stored else None
    if at is not None:
        raise TemplateError(
            _joined(where, list(reversed(at))),
            "a secret may be used only in an operation's config, where its runner resolves "
            "it; this value is stored as it is"
            if REFERENCE.search(_at(result, at))
            else f"the result {NUL_REFUSED}",
        )
    return result


def _joined(where: str, parts: list[str | int]) -> str:
    path = format_path(reversed(parts))
    if not path:
        return where
    return f"{where}{path}" if path.startswith("[") or not where else f"{where}.{path}"


def _at(value: Any, path: tuple[str | int, ...]) -> str:
    for part in path:
        value = value[part]
    return str(value)


def template_syntax_error(source: str) -> tuple[str, int | None] | None:
    """Why ``source`` is not a valid template, and on which of its lines; None when it is."""
    try:
        _compile(source)
    except TemplateSyntaxError as exc:
        return exc.message or "syntax error", exc.lineno
    except (RecursionError, MemoryError, SyntaxError) as exc:  # Python cannot compile it
        return _describe(exc), None
    return None


@lru_cache(maxsize=4096)
def referenced_names(source: str) -> frozenset[tuple[str, ...]]:
    """Each name the template reads from its context, with the constant keys read from it.

    ``{{ ops.fetch.output['body'] }}`` gives ``("ops", "fetch", "output", "body")``;
    ``{{ ops[name] }}`` gives ``("ops",)`` and ``("name",)``. Raises Jinja's
    ``TemplateSyntaxError`` for a template that does not parse.
    """
    tree = _env.parse(source)
    free = meta.find_undeclared_variables(tree)
    found: set[tuple[str, ...]] = set()
    _collect_references(tree, free, found)
    return frozenset(found)


class _RenderError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message, line)
        self.message, self.line = message, line
        self.parts: list[str | int] = []
        """The path to where it failed, innermost first."""


@dataclass(frozen=True, slots=True)
class _Compiled:
    template: Template
    native: bool


class _Render:
    """One ``render_value`` call: its scope and budget, made when the first template comes
    (most values of a config are plain, and cost nothing but the walk)."""

    __slots__ = ("_budget", "_context", "_scope", "_token", "limits")

    def __init__(self, context: Mapping[str, Any], limits: RenderLimits) -> None:
        self._context = context
        self.limits = limits
        self._scope: dict[str, Any] | None = None
        self._budget: RenderBudget | None = None
        self._token: Token[RenderBudget | None] | None = None

    def scope(self) -> dict[str, Any]:
        if self._scope is None:
            self._scope = {**_env.globals, **self._context}
            self._budget = RenderBudget(self.limits)
            self._token = enter_budget(self._budget)
        return self._scope

    def close(self) -> None:
        if self._token is not None:
            leave_budget(self._token)
            self._token = None


def _render(value: Any, render: _Render) -> Any:
    if isinstance(value, str):
        return _render_string(value, render.scope()) if is_template(value) else value
    if isinstance(value, dict):
        rendered: dict[Any, Any] = {}
        for key, item in value.items():
            try:
                rendered[key] = _render(item, render)
            except _RenderError as failure:
                failure.parts.append(key)
                raise
        return rendered
    if isinstance(value, list | tuple):
        items: list[Any] = []
        for index, item in enumerate(value):
            try:
                items.append(_render(item, render))
            except _RenderError as failure:
                failure.parts.append(index)
                raise
        return items
    return value


def _render_string(source: str, scope: dict[str, Any]) -> Any:
    try:
        compiled = _compile(source)
    except TemplateSyntaxError as exc:
        raise _RenderError(f"syntax error: {exc.message}", exc.lineno) from None
    except Exception as exc:  # nesting Python cannot compile, memory
        raise _RenderError(_describe(exc), None) from None
    template = compiled.template
    # Built directly: Template.new_context copies the globals into every context.
    jinja_context = _env.context_class(_env, scope, template.name, template.blocks)
    try:
        if not compiled.native:
            result: Any = join_output(template.root_render_func(jinja_context))
        else:
            for _ in template.root_render_func(jinja_context):
                pass
            result = json_data(jinja_context.vars["result"])
    except Exception as exc:  # any error of a template, filter or sandbox check
        raise _RenderError(_describe(exc), _template_line(template, exc)) from None
    at = find_nul(result, allowed=REFERENCE)
    if at is not None:
        inner = f" at {format_path(at)}" if at else ""
        raise _RenderError(f"the result{inner} {NUL_REFUSED}", None)
    return result


CACHED_SOURCE = 2_000
"""Templates up to this many characters are kept compiled (4,096 of them): longer ones,
rare, would make the cache's memory depend on what definitions hold."""


def _compile(source: str) -> _Compiled:
    return _compile_cached(source) if len(source) <= CACHED_SOURCE else _compile_fresh(source)


@lru_cache(maxsize=4096)
def _compile_cached(source: str) -> _Compiled:
    return _compile_fresh(source)


def _compile_fresh(source: str) -> _Compiled:
    tree = _env.parse(source)
    expression = _sole_expression(tree)
    if expression is None:
        return _Compiled(_env.from_string(tree), native=False)
    assign = nodes.Assign(nodes.Name("result", "store"), expression, lineno=expression.lineno)
    return _Compiled(_env.from_string(nodes.Template([assign], lineno=1)), native=True)


def _sole_expression(tree: nodes.Template) -> nodes.Expr | None:
    if len(tree.body) != 1 or not isinstance(tree.body[0], nodes.Output):
        return None
    parts = [
        node
        for node in tree.body[0].nodes
        if not (isinstance(node, nodes.TemplateData) and not node.data.strip())
    ]
    if len(parts) == 1 and not isinstance(parts[0], nodes.TemplateData):
        return parts[0]
    return None


MAX_MESSAGE = 1_000
"""Characters of an error message kept: one may quote a value the template built (a key
it looked up, text it could not parse), and errors are stored, logged and sent."""


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.TemplateError):
        message = exc.message or type(exc).__name__
    elif isinstance(exc, MemoryError):
        message = "the template needed more memory than this process may use"
    elif isinstance(exc, RecursionError):
        message = "the template (or its data) nests too deeply"
    else:
        message = f"{type(exc).__name__}: {exc}"
    return safe_message(message, MAX_MESSAGE)


def _template_line(template: Template, exc: Exception) -> int | None:
    line = None
    for frame, frame_line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == "<template>":
            line = template.get_corresponding_lineno(frame_line)
    return line


def _collect_references(node: nodes.Node, free: set[str], found: set[tuple[str, ...]]) -> None:
    if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
        keys: list[str] = []
        inner: nodes.Node = node
        while True:
            if isinstance(inner, nodes.Getattr):
                keys.append(inner.attr)
            elif isinstance(inner, nodes.Getitem) and (key := _constant_key(inner.arg)):
                keys.append(key)
            else:
                break
            inner = inner.node
        if isinstance(inner, nodes.Name) and inner.ctx == "load" and inner.name in free:
            found.add((inner.name, *reversed(keys)))
            return
        if inner is not node:
            _collect_references(inner, free, found)
            return
    for child in node.iter_child_nodes():
        _collect_references(child, free, found)


def _constant_key(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None
