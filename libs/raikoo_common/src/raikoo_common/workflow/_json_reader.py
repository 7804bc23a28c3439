"""Where each key and item of a JSON text sits, which the ``json`` module does not say."""

from __future__ import annotations

import json
import re

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


def json_lines(text: str) -> tuple[dict[Loc, int], list[tuple[Loc, str, int, int]]]:
    """The line of every key and item, and each duplicate key as ``(loc, key, line, first)``.

    ``text`` must already be known to be valid JSON.
    """
    lines: dict[Loc, int] = {(): 1}
    duplicates: list[tuple[Loc, str, int, int]] = []
    stack: list[_Frame] = []
    line = 1
    for match in _TOKEN.finditer(text):
        lexeme = match.group()
        if lexeme == "\n":
            line += 1
            continue
        top = stack[-1] if stack else None
        loc = _loc(stack[:-1])  # of the container being read
        if top is not None and top.is_object and top.expecting_key and lexeme.startswith('"'):
            top.key, top.expecting_key = json.loads(lexeme), False
            if top.key in top.seen:
                duplicates.append((loc, top.key, line, top.seen[top.key]))
            else:
                top.seen[top.key] = line
                lines.setdefault((*loc, top.key), line)
        elif lexeme == ",":
            if top is not None and top.is_object:
                top.expecting_key = True
            elif top is not None:
                top.index += 1
        elif lexeme in "}]":
            stack.pop()
        elif lexeme != ":":
            if top is not None and not top.is_object:
                lines.setdefault((*loc, top.index), line)
            if lexeme in "{[":
                stack.append(_Frame(is_object=lexeme == "{"))
    return lines, duplicates


def _loc(stack: list[_Frame]) -> Loc:
    return tuple(frame.key if frame.is_object else frame.index for frame in stack)
