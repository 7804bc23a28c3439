"""The bus port: what every transport (in-memory, RabbitMQ, later Azure Service Bus) offers.

Semantics every implementation must show (tests/contract/test_bus_contract.py):

* at-least-once: a message is removed only after its handler returned;
* a handler that raises is redelivered, after a pause that doubles each time (an outage
  should not use up every delivery in milliseconds), until ``max_deliveries`` deliveries
  were made; then the message goes to the dead-letter channel with the reason kept;
* a dead-letter handler that raises ``MalformedMessage`` (it can never act on the letter),
  or fails again and again, parks the letter on ``<channel>.parked``, which nothing
  consumes: it is kept for people, never silently dropped;
* a body that is not a valid envelope, or a handler raising ``MalformedMessage``, is
  dead-lettered at once: no retry can fix it, and the consumer keeps running;
* at most ``concurrency`` handlers of one subscription run at once;
* ``stop()`` stops taking messages, lets in-flight handlers finish (and acks them),
  and returns what was not started to the broker: nothing in flight is lost.

Work channels are competing-consumer queues that keep messages published before
anyone subscribed. Broadcast channels (``runs.events``, ``ops.control``) give every
subscribing process its own copy of messages published while it is subscribed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from raikoo_common.messages.envelope import Envelope

Handler = Callable[[Envelope], Awaitable[None]]


@dataclass(frozen=True)
class DeadLetter:
    channel: str
    """The channel the message was first published on."""
    body: bytes
    reason: str
    deliveries: int
    dead_lettered_at: datetime
    envelope: Envelope | None
    """The decoded envelope, or None when the body was not a valid one."""


DeadLetterHandler = Callable[[DeadLetter], Awaitable[None]]


async def log_and_drop(letter: DeadLetter) -> None:
    """For dead letters of notifications (heartbeats, run events, control broadcasts): they
    mean nothing later, so they are logged with their reason and not kept."""
    from raikoo_common.logging import get_logger

    get_logger("raikoo.bus").warning(
        "bus.dead_letter_dropped",
        channel=letter.channel,
        reason=letter.reason,
        deliveries=letter.deliveries,
        type=letter.envelope.type if letter.envelope else None,
    )


@dataclass(frozen=True)
class Subscription:
    channel: str
    handler: Handler
    concurrency: int = 16
    max_deliveries: int = 5


@dataclass(frozen=True)
class DeadLetterSubscription:
    channel: str
    """The original channel whose dead letters this receives."""
    handler: DeadLetterHandler
    concurrency: int = 4


class Bus(Protocol):
    def subscribe(self, subscription: Subscription | DeadLetterSubscription) -> None:
        """Register before ``start()``."""

    async def start(self) -> None: ...

    async def stop(self, timeout: float = 30.0) -> None: ...

    async def publish(self, channel: str, envelope: Envelope) -> None:
        """Returns once the transport has the message durably (publisher confirm)."""

    async def publish_many(self, items: Sequence[tuple[str, Envelope]]) -> None:
        """Publish several messages, confirmed together; order within a channel is kept."""
