"""The distributed bus over RabbitMQ (3.10+), built on FastStream's RabbitBroker.

Topology, every name under ``prefix``:

* one durable direct exchange ``<prefix>``; the routing key is the channel name;
* a work channel is the durable classic queue ``<prefix>.<channel>``, declared by
  publishers as well, so a message published before the first consumer is kept. Its
  delivery count travels in a header (see ``HeaderDeliveryCounts``): a failed message is
  given back as a copy with the count raised, and a copy whose consumer died holding it
  counts one more, so a message that kills its consumer is still dead-lettered;
* a broadcast subscription is an exclusive, auto-delete queue of its own process;
* dead letters go to the quorum queue ``<prefix>.<channel>.dead`` (routing key
  ``<channel>.dead``) with the reason in headers; letters no handler can use are parked
  on ``<prefix>.<channel>.parked``.

A publish is never cancelled half-way: aiormq closes an AMQP channel whose RPC (a queue
declaration, a publish awaiting its confirm) is cancelled, failing every other publish on
it. So a caller that is cancelled (a heartbeat whose operation ended) stops waiting, while
the publish itself runs to its end. Progress messages (heartbeats, log lines, token deltas)
go out on an AMQP channel of their own, so neither their volume nor their failures touch
the channel that carries results and dispatches.

Every process must use the same ``prefix``: it names the exchange and the queues.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Collection, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aio_pika
from faststream.middlewares import AckPolicy
from faststream.rabbit import (
    Channel,
    ExchangeType,
    QueueType,
    RabbitBroker,
    RabbitExchange,
    RabbitQueue,
)
from faststream.rabbit.message import RabbitMessage
from faststream.rabbit.subscriber import RabbitSubscriber

from raikoo_common.bus._delivery import (
    DEAD_LETTER_RETRY_DELAY,
    Settle,
    deliver,
    deliver_dead_letter,
)
from raikoo_common.bus._rabbit_letters import (
    CHANNEL,
    DEAD_AT,
    DELIVERIES,
    MAX_REASON,
    PARKED,
    REASON,
    read_dead_letter,
)
from raikoo_common.bus._rabbit_tracking import (
    DELIVERED,
    DeliveryCounts,
    HeaderDeliveryCounts,
    InFlight,
    LocalDeliveryCounts,
)
from raikoo_common.bus.port import DeadLetterSubscription, Subscription
from raikoo_common.logging import get_logger
from raikoo_common.messages.channels import (
    BROADCAST_CHANNELS,
    PROGRESS_CHANNELS,
    dead_letter_channel,
    parked_channel,
)
from raikoo_common.messages.envelope import Envelope

_log = get_logger("raikoo.bus")

_Consume = Callable[[RabbitMessage], Coroutine[Any, Any, None]]


class RabbitBus:
    def __init__(
        self,
        url: str,
        *,
        broadcast_channels: Collection[str] = BROADCAST_CHANNELS,
        progress_channels: Collection[str] = PROGRESS_CHANNELS,
        prefix: str = "raikoo",
        redelivery_backoff: float = 0.5,
        dead_letter_retry_delay: float = DEAD_LETTER_RETRY_DELAY,
    ) -> None:
        self._backoff = redelivery_backoff
        self._dead_letter_retry_delay = dead_letter_retry_delay
        self._broadcast_channels = frozenset(broadcast_channels)
        self._progress_channels = frozenset(progress_channels)
        self._prefix = prefix
        self._broker = RabbitBroker(
            url,
            logger=None,  # FastStream's default logs two lines per message
            graceful_timeout=None,  # stop() drains in-flight handlers itself
            apply_types=False,
            default_channel=Channel(publisher_confirms=True, on_return_raises=True),
            app_id=prefix,
        )
        self._exchange = RabbitExchange(prefix, type=ExchangeType.DIRECT, durable=True)
        self._progress = Channel(publisher_confirms=True, on_return_raises=True)
        self._progress_exchange: aio_pika.abc.AbstractExchange | None = None
        self._progress_lock = asyncio.Lock()
        self._pending: list[_Pending] = []
        self._subscribers: list[RabbitSubscriber] = []
        self._consumed: set[str] = set()
        self._dead_letters_consumed: set[str] = set()
        self._declared: set[str] = set()
        self._declare_lock = asyncio.Lock()
        self._consuming = asyncio.Event()
        self._in_flight = InFlight()
        self._started = False
        self._connected = False

    def subscribe(self, subscription: Subscription | DeadLetterSubscription) -> None:
        if self._started:
            raise RuntimeError("subscribe before start()")
        if subscription.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        channel = subscription.channel
        if isinstance(subscription, DeadLetterSubscription):
            self._dead_letters_consumed.add(channel)
            self._pending.append(
                _Pending(
                    self._dead_queue(channel),
                    subscription.concurrency,
                    self._dead_letter_consumer(subscription),
                    dead_letters=True,
                )
            )
            return
        if channel in self._broadcast_channels:
            queue = RabbitQueue(
                f"{self._prefix}.{channel}.{uuid.uuid4().hex[:12]}",
                durable=False,
                exclusive=True,
                auto_delete=True,
                routing_key=channel,
            )
            counts: DeliveryCounts = LocalDeliveryCounts()
        else:
            queue = self._work_queue(channel)
            counts = HeaderDeliveryCounts()
        self._consumed.add(channel)
        self._pending.append(
            _Pending(queue, subscription.concurrency, self._consumer(subscription, counts))
        )

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        try:
            await self._start()
        except BaseException:
            await self.stop(timeout=0)
            raise

    async def _start(self) -> None:
        # Dead-letter consumers start first: they declare the queues the others send to.
        for pending in sorted(self._pending, key=lambda p: not p.dead_letters):
            subscriber = self._broker.subscriber(
                pending.queue,
                self._exchange,
                channel=Channel(prefetch_count=pending.concurrency),
                ack_policy=AckPolicy.MANUAL,
                no_reply=True,
                decoder=_as_is,
            )
            subscriber(pending.consume)
            self._subscribers.append(subscriber)
        self._pending.clear()
        await self._broker.connect()
        self._connected = True
        await self._broker.declare_exchange(self._exchange)
        for channel in self._consumed - self._dead_letters_consumed:
            await self._declare_queue(self._dead_queue(channel))
        for channel in self._dead_letters_consumed:
            await self._declare_queue(self._parked_queue(channel))
        await self._broker.start()
        self._consuming.set()

    async def stop(self, timeout: float = 30.0) -> None:
        self._started = False
        if not self._connected:
            return
        # Cancel the consumers first: a message delivered after that would sit unacked
        # until the channel closes, and each such return counts as a delivery.
        await asyncio.gather(*(subscriber.stop() for subscriber in self._subscribers))
        await self._in_flight.drain(timeout)
        self._connected = False
        self._progress_exchange = None
        await self._broker.stop()
        self._consuming.clear()
        self._declared.clear()

    async def publish(self, channel: str, envelope: Envelope) -> None:
        await _uncancellable(self._publish(channel, envelope))

    async def publish_many(self, items: Sequence[tuple[str, Envelope]]) -> None:
        await _uncancellable(self._publish_many(items))

    async def _publish(self, channel: str, envelope: Envelope) -> None:
        await self._ready(channel)
        await self._send(channel, envelope)

    async def _publish_many(self, items: Sequence[tuple[str, Envelope]]) -> None:
        for channel in dict.fromkeys(channel for channel, _ in items):
            await self._ready(channel)
        # Sends start in order and queue on the channel's write lock in that order, so
        # order within a channel holds while the confirms are awaited together.
        results = await asyncio.gather(
            *(self._send(channel, envelope) for channel, envelope in items),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _ready(self, channel: str) -> None:
        if not self._connected:
            raise RuntimeError("start() the bus before publishing")
        if channel in self._declared:
            return
        async with self._declare_lock:
            await self._declare(channel)

    async def _send(self, channel: str, envelope: Envelope) -> None:
        if channel in self._progress_channels:
            await self._send_progress(channel, envelope)
            return
        await self._broker.publish(
            envelope.encode(),
            exchange=self._exchange,
            routing_key=channel,
            # A broadcast nobody listens to is simply dropped; a work message never is.
            mandatory=channel not in self._broadcast_channels,
            persist=True,
            message_id=str(envelope.id),
            correlation_id=str(envelope.correlation_id or envelope.id),
            message_type=envelope.type,
            content_type="application/json",
        )

    async def _send_progress(self, channel: str, envelope: Envelope) -> None:
        exchange = self._progress_exchange or await self._open_progress_channel()
        await exchange.publish(
            aio_pika.Message(
                envelope.encode(),
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=str(envelope.id),
                correlation_id=str(envelope.correlation_id or envelope.id),
                type=envelope.type,
                content_type="application/json",
                app_id=self._prefix,
            ),
            routing_key=channel,
            mandatory=True,
        )

    async def _open_progress_channel(self) -> aio_pika.abc.AbstractExchange:
        async with self._progress_lock:
            if self._progress_exchange is None:
                amqp = await self._broker.config.channel_manager.get_channel(self._progress)
                # Declared passively: _ready() declared the exchange on the main channel.
                self._progress_exchange = await amqp.get_exchange(self._prefix, ensure=True)
            return self._progress_exchange

    async def _declare(self, channel: str) -> None:
        if channel in self._declared:
            return
        if channel in self._consumed or channel in self._dead_letters_consumed:
            # FastStream's declarer caches a queue with the channel it was first declared
            # on; declared here first, a consumer would lose its own channel and prefetch.
            await self._consuming.wait()
        await self._declare_queue(self._dead_queue(channel))
        await self._declare_queue(self._parked_queue(channel))
        if channel not in self._broadcast_channels:
            await self._declare_queue(self._work_queue(channel))
        self._declared.add(channel)

    async def _declare_queue(self, queue: RabbitQueue) -> None:
        exchange = await self._broker.declare_exchange(self._exchange)
        declared = await self._broker.declare_queue(queue)
        await declared.bind(exchange, routing_key=queue.routing())

    def _work_queue(self, channel: str) -> RabbitQueue:
        return RabbitQueue(
            f"{self._prefix}.{channel}",
            queue_type=QueueType.CLASSIC,
            durable=True,
            routing_key=channel,
        )

    def _dead_queue(self, channel: str) -> RabbitQueue:
        return RabbitQueue(
            f"{self._prefix}.{dead_letter_channel(channel)}",
            queue_type=QueueType.QUORUM,
            routing_key=dead_letter_channel(channel),
        )

    def _parked_queue(self, channel: str) -> RabbitQueue:
        return RabbitQueue(
            f"{self._prefix}.{parked_channel(channel)}",
            queue_type=QueueType.QUORUM,
            routing_key=parked_channel(channel),
        )

    def _consumer(self, subscription: Subscription, counts: DeliveryCounts) -> _Consume:
        channel = subscription.channel
        broadcast = channel in self._broadcast_channels

        async def consume(message: RabbitMessage) -> None:
            with self._in_flight.track():
                deliveries = counts.delivered(message)
                if not broadcast and deliveries > subscription.max_deliveries:
                    await self._then_ack(
                        channel, message, self._give_up_on(channel, message, deliveries - 1)
                    )
                    return
                if not broadcast and message.raw_message.redelivered:
                    # A consumer died holding this copy; the flag alone cannot add up over
                    # several deaths, so record the count in a fresh copy first.
                    await self._then_ack(
                        channel, message, self._give_back(channel, message, deliveries - 1)
                    )
                    return
                verdict = await deliver(
                    subscription.handler,
                    message.body,
                    channel=channel,
                    deliveries=deliveries,
                    max_deliveries=subscription.max_deliveries,
                    backoff=self._backoff,
                )
                try:
                    if verdict.settle is Settle.RETRY:
                        if broadcast:
                            await message.nack(requeue=True)
                            return
                        await self._give_back(channel, message, deliveries)
                    if verdict.settle is Settle.DEAD:
                        await self._send_dead_letter(channel, message, verdict.reason, deliveries)
                    counts.settled(message)
                    await message.ack()
                except Exception as exc:
                    # Unsettled, the message returns when the channel does: nothing is lost.
                    _log.error("bus.settle_failed", channel=channel, exc_info=exc)
                    await _requeue_quietly(message)

        return consume

    async def _give_back(self, channel: str, message: RabbitMessage, deliveries: int) -> None:
        """Requeue a failed work message as a copy that carries its delivery count (the caller
        acks the original after this returns: a crash in between means one extra delivery)."""
        await self._broker.publish(
            message.body,
            exchange=self._exchange,
            routing_key=channel,
            persist=True,
            message_id=message.raw_message.message_id,
            correlation_id=message.correlation_id,
            message_type=message.raw_message.type,
            content_type=message.content_type,
            headers={**message.headers, DELIVERED: deliveries},
        )

    async def _then_ack(
        self, channel: str, message: RabbitMessage, step: Coroutine[Any, Any, None]
    ) -> None:
        """Publish (a copy, a dead letter), then ack; if either fails, the message stays
        unsettled and comes back when the channel does: nothing is lost."""
        try:
            await step
            await message.ack()
        except Exception as exc:
            _log.error("bus.settle_failed", channel=channel, exc_info=exc)
            await _requeue_quietly(message)

    def _give_up_on(
        self, channel: str, message: RabbitMessage, handled: int
    ) -> Coroutine[Any, Any, None]:
        """The copies of this message kept coming back unsettled: its consumers died (or
        timed out) while handling it. Dead-letter it without handling it once more."""
        _log.error("bus.consumer_died_on_message", channel=channel, deliveries=handled)
        reason = (
            f"its consumer died or timed out while handling it, {handled} times: the message "
            "may crash the process"
        )
        return self._send_dead_letter(channel, message, reason, handled)

    async def _send_dead_letter(
        self, channel: str, message: RabbitMessage, reason: str, deliveries: int
    ) -> None:
        await self._broker.publish(
            message.body,
            exchange=self._exchange,
            routing_key=dead_letter_channel(channel),
            persist=True,
            message_id=message.raw_message.message_id,
            content_type=message.content_type,
            headers={
                REASON: reason[:MAX_REASON],
                DELIVERIES: deliveries,
                CHANNEL: channel,
                DEAD_AT: datetime.now(UTC).isoformat(),
            },
        )

    async def _park(self, channel: str, message: RabbitMessage, reason: str) -> None:
        _log.error("bus.dead_letter_parked", channel=channel, parked_because=reason)
        headers = {k: v for k, v in message.headers.items() if not k.startswith("x-delivery")}
        await self._broker.publish(
            message.body,
            exchange=self._exchange,
            routing_key=parked_channel(channel),
            persist=True,
            message_id=message.raw_message.message_id,
            content_type=message.content_type,
            headers={**headers, PARKED: reason[:MAX_REASON]},
        )

    def _dead_letter_consumer(self, subscription: DeadLetterSubscription) -> _Consume:
        async def consume(message: RabbitMessage) -> None:
            with self._in_flight.track():
                letter = read_dead_letter(subscription.channel, message.body, message.headers)
                attempts = int(message.headers.get("x-delivery-count") or 0) + 1
                verdict = await deliver_dead_letter(
                    subscription.handler, letter, attempts, self._dead_letter_retry_delay
                )
                try:
                    if verdict.settle is Settle.RETRY:
                        await message.nack(requeue=True)
                        return
                    if verdict.settle is Settle.DEAD:
                        await self._park(subscription.channel, message, verdict.reason)
                    await message.ack()
                except Exception as exc:
                    _log.error("bus.settle_failed", channel=letter.channel, exc_info=exc)
                    await _requeue_quietly(message)

        return consume


async def _uncancellable(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` to its end even if the caller is cancelled (see the module docstring);
    the caller still stops waiting at once. Its outcome then goes to nobody: a lost
    heartbeat or a result whose sender is gone (its input is redelivered) is harmless."""
    task = asyncio.ensure_future(work)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        task.add_done_callback(_consume_outcome)
        raise


def _consume_outcome(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _log.debug("bus.abandoned_publish_failed", exc_info=task.exception())


async def _requeue_quietly(message: RabbitMessage) -> None:
    try:
        await message.nack(requeue=True)
    except Exception as exc:
        _log.warning("bus.requeue_failed", exc_info=exc)


async def _as_is(message: RabbitMessage) -> RabbitMessage:
    """FastStream decoder that hands the handler the message itself, body undecoded."""
    return message


@dataclass(frozen=True)
class _Pending:
    """A subscription waiting for start() to become a FastStream subscriber."""

    queue: RabbitQueue
    concurrency: int
    consume: _Consume
    dead_letters: bool = False
