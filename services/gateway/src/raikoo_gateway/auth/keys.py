"""API keys: ``rk_<prefix>_<secret>`` (embed tokens: ``rke_<prefix>_<secret>``). Shown once;
stored as the prefix (visible, to identify it) and a SHA-256 of the secret — 192 random bits
need no slow hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

PREFIX_ALPHABET = string.ascii_lowercase + string.digits
KEY_START = "rk_"
EMBED_START = "rke_"
"""Embed tokens (``auth.embed``): a distinct start, so no key is taken for one or back."""
_RANDOM_PREFIX = 10
PREFIX_LENGTH = len(KEY_START) + _RANDOM_PREFIX


@dataclass(frozen=True)
class NewKey:
    value: str
    """The whole key: given to its owner once, never stored."""
    prefix: str
    secret_hash: str


def new_key(start: str = KEY_START) -> NewKey:
    prefix = start + "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(_RANDOM_PREFIX))
    secret = secrets.token_urlsafe(24)
    return NewKey(f"{prefix}_{secret}", prefix, digest(secret))


def split(value: str, start: str = KEY_START) -> tuple[str, str] | None:
    """(prefix, secret) of a key in the right shape, else None (the secret may hold ``_``)."""
    length = len(start) + _RANDOM_PREFIX
    prefix, sep, secret = value[:length], value[length : length + 1], value[length + 1 :]
    if not prefix.startswith(start) or sep != "_" or not secret:
        return None
    return prefix, secret


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(digest(secret), secret_hash)
