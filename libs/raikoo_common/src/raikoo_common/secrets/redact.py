"""Secret values out of what an operation returns and logs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from raikoo_common.secrets.refs import REFERENCE

MASK = "***"
_MIN_LENGTH = 4
"""Shorter values would mask ordinary text everywhere; they are too weak to be secrets."""

_active: ContextVar[Redactor | None] = ContextVar("secret_redactor", default=None)


class Redactor:
    def __init__(self, values: Iterable[str]) -> None:
        # Longest first, so a value that contains another is masked whole.
        self.values = sorted({v for v in values if len(v) >= _MIN_LENGTH}, key=len, reverse=True)

    def scrub(self, value: Any) -> Any:
        if not self.values:
            return value
        if isinstance(value, str):
            for secret in self.values:
                if secret in value:
                    value = value.replace(secret, MASK)
            return value
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub(item) for item in value]
        return value


@contextmanager
def redacting(redactor: Redactor) -> Iterator[None]:
    """While inside, log lines of this task have the secrets masked."""
    token = _active.set(redactor)
    try:
        yield
    finally:
        _active.reset(token)


def holds_secret(text: str) -> bool:
    """Whether ``text`` carries a secret of the operation running in this task: a reference
    not yet resolved, or the value of one that was (``redacting`` names the values)."""
    if REFERENCE.search(text):
        return True
    redactor = _active.get()
    return redactor is not None and any(secret in text for secret in redactor.values)


def redact_log_event(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A structlog processor: mask the secrets an operation of this task uses."""
    redactor = _active.get()
    if redactor is None:
        return event
    for key, item in list(event.items()):
        event[key] = redactor.scrub(item)
    return event
