"""What is wrong with a workflow definition, and where."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping

from pydantic import BaseModel, ConfigDict

Loc = tuple[str | int, ...]
"""A position in a document: mapping keys and list indexes from the top."""

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def format_path(loc: Iterable[object]) -> str:
    """``("operations", "fetch", "needs", 0)`` → ``operations.fetch.needs[0]``."""
    text = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(str(part))}]"
    return text


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    """Where, in the document's own key names; empty for the document as a whole."""
    message: str
    line: int | None = None
    """1-based line in the source text, when the definition was read from text."""

    def __str__(self) -> str:
        where = self.path or "(document)"
        line = f" (line {self.line})" if self.line is not None else ""
        return f"{where}: {self.message}{line}"


class DefinitionInvalid(Exception):
    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self.problems, source)

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: " if self.source else ""
        noun = "problem" if count == 1 else "problems"
        lines = [f"{head}invalid workflow definition ({count} {noun})"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


class SourceMap:
    """Lines of a document's keys and items, so problems found later can point into the text."""

    def __init__(self, source: str, compute_lines: Callable[[], Mapping[Loc, int]]) -> None:
        self.source = source
        self._compute_lines = compute_lines
        self._lines: Mapping[Loc, int] | None = None

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc`` or, for a place absent from the text, of its nearest parent."""
        if self._lines is None:
            self._lines = self._compute_lines()
        for end in range(len(loc), -1, -1):
            line = self._lines.get(loc[:end])
            if line is not None:
                return line
        return None


def problem_at(loc: Loc, message: str, source_map: SourceMap | None = None) -> Problem:
    line = source_map.line_of(loc) if source_map is not None else None
    return Problem(path=format_path(loc), message=message, line=line)
