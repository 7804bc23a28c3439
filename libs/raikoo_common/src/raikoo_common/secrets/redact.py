"""Secret values out of what an operation returns and logs.

Defence in depth: a secret reaches a kind only in a credential field, where it is sent, not
transformed (``docs/security.md``). Should a server echo it back anyway, it is masked in
every form it commonly travels in — as is, base64 and base64url, URL and form encoding,
JSON and shell escaping, hexadecimal — wherever the operation's output, error, log lines
or text artifacts would hold it.
"""

from __future__ import annotations

import base64
import json
import shlex
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote, quote_plus

from raikoo_common.secrets.refs import REFERENCE

MASK = "***"
MIN_SECRET_LENGTH = 8
"""Shorter values are refused when a secret is written: too weak to be secrets, and masking
them would mask ordinary text everywhere."""
_MIN_FORM = 4
"""An encoded form shorter than this is not masked (it would match ordinary text)."""

_active: ContextVar[Redactor | None] = ContextVar("secret_redactor", default=None)


class Redactor:
    def __init__(self, values: Iterable[str]) -> None:
        # Longest first, so a value that contains another is masked whole.
        secrets = {v for v in values if v}
        forms = {form for v in secrets for form in encodings(v) if len(form) >= _MIN_FORM}
        self.values = sorted(forms, key=len, reverse=True)

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


def encodings(secret: str) -> set[str]:
    """``secret`` as it commonly travels: itself and its encoded forms."""
    raw = secret.encode()
    b64 = base64.b64encode(raw).decode()
    b64url = base64.urlsafe_b64encode(raw).decode()
    forms = {
        secret,
        b64,
        b64.rstrip("="),
        b64url,
        b64url.rstrip("="),
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        shlex.quote(secret),
        raw.hex(),
        raw.hex().upper(),
    }
    # Inside a longer base64 text the secret's encoding depends on where it starts and on
    # what follows: mask, for each of the three alignments, the part of its encoding that
    # only the secret decides (as scanners of leaked keys do).
    for shift in (0, 1, 2):
        encoded = base64.b64encode(b"\0" * shift + raw).decode()
        middle = encoded[4 if shift else 0 : -4]
        forms.update((middle, middle.replace("+", "-").replace("/", "_")))
    return {form for form in forms if form}


@contextmanager
def redacting(redactor: Redactor) -> Iterator[None]:
    """While inside, log lines of this task have the secrets masked."""
    token = _active.set(redactor)
    try:
        yield
    finally:
        _active.reset(token)


def scrub_bytes(content: bytes) -> bytes:
    """``content`` with the secrets of the operation running in this task masked, when it is
    UTF-8 text (a file an operation stores: an echoed ``Bearer …``); other bytes as they
    are."""
    redactor = _active.get()
    if redactor is None or not redactor.values:
        return content
    try:
        text = content.decode()
    except UnicodeDecodeError:
        return content
    return str(redactor.scrub(text)).encode()


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
