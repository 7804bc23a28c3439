"""The bus contract (raikoo_common/bus/port.py), run against every transport.

In-memory always; RabbitMQ as an integration test. Each RabbitMQ test works under its
own prefix, so it sees no other test's queues, and deletes what it created.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

import aio_pika
import pytest

from raikoo_common.bus import (
    Bus,
    DeadLetter,
    DeadLetterSubscription,
    InMemoryBus,
    RabbitBus,
    Subscription,
    create_bus,
)
from raikoo_common.messages.envelope import Envelope, MalformedMessage
from tests._budget import WAIT_SECONDS

WAIT = WAIT_SECONDS
WORK = "jobs"
EVENTS = "news"
SIDE = "beats"
BROADCAST = frozenset({EVENTS})
ORG = uuid.uuid4()

_T = TypeVar("_T")


def envelope(n: int, **payload: Any) -> Envelope:
    return Envelope(type="test.ping", org_id=ORG, payload={"n": n, **payload})


class Inbox(Generic[_T]):
    """What handlers received, with a way to wait for it that never polls."""

    def __init__(self) -> None:
        self.items: list[_T] = []
        self._changed = asyncio.Event()

    async def handler(self, item: _T) -> None:
        self.add(item)

    def add(self, item: _T) -> None:
        self.items.append(item)
        self._changed.set()

    async def wait_for(self, count: int) -> None:
        try:
            async with asyncio.timeout(WAIT):
                while len(self.items) < count:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(f"got {len(self.items)} of {count} within {WAIT}s") from None


async def within(event: asyncio.Event) -> None:
    async with asyncio.timeout(WAIT):
        await event.wait()


async def first_of(*events: asyncio.Event) -> None:
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        done, _ = await asyncio.wait(waiters, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED)
        assert done, f"nothing happened within {WAIT}s"
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)


def ids(envelopes: list[Envelope]) -> Counter[uuid.UUID]:
    return Counter(e.id for e in envelopes)


class Harness(Protocol):
    durable: bool
    """Whether messages outlive the bus instance (a broker keeps them; memory does not)."""

    def make_bus(self) -> Bus: ...

    async def with_backlog(self, channel: str, envelopes: list[Envelope]) -> Bus:
        """A bus, not started, whose work channel got ``envelopes`` before anyone subscribed."""

    async def publish_raw(self, bus: Bus, channel: str, body: bytes) -> None: ...

    async def parked(self, bus: Bus, channel: str) -> list[tuple[bytes, str]]: ...

    async def close(self) -> None: ...


BACKOFF = 0.02
"""Redelivery pause used by the suite: short, but long enough to see it doubling."""


class MemoryHarness:
    durable = False

    def __init__(self) -> None:
        self._buses: list[InMemoryBus] = []

    def make_bus(self) -> InMemoryBus:
        bus = InMemoryBus(
            broadcast_channels=BROADCAST,
            redelivery_backoff=BACKOFF,
            dead_letter_retry_delay=BACKOFF,
        )
        self._buses.append(bus)
        return bus

    async def with_backlog(self, channel: str, envelopes: list[Envelope]) -> Bus:
        bus = self.make_bus()
        await bus.publish_many([(channel, e) for e in envelopes])
        return bus

    async def publish_raw(self, bus: Bus, channel: str, body: bytes) -> None:
        assert isinstance(bus, InMemoryBus)
        bus.publish_raw(channel, body)

    async def parked(self, bus: Bus, channel: str) -> list[tuple[bytes, str]]:
        assert isinstance(bus, InMemoryBus)
        return [(letter.body, reason) for letter, reason in bus.parked]

    async def close(self) -> None:
        for bus in self._buses:
            await bus.stop(timeout=5)


class RabbitHarness:
    durable = True

    def __init__(self, url: str) -> None:
        self._url = url
        self._prefix = f"test-{uuid.uuid4().hex[:12]}"
        self._buses: list[RabbitBus] = []

    def make_bus(self) -> RabbitBus:
        bus = RabbitBus(
            self._url,
            broadcast_channels=BROADCAST,
            progress_channels=frozenset({SIDE}),
            prefix=self._prefix,
            redelivery_backoff=BACKOFF,
            dead_letter_retry_delay=BACKOFF,
        )
        self._buses.append(bus)
        return bus

    async def with_backlog(self, channel: str, envelopes: list[Envelope]) -> Bus:
        publisher = self.make_bus()
        await publisher.start()
        await publisher.publish_many([(channel, e) for e in envelopes])
        await publisher.stop()
        return self.make_bus()

    async def publish_raw(self, bus: Bus, channel: str, body: bytes) -> None:
        connection = await aio_pika.connect(self._url)
        async with connection:
            amqp = await connection.channel()
            await amqp.default_exchange.publish(
                aio_pika.Message(body), routing_key=f"{self._prefix}.{channel}"
            )

    async def parked(self, bus: Bus, channel: str) -> list[tuple[bytes, str]]:
        found: list[tuple[bytes, str]] = []
        connection = await aio_pika.connect(self._url)
        async with connection:
            amqp = await connection.channel()
            queue = await amqp.get_queue(f"{self._prefix}.{channel}.parked")
            while (message := await queue.get(fail=False)) is not None:
                found.append((message.body, str(message.headers["x-raikoo-parked-reason"])))
                await message.ack()
        return found

    async def close(self) -> None:
        for bus in self._buses:
            await bus.stop(timeout=5)
        connection = await aio_pika.connect(self._url)
        async with connection:
            amqp = await connection.channel()
            for channel in (WORK, EVENTS, SIDE):
                await amqp.queue_delete(f"{self._prefix}.{channel}")
                await amqp.queue_delete(f"{self._prefix}.{channel}.dead")
                await amqp.queue_delete(f"{self._prefix}.{channel}.parked")
            await amqp.exchange_delete(self._prefix)


@pytest.fixture(params=["memory", pytest.param("rabbit", marks=pytest.mark.integration)])
def make_harness(request: pytest.FixtureRequest) -> Callable[[], Harness]:
    if request.param == "rabbit":
        url: str = request.getfixturevalue("amqp_url")
        return lambda: RabbitHarness(url)
    return MemoryHarness


@pytest.fixture
async def harness(make_harness: Callable[[], Harness]) -> AsyncIterator[Harness]:
    made = make_harness()
    try:
        yield made
    finally:
        await made.close()


async def test_round_trip_keeps_the_envelope(harness: Harness) -> None:
    inbox: Inbox[Envelope] = Inbox()
    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, inbox.handler))
    await bus.start()
    sent = Envelope(
        type="test.ping",
        org_id=ORG,
        run_id=uuid.uuid4(),
        correlation_id=uuid.uuid4(),
        traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        payload={"text": "héllo", "nested": {"items": [1, 2.5, None, True]}},
    )

    await bus.publish(WORK, sent)

    await inbox.wait_for(1)
    assert inbox.items == [sent]


async def test_work_channel_keeps_messages_published_before_anyone_subscribed(
    harness: Harness,
) -> None:
    backlog = [envelope(n) for n in range(3)]
    bus = await harness.with_backlog(WORK, backlog)
    inbox: Inbox[Envelope] = Inbox()
    bus.subscribe(Subscription(WORK, inbox.handler))

    await bus.start()

    await inbox.wait_for(3)
    assert ids(inbox.items) == ids(backlog)


async def test_competing_consumers_share_the_work(harness: Harness) -> None:
    handled: Inbox[tuple[str, Envelope]] = Inbox()

    def consumer(name: str) -> Callable[[Envelope], Any]:
        async def handle(received: Envelope) -> None:
            await asyncio.sleep(0)
            handled.add((name, received))

        return handle

    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, consumer("a"), concurrency=4))
    bus.subscribe(Subscription(WORK, consumer("b"), concurrency=4))
    await bus.start()
    sent = [envelope(n) for n in range(40)]

    await bus.publish_many([(WORK, e) for e in sent])

    await handled.wait_for(len(sent))
    assert ids([e for _, e in handled.items]) == ids(sent)
    assert {name for name, _ in handled.items} == {"a", "b"}


async def test_broadcast_gives_every_subscription_each_message(harness: Harness) -> None:
    first: Inbox[Envelope] = Inbox()
    second: Inbox[Envelope] = Inbox()
    bus = harness.make_bus()
    bus.subscribe(Subscription(EVENTS, first.handler))
    bus.subscribe(Subscription(EVENTS, second.handler))
    await bus.start()
    sent = [envelope(n) for n in range(5)]

    await bus.publish_many([(EVENTS, e) for e in sent])

    await first.wait_for(len(sent))
    await second.wait_for(len(sent))
    assert ids(first.items) == ids(second.items) == ids(sent)


async def test_failing_handler_is_redelivered_until_it_succeeds(harness: Harness) -> None:
    deliveries: Counter[uuid.UUID] = Counter()
    succeeded = asyncio.Event()
    dead: Inbox[DeadLetter] = Inbox()

    async def flaky(received: Envelope) -> None:
        deliveries[received.id] += 1
        if received.payload.get("poison"):
            raise MalformedMessage("sentinel")
        if deliveries[received.id] < 4:
            raise RuntimeError(f"transient failure {deliveries[received.id]}")
        succeeded.set()

    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, flaky, max_deliveries=4))
    bus.subscribe(DeadLetterSubscription(WORK, dead.handler))
    await bus.start()
    sent = envelope(1)

    await bus.publish(WORK, sent)

    await within(succeeded)
    # A message dead-lettered at once orders after anything the first one caused.
    sentinel = envelope(2, poison=True)
    await bus.publish(WORK, sentinel)
    await dead.wait_for(1)
    assert deliveries[sent.id] == 4
    assert [letter.envelope for letter in dead.items] == [sentinel]


async def test_always_failing_handler_ends_in_the_dead_letter_channel(harness: Harness) -> None:
    deliveries: Counter[uuid.UUID] = Counter()
    dead: Inbox[DeadLetter] = Inbox()

    async def broken(received: Envelope) -> None:
        deliveries[received.id] += 1
        raise RuntimeError(f"boom #{deliveries[received.id]}")

    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, broken, max_deliveries=3))
    bus.subscribe(DeadLetterSubscription(WORK, dead.handler))
    await bus.start()
    sent = envelope(1)

    await bus.publish(WORK, sent)

    await dead.wait_for(1)
    [letter] = dead.items
    assert deliveries[sent.id] == 3
    assert letter.deliveries == 3
    assert "RuntimeError" in letter.reason
    assert "boom #3" in letter.reason
    assert letter.channel == WORK
    assert letter.envelope == sent
    assert letter.body == sent.encode()
    assert abs(datetime.now(UTC) - letter.dead_lettered_at) < timedelta(minutes=1)


async def test_malformed_body_is_dead_lettered_at_once(harness: Harness) -> None:
    handled: Inbox[Envelope] = Inbox()
    dead: Inbox[DeadLetter] = Inbox()
    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, handled.handler))
    bus.subscribe(DeadLetterSubscription(WORK, dead.handler))
    await bus.start()
    later = envelope(1)

    await harness.publish_raw(bus, WORK, b"\xffnot json")
    await harness.publish_raw(bus, WORK, b'{"hello": "world"}')
    await bus.publish(WORK, later)

    await dead.wait_for(2)
    await handled.wait_for(1)
    assert handled.items == [later]
    letters = {letter.body: letter for letter in dead.items}
    assert "not JSON" in letters[b"\xffnot json"].reason
    assert "invalid envelope" in letters[b'{"hello": "world"}'].reason
    for letter in dead.items:
        assert letter.deliveries == 1
        assert letter.envelope is None
        assert letter.channel == WORK
        assert "MalformedMessage" in letter.reason


async def test_malformed_message_raised_by_handler_is_dead_lettered_at_once(
    harness: Harness,
) -> None:
    deliveries: Counter[uuid.UUID] = Counter()
    handled: Inbox[Envelope] = Inbox()
    dead: Inbox[DeadLetter] = Inbox()

    async def picky(received: Envelope) -> None:
        deliveries[received.id] += 1
        if received.payload.get("bad"):
            raise MalformedMessage("payload lacks 'op_run_id'")
        handled.add(received)

    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, picky, max_deliveries=5))
    bus.subscribe(DeadLetterSubscription(WORK, dead.handler))
    await bus.start()
    bad, good = envelope(1, bad=True), envelope(2)

    await bus.publish_many([(WORK, bad), (WORK, good)])

    await dead.wait_for(1)
    await handled.wait_for(1)
    [letter] = dead.items
    assert handled.items == [good]
    assert deliveries[bad.id] == 1
    assert letter.deliveries == 1
    assert letter.envelope == bad
    assert "payload lacks 'op_run_id'" in letter.reason


async def test_at_most_concurrency_handlers_run_at_once(harness: Harness) -> None:
    concurrency = 3
    running = peak = 0
    all_busy = asyncio.Event()
    done: Inbox[Envelope] = Inbox()

    async def slow(received: Envelope) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            if running == concurrency:
                all_busy.set()
            await all_busy.wait()
            await asyncio.sleep(0.002)  # keep later handlers overlapping too
        finally:
            running -= 1
        done.add(received)

    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, slow, concurrency=concurrency))
    await bus.start()
    sent = [envelope(n) for n in range(15)]

    await bus.publish_many([(WORK, e) for e in sent])

    await done.wait_for(len(sent))
    assert peak == concurrency


async def test_publish_many_keeps_order_within_a_channel(harness: Harness) -> None:
    inbox: Inbox[Envelope] = Inbox()
    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, inbox.handler, concurrency=1))
    await bus.start()
    sent = [envelope(n) for n in range(30)]

    await bus.publish_many([(WORK, e) for e in sent])

    await inbox.wait_for(len(sent))
    assert [e.id for e in inbox.items] == [e.id for e in sent]


async def test_a_publish_cancelled_midway_breaks_no_later_publish(harness: Harness) -> None:
    """A heartbeat is cancelled when its operation ends, whatever its publish was doing
    (declaring a queue, awaiting a confirm): the bus must finish or drop that publish
    without closing what other publishes (results) go through."""
    for turns in range(12):
        inbox: Inbox[Envelope] = Inbox()
        bus = harness.make_bus()
        bus.subscribe(Subscription(WORK, inbox.handler))
        await bus.start()
        beat = asyncio.create_task(bus.publish(SIDE, envelope(turns)))
        for _ in range(turns):
            await asyncio.sleep(0)
        beat.cancel()
        await asyncio.gather(beat, return_exceptions=True)

        await bus.publish(WORK, envelope(100 + turns))
        await bus.publish(SIDE, envelope(200 + turns))

        await inbox.wait_for(1)
        await bus.stop(timeout=5)


async def test_stop_lets_in_flight_handlers_finish_and_loses_nothing(harness: Harness) -> None:
    started: list[uuid.UUID] = []
    finished: list[uuid.UUID] = []
    both_started = asyncio.Event()
    release = asyncio.Event()

    async def slow(received: Envelope) -> None:
        started.append(received.id)
        if len(started) == 2:
            both_started.set()
        await release.wait()
        finished.append(received.id)

    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, slow, concurrency=2))
    await bus.start()
    sent = [envelope(n) for n in range(6)]
    await bus.publish_many([(WORK, e) for e in sent])
    await within(both_started)

    stopping = asyncio.create_task(bus.stop(timeout=WAIT))
    await asyncio.sleep(0.2)  # time for stop() to stop taking messages
    assert not stopping.done(), "stop() returned while handlers were still running"
    release.set()
    await stopping

    assert sorted(finished) == sorted(started)
    if not harness.durable:
        return
    rest: Inbox[Envelope] = Inbox()
    successor = harness.make_bus()
    successor.subscribe(Subscription(WORK, rest.handler))
    await successor.start()
    # Anything redelivered from the first bus would arrive before this marker.
    marker = envelope(99)
    await successor.publish(WORK, marker)
    await rest.wait_for(len(sent) - len(started) + 1)
    assert ids(rest.items) == ids([e for e in sent if e.id not in started] + [marker])


async def test_broadcast_nobody_listens_to_is_dropped_quietly(harness: Harness) -> None:
    bus = harness.make_bus()
    await bus.start()

    await bus.publish(EVENTS, envelope(1))
    await bus.publish_many([(EVENTS, envelope(2))])


@pytest.fixture
async def rabbit_harness(amqp_url: str) -> AsyncIterator[RabbitHarness]:
    made = RabbitHarness(amqp_url)
    try:
        yield made
    finally:
        await made.close()


@pytest.mark.integration
async def test_message_that_kills_its_consumer_is_dead_lettered(
    rabbit_harness: RabbitHarness,
) -> None:
    """A message whose consumer dies while handling it — no handler ever fails on it — is
    counted through the broker's redelivered flag and dead-lettered after max_deliveries."""
    handling = asyncio.Event()
    dead_arrived = asyncio.Event()
    dead: Inbox[DeadLetter] = Inbox()

    async def hangs(received: Envelope) -> None:
        handling.set()
        await asyncio.Event().wait()

    async def on_dead(letter: DeadLetter) -> None:
        dead.add(letter)
        dead_arrived.set()

    watcher = rabbit_harness.make_bus()
    watcher.subscribe(DeadLetterSubscription(WORK, on_dead))
    await watcher.start()
    sent = envelope(1)
    await watcher.publish(WORK, sent)

    deliveries = 0
    while not dead_arrived.is_set():
        assert deliveries < 10, "the message was never dead-lettered"
        handling.clear()
        consumer = rabbit_harness.make_bus()
        consumer.subscribe(Subscription(WORK, hangs))
        await consumer.start()
        await first_of(handling, dead_arrived)
        deliveries += handling.is_set()
        await consumer.stop(timeout=0.01)  # as if the process died mid-handler

    [letter] = dead.items
    assert letter.envelope == sent
    assert letter.channel == WORK
    assert "consumer died or timed out while handling it, 5 times" in letter.reason
    assert letter.deliveries == deliveries == 5  # Subscription's default max_deliveries


async def test_in_memory_bus_keeps_dead_letters_nobody_subscribed_to() -> None:
    handling = asyncio.Event()

    async def broken(received: Envelope) -> None:
        handling.set()
        raise MalformedMessage("never valid")

    bus = InMemoryBus()
    bus.subscribe(Subscription(WORK, broken))
    await bus.start()
    sent = envelope(1)
    await bus.publish(WORK, sent)
    await within(handling)
    await bus.stop()  # waits for the handler, and so for its dead letter

    [letter] = bus.dead_letters
    assert letter.envelope == sent
    assert "never valid" in letter.reason


def test_create_bus_picks_the_transport_from_the_url_scheme() -> None:
    assert isinstance(create_bus("memory://"), InMemoryBus)
    assert isinstance(create_bus("amqp://guest:guest@localhost:5672/"), RabbitBus)
    assert isinstance(create_bus("amqps://broker.example/", prefix="x"), RabbitBus)
    with pytest.raises(ValueError, match="'kafka'") as raised:
        create_bus("kafka://user:secret@broker:9092")
    assert "memory://" in str(raised.value)
    assert "secret" not in str(raised.value)


async def test_redelivery_waits_longer_each_time(harness: Harness) -> None:
    seen: list[float] = []
    done = asyncio.Event()

    async def flaky(_: Envelope) -> None:
        seen.append(time.monotonic())
        if len(seen) < 3:
            raise RuntimeError("database restarting")
        done.set()

    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, flaky, max_deliveries=5))
    await bus.start()
    await bus.publish(WORK, envelope(1))
    await asyncio.wait_for(done.wait(), 30)
    first_pause, second_pause = seen[1] - seen[0], seen[2] - seen[1]
    assert first_pause >= BACKOFF * 0.9
    assert second_pause >= 2 * BACKOFF * 0.9


async def test_dead_letter_no_handler_can_use_is_parked_not_dropped(harness: Harness) -> None:
    offered: list[DeadLetter] = []
    taken: Inbox[DeadLetter] = Inbox()

    async def picky(letter: DeadLetter) -> None:
        offered.append(letter)
        if letter.envelope is None:
            raise MalformedMessage("cannot act on an unreadable letter")
        await taken.handler(letter)

    bus = harness.make_bus()
    bus.subscribe(Subscription(WORK, _never_called, max_deliveries=3))
    bus.subscribe(DeadLetterSubscription(WORK, picky))
    await bus.start()
    await harness.publish_raw(bus, WORK, b"\x00 not an envelope")
    good = envelope(2)

    await harness.publish_raw(bus, WORK, good.encode())
    await taken.wait_for(1)
    assert taken.items[0].envelope == good
    parked: list[tuple[bytes, str]] = []
    for _ in range(200):
        parked = await harness.parked(bus, WORK)
        if parked:
            break
        await asyncio.sleep(0.05)
    assert [body for body, _ in parked] == [b"\x00 not an envelope"]
    assert "cannot act on an unreadable letter" in parked[0][1]
    assert len([o for o in offered if o.envelope is None]) == 1, "parked, not retried"


async def _never_called(received: Envelope) -> None:
    raise MalformedMessage(f"refusing {received.id}")
