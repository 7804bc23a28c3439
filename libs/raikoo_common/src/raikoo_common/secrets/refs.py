"""How a secret reference looks inside a rendered value, and how runners find it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

SECRET_NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]{0,127}"  # noqa: S105 (a name pattern)
_MARK = "\x00"
"""Delimits a reference: a character no configuration text carries, kept by JSON."""
REFERENCE = re.compile(f"{_MARK}secret:({SECRET_NAME_PATTERN}){_MARK}")
"""A secret reference in rendered text (its NUL marks are Raikoo's, not the user's)."""


def reference(name: str) -> str:
    return f"{_MARK}secret:{name}{_MARK}"


class SecretReferences:
    """``secrets`` in a template: ``secrets.API_KEY`` renders a reference to the secret.

    A reference can be placed in text (``"Bearer {{ secrets.TOKEN }}"``); transforming it
    (``| upper``) transforms the reference, not the value, so that is not supported.
    """

    def __getattr__(self, name: str) -> str:
        if not re.fullmatch(SECRET_NAME_PATTERN, name):
            raise LookupError(f"{name!r} is not a secret name (letters, digits and _)")
        return reference(name)

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)


def references_in(value: Any) -> set[str]:
    """The names of the secrets ``value`` refers to, anywhere inside it."""
    found: set[str] = set()

    def collect(text: str) -> str:
        found.update(REFERENCE.findall(text))
        return text

    _walk(value, collect)
    return found


def substitute(value: Any, values: Mapping[str, str]) -> Any:
    """``value`` with every reference replaced by its secret's value."""
    return _walk(value, lambda text: REFERENCE.sub(lambda m: values[m.group(1)], text))


def _walk(value: Any, on_text: Callable[[str], Any]) -> Any:
    if isinstance(value, str):
        return on_text(value) if _MARK in value else value
    if isinstance(value, dict):
        return {key: _walk(item, on_text) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, on_text) for item in value]
    return value
