"""When outbound HTTP tries again: which failures, and how long it waits first (``http.request``,
the AI providers and tools)."""

from __future__ import annotations

import random
import ssl
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

# Methods a server must be able to receive twice (RFC 9110 §9.2.2): safe to resend after
# a failure in the middle of an exchange, when the request may already have been handled.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

FIRST_BACKOFF = 0.5


def may_retry_error(error: httpx.TransportError, method: str) -> bool:
    if isinstance(error, httpx.TimeoutException):
        return False  # the attempt already used its whole timeout
    if _caused_by_certificate(error):
        return False  # a certificate does not become valid in a few seconds
    if isinstance(error, httpx.ConnectError):
        return True  # nothing reached the server
    return method in IDEMPOTENT


def _caused_by_certificate(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks to wait (delay-seconds or HTTP-date), if valid."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff(attempt: int, max_wait: float) -> float:
    """Exponential from FIRST_BACKOFF with jitter, so retrying clients do not move in step."""
    ceiling = min(max_wait, FIRST_BACKOFF * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not a secret
