"""API keys: ``rk_<prefix>_<secret>``. Shown once; stored as the prefix (visible, to
identify it) and a SHA-256 of the secret — 192 random bits need no slow hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

PREFIX_ALPHABET = string.ascii_lowercase + string.digits
KEY_START = "rk_"
PREFIX_LENGTH = len(KEY_START) + 10


@dataclass(frozen=True)
class NewKey:
    value: str
    """The whole key: given to its owner once, never stored."""
    prefix: str
    secret_hash: str


def new_key() -> NewKey:
    prefix = KEY_START + "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH - 3))
    secret = secrets.token_urlsafe(24)
    return NewKey(f"{prefix}_{secret}", prefix, digest(secret))


def split(value: str) -> tuple[str, str] | None:
    """(prefix, secret) of a key in the right shape, else None (the secret may hold ``_``)."""
    prefix, sep, secret = (
        value[:PREFIX_LENGTH],
        value[PREFIX_LENGTH : PREFIX_LENGTH + 1],
        value[PREFIX_LENGTH + 1 :],
    )
    if not prefix.startswith(KEY_START) or sep != "_" or not secret:
        return None
    return prefix, secret


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(digest(secret), secret_hash)
