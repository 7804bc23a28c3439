"""YAML read with JSON's data model: no duplicate keys, ``on`` and dates stay strings.

Anchors and aliases are refused rather than expanded under a cap. Expanded, ten aliases of
ten aliases six levels deep turn 450 bytes into a million nodes to store, render and show;
a cap would still let a small text cost that much, up to an arbitrary number. Definitions
repeat themselves through project operations (``uses: op/<name>``) instead, and JSON, the
other way to write a definition, has no aliases either.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

from raikoo_common.workflow.limits import MAX_NESTING, NESTING_REFUSED
from raikoo_common.workflow.problems import Loc

_YAML11_SURPRISES = {
    # `on:` (a retry field) would become the key True, and `2024-01-01` a date object.
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"


class RefusedYaml(Exception):
    """Well-formed YAML using what a definition may not: an anchor, an alias, deep nesting."""

    def __init__(self, message: str, loc: Loc, line: int) -> None:
        super().__init__(message)
        self.message, self.loc, self.line = message, loc, line


_NO_ALIASES = (
    "YAML anchors and aliases are not supported in definitions (write the value out, or "
    "make it a project operation)"
)


class _Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no type hints
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.path: list[str | int] = []
        """Steps to the node being composed, the document itself first."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        # Composing recurses once per level: the one place where depth must be bounded.
        event = self.peek_event()
        line = event.start_mark.line + 1
        self.path.append(_step(parent, index))
        try:
            where = tuple(self.path[1:])
            if isinstance(event, yaml.AliasEvent):
                raise RefusedYaml(f"uses the alias *{event.anchor}; {_NO_ALIASES}", where, line)
            if event.anchor is not None:
                raise RefusedYaml(f"defines the anchor &{event.anchor}; {_NO_ALIASES}", where, line)
            if isinstance(event, yaml.CollectionStartEvent) and len(self.path) > MAX_NESTING:
                raise RefusedYaml(f"the document {NESTING_REFUSED}", where, line)
            node: yaml.Node = super().compose_node(parent, index)
            return node
        finally:
            self.path.pop()


def _step(parent: yaml.Node | None, index: object) -> str | int:
    if isinstance(index, int):
        return index
    if isinstance(index, yaml.ScalarNode):
        return str(index.value)
    return "(key)" if isinstance(parent, yaml.MappingNode) else ""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML11_SURPRISES]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class DuplicateKey(NamedTuple):
    loc: Loc
    """Of the mapping holding the key twice."""
    key: object
    line: int
    first_line: int


def read_yaml(text: str) -> tuple[Any, dict[Loc, int], list[DuplicateKey]]:
    """The data, the line of every key and item, and every duplicate key.

    Raises ``yaml.YAMLError`` for text that is not YAML, ``RefusedYaml`` for an anchor, an
    alias or nesting deeper than ``MAX_NESTING``.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        walker = _Walker(loader)
        walker.walk(node, ())
        return loader.construct_document(node), walker.lines, walker.duplicates
    finally:
        loader.dispose()


class _Walker:
    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.lines: dict[Loc, int] = {}
        self.duplicates: list[DuplicateKey] = []

    def walk(self, node: yaml.Node, loc: Loc) -> None:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*loc, index))
        elif isinstance(node, yaml.MappingNode):
            self._walk_mapping(node, loc)

    def _walk_mapping(self, node: yaml.MappingNode, loc: Loc) -> None:
        first_lines: dict[object, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in first_lines:
                    self.duplicates.append(DuplicateKey(loc, key, line, first_lines[key]))
                    continue
                first_lines[key] = line
            except TypeError:  # an unhashable key: construction reports it
                continue
            child: Loc = (*loc, key if isinstance(key, str | int) else str(key))
            self.lines[child] = line
            self.walk(value_node, child)
