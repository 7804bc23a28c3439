"""Reading, replaying and purging what the RabbitMQ bus set aside, for people.

Every work channel's dead letters are consumed by a service (the scheduler turns a dead
dispatch into a failed operation and retries its own dead input; progress, events and
control messages are logged and dropped). What no handler could act on is *parked* on
``<prefix>.<channel>.parked`` and kept: this module (``raikoo dead-letters``) lists those
letters with their reasons, sends them back to the channel they came from once the cause
is fixed, or deletes them. It also reads the ``.dead`` queues, which drain by themselves
while their consumers run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import aio_pika

from raikoo_common.bus._rabbit_letters import CHANNEL, DEAD_AT, DELIVERIES, PARKED, REASON
from raikoo_common.bus._rabbit_tracking import DELIVERED
from raikoo_common.messages.channels import Channel, dead_letter_channel, parked_channel

Shelf = Literal["parked", "dead"]


@dataclass(frozen=True)
class StoredLetter:
    channel: str
    """The channel it was first published on (and replay sends it back to)."""
    message_id: str | None
    type: str | None
    reason: str
    parked_because: str | None
    deliveries: int
    dead_lettered_at: str | None
    size: int


def queue_name(prefix: str, channel: str, shelf: Shelf) -> str:
    shelved = parked_channel(channel) if shelf == "parked" else dead_letter_channel(channel)
    return f"{prefix}.{shelved}"


async def count(url: str, prefix: str, shelf: Shelf) -> dict[str, int]:
    """How many letters wait on each channel's shelf (channels with none left out)."""
    found: dict[str, int] = {}
    connection = await aio_pika.connect(url)
    async with connection:
        for channel in Channel:
            amqp = await connection.channel()
            try:
                queue = await amqp.declare_queue(queue_name(prefix, channel, shelf), passive=True)
            except aio_pika.exceptions.ChannelClosed:
                continue  # never declared: nothing was ever set aside there
            if queue.declaration_result.message_count:
                found[channel] = queue.declaration_result.message_count
    return found


async def peek(
    url: str, prefix: str, channel: str, shelf: Shelf, *, limit: int = 100
) -> list[StoredLetter]:
    """Up to ``limit`` letters, oldest first; they stay where they are."""
    letters: list[StoredLetter] = []
    connection = await aio_pika.connect(url)
    async with connection:
        amqp = await connection.channel()
        queue = await amqp.get_queue(queue_name(prefix, channel, shelf))
        held: list[aio_pika.abc.AbstractIncomingMessage] = []
        while len(held) < limit and (message := await queue.get(fail=False)) is not None:
            held.append(message)
            letters.append(_described(channel, message))
        for message in held:  # given back only now, so none is read twice
            await message.nack(requeue=True)
    return letters


async def replay(url: str, prefix: str, channel: str, shelf: Shelf, *, limit: int) -> int:
    """Send up to ``limit`` letters back to the channel they came from, as new deliveries
    (their delivery count starts again); returns how many."""
    sent = 0
    connection = await aio_pika.connect(url)
    async with connection:
        amqp = await connection.channel(publisher_confirms=True)
        queue = await amqp.get_queue(queue_name(prefix, channel, shelf))
        exchange = await amqp.get_exchange(prefix)
        while sent < limit and (message := await queue.get(fail=False)) is not None:
            headers = {k: v for k, v in message.headers.items() if k not in _SHELF_HEADERS}
            original = _text(message.headers.get(CHANNEL)) or channel
            await exchange.publish(
                aio_pika.Message(
                    message.body,
                    headers=headers,
                    message_id=message.message_id,
                    correlation_id=message.correlation_id,
                    type=message.type,
                    content_type=message.content_type,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=original,
                mandatory=True,
            )
            await message.ack()
            sent += 1
    return sent


async def purge(url: str, prefix: str, channel: str, shelf: Shelf) -> int:
    connection = await aio_pika.connect(url)
    async with connection:
        amqp = await connection.channel()
        queue = await amqp.get_queue(queue_name(prefix, channel, shelf))
        result = await queue.purge()
    return int(result.message_count or 0)


_SHELF_HEADERS = frozenset({REASON, DELIVERIES, CHANNEL, DEAD_AT, PARKED, DELIVERED})


def _described(channel: str, message: Any) -> StoredLetter:
    headers = message.headers
    deliveries = headers.get(DELIVERIES)
    return StoredLetter(
        channel=_text(headers.get(CHANNEL)) or channel,
        message_id=message.message_id,
        type=message.type,
        reason=_text(headers.get(REASON)) or "(no reason recorded)",
        parked_because=_text(headers.get(PARKED)),
        deliveries=deliveries if isinstance(deliveries, int) else 0,
        dead_lettered_at=_text(headers.get(DEAD_AT)),
        size=len(message.body),
    )


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return str(value) if value is not None else None
