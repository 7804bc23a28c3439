"""Text Raikoo stores cannot contain NUL (U+0000): PostgreSQL refuses it in ``text`` and
``jsonb`` alike. Values are checked where they enter (API bodies, rendered templates,
operation outputs) so that every mode refuses the same values with a clear error, instead of
a database error deep inside a unit of work that no retry can fix.
"""

from __future__ import annotations

import re
from typing import Any

NUL_REFUSED = "contains a NUL character (U+0000), which Raikoo cannot store"
_ESCAPED = b"\\u0000"
Path = tuple[str | int, ...]


def find_nul(value: Any, *, allowed: re.Pattern[str] | None = None) -> Path | None:
    """Where in ``value`` (JSON-like data) a string or a key holds NUL: the path to it, ``()``
    for ``value`` itself; None when none does. NULs inside matches of ``allowed`` (markers
    Raikoo itself uses) do not count. Shared parts (YAML aliases) are looked at once."""
    return _walk(value, allowed, set())


def escaped_nul_in(body: bytes) -> bool:
    """Whether a JSON (or other) document holds NUL, raw or as a ``\\u0000`` escape."""
    if b"\x00" in body:
        return True
    at = body.find(_ESCAPED)
    while at != -1:
        backslashes = 0
        while at - backslashes - 1 >= 0 and body[at - backslashes - 1] == ord("\\"):
            backslashes += 1
        if backslashes % 2 == 0:  # not itself an escaped backslash followed by "u0000"
            return True
        at = body.find(_ESCAPED, at + 1)
    return False


def _holds_nul(text: str, allowed: re.Pattern[str] | None) -> bool:
    if "\x00" not in text:
        return False
    return allowed is None or "\x00" in allowed.sub("", text)


def _walk(value: Any, allowed: re.Pattern[str] | None, seen: set[int]) -> Path | None:
    if isinstance(value, str):
        return () if _holds_nul(value, allowed) else None
    if not isinstance(value, dict | list | tuple) or id(value) in seen:
        return None
    seen.add(id(value))
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and _holds_nul(key, allowed):
                return (key,)
            inner = _walk(item, allowed, seen)
            if inner is not None:
                return (key, *inner)
        return None
    for index, item in enumerate(value):
        inner = _walk(item, allowed, seen)
        if inner is not None:
            return (index, *inner)
    return None
