"""What every transport does with one delivery: decode, run the handler, decide how to settle.

Transports differ only in how they carry out the verdict (requeue, nack, publish to a
dead-letter queue), so the decision and the wording of dead-letter reasons live here once.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from raikoo_common.bus.port import DeadLetter, DeadLetterHandler, Handler
from raikoo_common.logging import get_logger
from raikoo_common.messages.envelope import Envelope, MalformedMessage

DEAD_LETTER_RETRY_DELAY = 1.0
"""Pause before a failed dead-letter handler gets the letter again: its failure is
usually an outage (database down), and an instant redelivery would only spin."""
DEAD_LETTER_MAX_ATTEMPTS = 30
"""A dead letter whose handler failed this often is parked rather than retried forever."""
MAX_REDELIVERY_DELAY = 30.0


def redelivery_delay(backoff: float, deliveries: int) -> float:
    """Pause before giving a failed message back: a handler failing on an outage (database
    restarting) should not use up all its deliveries in a few milliseconds."""
    return min(backoff * 2.0 ** (deliveries - 1), MAX_REDELIVERY_DELAY)


_log = get_logger("raikoo.bus")


class Settle(enum.Enum):
    ACK = "ack"
    RETRY = "retry"
    DEAD = "dead"


@dataclass(frozen=True, slots=True)
class Verdict:
    settle: Settle
    reason: str = ""
    envelope: Envelope | None = None


ACK = Verdict(Settle.ACK)
RETRY = Verdict(Settle.RETRY)


def describe(exc: BaseException) -> str:
    """A dead-letter reason: the exception type and its message."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def deliver(
    handler: Handler,
    body: bytes | Envelope,
    *,
    channel: str,
    deliveries: int,
    max_deliveries: int,
    backoff: float = 0.0,
) -> Verdict:
    """Run ``handler`` on ``body`` (its ``deliveries``-th delivery) and say how to settle it."""
    if isinstance(body, Envelope):
        envelope = body
    else:
        try:
            envelope = Envelope.decode(body)
        except MalformedMessage as exc:
            _log.error("bus.malformed_body", channel=channel, reason=str(exc))
            return Verdict(Settle.DEAD, describe(exc))
    try:
        await handler(envelope)
    except MalformedMessage as exc:
        _log.error("bus.malformed_message", channel=channel, id=str(envelope.id), reason=str(exc))
        return Verdict(Settle.DEAD, describe(exc), envelope)
    except Exception as exc:
        if deliveries >= max_deliveries:
            _log.error(
                "bus.handler_failed_finally",
                channel=channel,
                id=str(envelope.id),
                deliveries=deliveries,
                exc_info=exc,
            )
            return Verdict(Settle.DEAD, describe(exc), envelope)
        _log.warning(
            "bus.handler_failed",
            channel=channel,
            id=str(envelope.id),
            deliveries=deliveries,
            max_deliveries=max_deliveries,
            error=describe(exc),
        )
        if backoff > 0:
            await asyncio.sleep(redelivery_delay(backoff, deliveries))
        return RETRY
    return ACK


def dead_letter(
    channel: str,
    body: bytes,
    reason: str,
    deliveries: int,
    *,
    envelope: Envelope | None = None,
    at: datetime | None = None,
) -> DeadLetter:
    if envelope is None:
        try:
            envelope = Envelope.decode(body)
        except MalformedMessage:
            envelope = None
    return DeadLetter(
        channel=channel,
        body=body,
        reason=reason,
        deliveries=deliveries,
        dead_lettered_at=at or datetime.now(UTC),
        envelope=envelope,
    )


async def deliver_dead_letter(
    handler: DeadLetterHandler, letter: DeadLetter, attempts: int, retry_delay: float
) -> Verdict:
    """ACK when the handler took the letter; RETRY (after a pause) when it failed and may
    succeed later; DEAD when it can never act on it: then the transport parks the letter."""
    try:
        await handler(letter)
    except MalformedMessage as exc:
        _log.error("bus.dead_letter_unusable", channel=letter.channel, reason=str(exc),
                   body=letter.body[:200].decode("utf-8", "replace"))  # fmt: skip
        return Verdict(Settle.DEAD, describe(exc), letter.envelope)
    except Exception as exc:
        if attempts >= DEAD_LETTER_MAX_ATTEMPTS:
            _log.error("bus.dead_letter_handler_gave_up", channel=letter.channel, exc_info=exc)
            return Verdict(Settle.DEAD, describe(exc), letter.envelope)
        _log.error("bus.dead_letter_handler_failed", channel=letter.channel, exc_info=exc)
        await asyncio.sleep(retry_delay)
        return RETRY
    return ACK
