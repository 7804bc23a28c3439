"""Where a definition may use ``secrets.*``: only in a kind's credential fields, placed as it
is (``raikoo_common.secrets.sinks``). Anywhere else a secret would be plain text to a
filter, a transform or an output — how any workflow author could read any secret."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, nodes
from jinja2.exceptions import TemplateSyntaxError

from raikoo_common.secrets.sinks import SinkPath, credential_sinks, describe, in_sink
from raikoo_common.workflow._control_checks import Operation
from raikoo_common.workflow.problems import Loc
from raikoo_common.workflow.templates import is_template

Kinds = Mapping[str, Any]

_PLACE_AS_IS = (
    "a secret must be placed as it is — `{{ secrets.NAME }}`, alone or within text such as "
    "`Bearer {{ secrets.NAME }}` — not transformed: a filter, an operator or a call would "
    "work on its value in plain text"
)
_DYNAMIC = "write the secret's name out (`secrets.NAME`): a computed name is not allowed"


def secret_problems(operations: list[Operation], kinds: Kinds) -> Iterator[tuple[Loc, str]]:
    for op in operations:
        uses = op.uses or "(unknown)"
        sinks = credential_sinks(kinds.get(op.uses)) if op.uses else ()
        if isinstance(op.config, Mapping):
            for path, text in _templates(op.config, ()):
                yield from _check(text, (*op.loc, "with", *path), path, uses, sinks)
        when = op.spec.get("when")
        if isinstance(when, str):
            yield from _check(when, (*op.loc, "when"), ("when",), uses, ())


def config_secret_problems(
    config: Any, loc: Loc, uses: str, sinks: tuple[SinkPath, ...]
) -> Iterator[tuple[Loc, str]]:
    """The same for a project operation's preset config (``loc`` is where it sits)."""
    for path, text in _templates(config, ()):
        yield from _check(text, (*loc, *path), path, uses, sinks)


def _check(
    source: str, loc: Loc, path: Loc, uses: str, sinks: tuple[SinkPath, ...]
) -> Iterator[tuple[Loc, str]]:
    uses_found = _secret_uses(source)
    if uses_found is None or not uses_found:
        return  # no secrets here (or a syntax error, which the template checks report)
    if not in_sink(path, sinks):
        if sinks:
            where = f"the credential fields of `{uses}` ({describe(sinks)})"
        else:
            where = f"a kind's credential fields (`{uses}` has none)"
        yield (
            loc,
            (
                f"a secret can be used only in {where}: here its value would be plain text that "
                "templates, transforms and outputs could read (docs/security.md)"
            ),
        )
        return
    if "dynamic" in uses_found:
        yield loc, _DYNAMIC
    elif "transformed" in uses_found:
        yield loc, _PLACE_AS_IS


def _templates(value: Any, path: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        if is_template(value):
            yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _templates(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _templates(item, (*path, index))


_PARSER = Environment(autoescape=False)  # noqa: S701 - parses only, renders nothing


@cache
def _secret_uses(source: str) -> frozenset[str] | None:
    """How ``source`` uses ``secrets``: "as_is", "transformed", "dynamic" (None: it does not
    parse)."""
    try:
        tree = _PARSER.parse(source)
    except TemplateSyntaxError:
        return None
    found: set[str] = set()
    _walk(tree, None, None, found)
    return frozenset(found)


def _walk(
    node: nodes.Node, parent: nodes.Node | None, grandparent: nodes.Node | None, found: set[str]
) -> None:
    if isinstance(node, nodes.Name) and node.name == "secrets":
        found.add(_how(node, parent, grandparent))
    for child in node.iter_child_nodes():
        _walk(child, node, parent, found)


def _how(name: nodes.Name, parent: nodes.Node | None, grandparent: nodes.Node | None) -> str:
    if isinstance(parent, nodes.Getitem) and not (
        isinstance(parent.arg, nodes.Const) and isinstance(parent.arg.value, str)
    ):
        return "dynamic"
    picked = isinstance(parent, nodes.Getattr | nodes.Getitem)
    return "as_is" if picked and isinstance(grandparent, nodes.Output) else "transformed"
