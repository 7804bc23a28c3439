"""How a dead letter travels on RabbitMQ: the headers that carry its reason, and reading
them back."""

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


def read_dead_letter(channel: str, body: bytes, headers: Mapping[str, Any]) -> DeadLetter:
    reason = _text(headers.get(REASON))
    if reason is None:
        # Only the bus dead-letters (work queues have no broker dead-lettering): this body
        # was put on the dead-letter queue by something else.
        return dead_letter(channel, body, "dead-lettered without a reason (not by Raikoo)", 0)
    return dead_letter(
        _text(headers.get(CHANNEL)) or channel,
        body,
        reason,
        _count(headers.get(DELIVERIES)),
        at=_timestamp(headers.get(DEAD_AT)),
    )


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
