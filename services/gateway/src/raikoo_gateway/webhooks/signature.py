"""The Standard Webhooks signature scheme (https://www.standardwebhooks.com): an HMAC-SHA256
over ``<webhook-id>.<webhook-timestamp>.<body>``, sent as ``v1,<base64>`` in
``webhook-signature`` (several, space-separated, while a secret is rotated), with a secret
written ``whsec_<base64>``. Pure functions: the caller supplies the clock."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SECRET_PREFIX = "whsec_"  # noqa: S105 - the scheme's prefix, not a secret
SECRET_BYTES = 24
TOLERANCE_SECONDS = 300
"""How far a message's timestamp may be from now, either way (the scheme's five minutes)."""
MESSAGE_ID_MAX = 255
HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


class SignatureRefused(Exception):
    """Why a request's signature is not accepted (shown to the sender)."""


@dataclass(frozen=True)
class SignedMessage:
    message_id: str
    timestamp: int


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    to_sign = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), to_sign, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: Sequence[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: one signature per secret in force."""
    return " ".join(sign(secret, message_id, timestamp, body) for secret in secrets_)


def verify(
    headers: Mapping[str, str],
    body: bytes,
    secrets_: Sequence[str],
    now: float,
    tolerance: float = TOLERANCE_SECONDS,
) -> SignedMessage:
    """The message, if one of its signatures was made with one of ``secrets_`` and its
    timestamp is within ``tolerance`` of ``now``; else ``SignatureRefused``."""
    missing = [name for name in HEADERS if not headers.get(name)]
    if missing:
        raise SignatureRefused(f"missing header(s): {', '.join(missing)}")
    message_id = headers["webhook-id"]
    if len(message_id) > MESSAGE_ID_MAX:
        raise SignatureRefused(f"webhook-id is longer than {MESSAGE_ID_MAX} characters")
    raw_timestamp = headers["webhook-timestamp"]
    if not raw_timestamp.isdigit() or len(raw_timestamp) > 12:
        raise SignatureRefused("webhook-timestamp is not whole seconds since the Unix epoch")
    timestamp = int(raw_timestamp)
    if abs(now - timestamp) > tolerance:
        when = "in the past" if timestamp < now else "in the future"
        raise SignatureRefused(
            f"webhook-timestamp is {abs(now - timestamp):.0f} s {when} by this server's "
            f"clock; at most {tolerance:.0f} s either way is accepted"
        )
    offered = [part.strip() for part in headers["webhook-signature"].split(" ") if part.strip()]
    for secret in secrets_:
        try:
            expected = sign(secret, message_id, timestamp, body).encode()
        except (binascii.Error, ValueError):
            continue
        if any(hmac.compare_digest(expected, candidate.encode()) for candidate in offered):
            return SignedMessage(message_id, timestamp)
    raise SignatureRefused("no webhook-signature matches the body with this hook's secret")
