"""Shapes every document Raikoo reads (definitions, request bodies) must keep.

Parsers and the code after them recurse once per level of nesting: a thousand ``[`` ended
in a ``RecursionError`` (a 500 and a traceback of hundreds of kilobytes per request). Lone
surrogates (``"\\ud800"``) are not Unicode text: no database and no UTF-8 encoder takes
them. Both are refused where a document enters, naming where.
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate
from typing import Any

from raikoo_common.workflow._json_reader import deepest_container
from raikoo_common.workflow.problems import format_path

MAX_NESTING = 64
"""Lists and mappings inside each other; real definitions and inputs use a dozen at most."""
NESTING_REFUSED = f"nests lists and mappings deeper than {MAX_NESTING} levels"
SURROGATE_REFUSED = (
    "contains a lone surrogate (a \\ud800-\\udfff escape without its pair), which is not "
    "Unicode text"
)

Path = tuple[str | int, ...]

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = b"[]{}"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _BRACKETS)
# Openers step +1 and closers -1, read as signed bytes: the running sum is the depth.
_STEPS = bytes.maketrans(_BRACKETS, b"\x01\xff\x01\xff")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_nesting(text: bytes) -> int:
    """How deeply a JSON text nests, counted at C speed without parsing (strings skipped)."""
    if text.count(b"[") + text.count(b"{") <= MAX_NESTING:
        return 0  # cannot exceed the limit: skip the scan
    brackets = _JSON_STRING.sub(b"", text).translate(None, _NOT_BRACKETS)
    return max(accumulate(array("b", brackets.translate(_STEPS))), default=0)


def json_too_deep(text: bytes | str) -> tuple[Path, int, int] | None:
    """Where a JSON text first nests past ``MAX_NESTING``: ``(path, line, column)``, or None.

    Call before parsing: the standard library's parser recurses once per level.
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if json_nesting(raw) <= MAX_NESTING:
        return None
    decoded = text if isinstance(text, str) else text.decode("utf-8", "replace")
    # The two scans read strings alike; should they ever disagree, refusing is the safe side.
    return deepest_container(decoded, MAX_NESTING) or ((), 1, 1)


def surrogate_escape_in(body: bytes) -> bool:
    """Whether a JSON text may hold a lone surrogate (a pair is fine once parsed)."""
    return _SURROGATE_ESCAPE.search(body) is not None


def find_surrogate(value: Any) -> Path | None:
    """Where in ``value`` (JSON-like data) a string or a key holds a lone surrogate."""
    return _walk(value, set())


def _walk(value: Any, seen: set[int]) -> Path | None:
    if isinstance(value, str):
        return () if _SURROGATE.search(value) else None
    if not isinstance(value, dict | list | tuple) or id(value) in seen:
        return None
    seen.add(id(value))
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _SURROGATE.search(key):
                return (key,)
            inner = _walk(item, seen)
            if inner is not None:
                return (key, *inner)
        return None
    for index, item in enumerate(value):
        inner = _walk(item, seen)
        if inner is not None:
            return (index, *inner)
    return None


def shown_path(path: Path, *, keep: int = 6) -> str:
    """A path short enough for a message: a deep one keeps its start and says how deep."""
    if len(path) <= keep:
        return format_path(path)
    return f"{format_path(path[:keep])}… ({len(path)} levels down)"
