"""The one Jinja environment every workflow template and expression runs in.

Jinja's immutable sandbox refuses attribute tricks and mutation; this environment adds the
bounds of ``_budget`` at each place where a template can make work or values: loops
(``{% for %}`` draws a step per iteration), calls (steps, methods estimated by
``_methods``), operators (``_size_guards``), filters (``_filter_guards``), slicing, ``~``,
the joining of output, ``str.format`` (``_formatting``) and the text written by ``{{ }}``
(``_text``: data only, so no object's address appears).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import update_wrapper
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing, object_type_repr
from markupsafe import Markup

from raikoo_common.workflow._budget import CALL_STEPS, budget
from raikoo_common.workflow._filter_guards import guarded_filters, lipsum
from raikoo_common.workflow._formatting import BoundedEscapeFormatter, BoundedFormatter
from raikoo_common.workflow._methods import check_method
from raikoo_common.workflow._size_guards import BINOPS, binop, concat, join_output
from raikoo_common.workflow._template_filters import data_filters, data_globals
from raikoo_common.workflow._text import as_text, short_repr

_BUDGETED = "raikoo_loop_budget"
_CONCAT = "raikoo_concat"
_SLICE = "raikoo_slice"


def _budgeted(iterable: Iterable[Any]) -> Iterator[Any]:
    current = budget()
    for item in iterable:
        current.spend()
        yield item


def _finalize(value: Any) -> str:
    """What ``{{ value }}`` writes: the value's text, by the text rule."""
    return value if type(value) is str else as_text(value, "{{ }}")


def _join_block(chunks: Iterable[str]) -> str:
    return join_output(chunks, "a macro, block or {% set %} body")


class WorkflowUndefined(StrictUndefined):
    """``StrictUndefined`` whose message quotes a missing key shortly, and never by its
    default repr (``{}[lipsum]`` would name ``<function lipsum at 0x7f…>``)."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        name = self._undefined_name
        if self._undefined_hint or self._undefined_obj is missing or isinstance(name, str):
            return str(super()._undefined_message)
        return f"{object_type_repr(self._undefined_obj)} has no element {short_repr(name)}"


class WorkflowEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = BINOPS
    # The output of macros, call blocks and `{% set %}…{% endset %}` bodies.
    concat = staticmethod(_join_block)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        return binop(operator, left, right)

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
        # `~` joins without any operator hook, and `xs[a:b]` copies: route both through
        # checked functions.
        for parent in source.find_all(nodes.Node):
            for field in parent.fields:
                child = getattr(parent, field, None)
                if isinstance(child, nodes.Node):
                    setattr(parent, field, _checked(child))
                elif isinstance(child, list):
                    setattr(parent, field, [_checked(c) for c in child])
        return super()._generate(source, name, filename, defer_init)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        current = budget()
        current.spend(CALL_STEPS)  # macros can recurse and double without a single loop
        args = check_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        current.charge(result, getattr(__obj, "__name__", "a call"))
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Workflow data are dicts: `output.items` means the key "items", not dict.items.
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> Any:
        """Jinja's sandboxed ``str.format``/``format_map``, with fields bounded."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text: str = value.__self__
        formatter = (
            BoundedEscapeFormatter(self, escape=text.escape)
            if isinstance(text, Markup)
            else BoundedFormatter(self)
        )
        is_format_map = value.__name__ == "format_map"

        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            result = type(text)(formatter.vformat(text, args, kwargs))
            budget().charge(result, value.__name__)
            return result

        return update_wrapper(bounded, value)


def _checked(node: Any) -> Any:
    if isinstance(node, nodes.Concat):
        return _call(_CONCAT, list(node.nodes), node.lineno)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Slice):
        return _call(_SLICE, [node.node, node.arg.start, node.arg.stop, node.arg.step], node.lineno)
    return node


def _call(name: str, arguments: list[Any], lineno: int) -> nodes.Call:
    values = [nodes.Const(None) if a is None else a for a in arguments]
    return nodes.Call(nodes.Name(name, "load"), values, [], None, None, lineno=lineno)


def _slice(value: Any, start: Any, stop: Any, step: Any) -> Any:
    """``value[start:stop:step]``, measured: a slice is a copy."""
    part = value[start:stop:step]
    budget().charge(part, "slicing")
    return part


def make_environment() -> WorkflowEnvironment:
    env = WorkflowEnvironment(
        undefined=WorkflowUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters = guarded_filters({**env.filters, **data_filters()})
    env.globals[_BUDGETED] = _budgeted
    env.globals[_CONCAT] = concat
    env.globals[_SLICE] = _slice
    env.globals["lipsum"] = lipsum
    env.globals.update(data_globals())
    return env
