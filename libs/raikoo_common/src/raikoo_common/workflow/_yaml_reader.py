"""YAML read with JSON's data model: no duplicate keys, ``on`` and dates stay strings."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

from raikoo_common.workflow.problems import Loc

_YAML11_SURPRISES = {
    # `on:` (a retry field) would become the key True, and `2024-01-01` a date object.
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no type hints
    pass


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

    Raises ``yaml.YAMLError`` for text that is not YAML.
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
        # Aliases share nodes: visiting each once keeps "billion laughs" documents linear.
        self.seen: set[int] = set()

    def walk(self, node: yaml.Node, loc: Loc) -> None:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if id(node) in self.seen:
            return
        self.seen.add(id(node))
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
