"""When a request is sent again: exponential backoff with jitter, for requests that are
safe to repeat (reads, PUT and DELETE, and POSTs that carry an ``Idempotency-Key``), and
for any request that never reached the server."""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

RETRIED_STATUSES = frozenset({429, 502, 503, 504})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class Retry:
    attempts: int = 4
    """Tries in all, the first included (1: never retry)."""
    backoff: float = 0.25
    """The first wait, in seconds; doubled each time, with jitter."""
    max_backoff: float = 8.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff * 4)
        base = min(self.backoff * 2.0 ** (attempt - 1), self.max_backoff)
        return base / 2 + random.uniform(0, base / 2)  # noqa: S311 (jitter, not a secret)

    def after_error(self, attempt: int, error: Exception, *, repeatable: bool) -> float | None:
        """The wait before trying again after ``error``; None: raise it."""
        if attempt >= self.attempts or not isinstance(error, httpx.TransportError):
            return None
        if isinstance(error, _NOT_SENT) or repeatable:
            return self.delay(attempt)
        return None

    def after_response(
        self, attempt: int, response: httpx.Response, *, repeatable: bool
    ) -> float | None:
        """The wait before trying again after this answer; None: it is the answer."""
        if attempt >= self.attempts or response.status_code not in RETRIED_STATUSES:
            return None
        if not repeatable and response.status_code != 429:
            return None  # 429: refused before doing anything, so safe to repeat
        return self.delay(attempt, _retry_after(response))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: the backoff decides
