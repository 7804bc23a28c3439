"""When to try again: exponential backoff with jitter, and which errors retry at all."""

from __future__ import annotations

import random

from raikoo_common.workflow.schema import RetryPolicy


def should_retry(policy: RetryPolicy, attempt: int, error_kind: str, retryable: bool) -> bool:
    if not retryable or attempt >= policy.max_attempts:
        return False
    return "any" in policy.on or error_kind in policy.on


def backoff_delay(policy: RetryPolicy, attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed ``attempt`` (1-based) before the next one."""
    base = min(policy.backoff * 2.0 ** (attempt - 1), policy.max_backoff)
    spread = base * policy.jitter
    draw: float = (rng or random).random()
    return max(0.0, base - spread + 2 * spread * draw)
