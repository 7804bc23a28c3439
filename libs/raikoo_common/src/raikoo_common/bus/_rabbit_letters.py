"""How a dead letter travels on RabbitMQ: the headers that carry its reason, and reading
them back — ours, or the broker's own ``x-death`` when it dead-lettered the message."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from raikoo_common.bus._delivery import dead_letter
from raikoo_common.bus.port import DeadLetter

REASON = "x-raikoo-reason"
DELIVERIES = "x-raikoo-deliveries"
CHANNEL = "x-raikoo-channel"
DEAD_AT = "x-raikoo-dead-lettered-at"
PARKED = "x-raikoo-parked-reason"
MAX_REASON = 4096
"""Headers travel in one frame: keep a long exception text from making the letter unsendable."""


def read_dead_letter(
    channel: str, body: bytes, headers: Mapping[str, Any], delivery_limit: int
) -> DeadLetter:
    reason = _text(headers.get(REASON))
    if reason is not None:
        return dead_letter(
            _text(headers.get(CHANNEL)) or channel,
            body,
            reason,
            _count(headers.get(DELIVERIES)),
            at=_timestamp(headers.get(DEAD_AT)),
        )
    deaths = headers.get("x-death")
    death: Mapping[str, Any] = deaths[0] if isinstance(deaths, list) and deaths else {}
    cause = _text(death.get("reason")) or "unknown"
    if cause == "delivery_limit":
        deliveries = delivery_limit + 1
        reason = (
            f"broker: delivery limit reached after {deliveries} deliveries that were never "
            "settled (the consumer died or timed out while handling the message)"
        )
    else:
        deliveries = 0
        reason = f"broker: dead-lettered ({cause})"
    return dead_letter(channel, body, reason, deliveries, at=_timestamp(death.get("time")))


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value if isinstance(value, str) else None


def _count(value: object) -> int:
    return value if isinstance(value, int) else 0


def _timestamp(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(_text(value) or "")
    except ValueError:
        return None
