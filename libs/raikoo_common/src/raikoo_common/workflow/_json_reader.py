"""Where each key and item of a JSON text sits, which the ``json`` module does not say."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

from raikoo_common.workflow.problems import Loc

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:\n]|[^\s{}\[\],:"]+')


class _Frame:
    __slots__ = ("expecting_key", "index", "is_object", "key", "seen")

    def __init__(self, *, is_object: bool) -> None:
        self.is_object = is_object
        self.expecting_key = is_object
        self.key: str = ""
        self.index = 0
        self.seen: dict[str, int] = {}


class _Place(NamedTuple):
    what: Literal["key", "value"]
    """A key of an object was read, or the first token of a value in a list or object."""
    container: Loc
    frame: _Frame
    """The container's reading state: its current key or index."""
    line: int
    column: int
    opens: bool
    """A value that is itself a list or an object."""

    @property
    def loc(self) -> Loc:
        return (*self.container, self.frame.key if self.frame.is_object else self.frame.index)


def json_lines(text: str) -> tuple[dict[Loc, int], list[tuple[Loc, str, int, int]]]:
    """The line of every key and item, and each duplicate key as ``(loc, key, line, first)``.

    ``text`` must already be known to be valid JSON.
    """
    lines: dict[Loc, int] = {(): 1}
    duplicates: list[tuple[Loc, str, int, int]] = []
    for place in _places(text):
        frame, line = place.frame, place.line
        if place.what == "value":
            if not frame.is_object:
                lines.setdefault(place.loc, line)
        elif frame.key in frame.seen:
            duplicates.append((place.container, frame.key, line, frame.seen[frame.key]))
        else:
            frame.seen[frame.key] = line
            lines.setdefault(place.loc, line)
    return lines, duplicates


def deepest_container(text: str, limit: int) -> tuple[Loc, int, int] | None:
    """The first list or object opened deeper than ``limit`` (>= 1): ``(loc, line, column)``.

    Reads tokens without recursing, so it is safe at any depth; ``text`` need not be valid.
    """
    for place in _places(text):
        if place.opens and len(place.container) + 1 >= limit:
            return place.loc, place.line, place.column
    return None


def _places(text: str) -> Iterator[_Place]:
    """Each key read and each value begun inside a container, in the order of the text."""
    stack: list[_Frame] = []
    line, line_start = 1, 0
    for match in _TOKEN.finditer(text):
        lexeme = match.group()
        if lexeme == "\n":
            line, line_start = line + 1, match.end()
            continue
        top = stack[-1] if stack else None
        column = match.start() - line_start + 1
        if top is not None and top.is_object and top.expecting_key and lexeme.startswith('"'):
            top.key, top.expecting_key = _key(lexeme), False
            yield _Place("key", _loc(stack[:-1]), top, line, column, opens=False)
        elif lexeme == ",":
            if top is not None and top.is_object:
                top.expecting_key = True
            elif top is not None:
                top.index += 1
        elif lexeme in "}]":
            if stack:
                stack.pop()
        elif lexeme != ":":
            opens = lexeme in "{["
            if top is not None:
                yield _Place("value", _loc(stack[:-1]), top, line, column, opens=opens)
            if opens:
                stack.append(_Frame(is_object=lexeme == "{"))


def _loc(stack: list[_Frame]) -> Loc:
    return tuple(frame.key if frame.is_object else frame.index for frame in stack)


def _key(lexeme: str) -> str:
    try:
        key: str = json.loads(lexeme)
    except ValueError:  # deepest_container reads text that may not be valid JSON
        return lexeme.strip('"')
    return key
