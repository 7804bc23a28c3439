"""``raikoo dead-letters`` on a real RabbitMQ: a letter the bus parked is listed with its
reasons, replayed to the channel it came from, and purged."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import aio_pika
import pytest
from typer.testing import CliRunner

from raikoo.cli import app
from raikoo_common.bus import DeadLetter, DeadLetterSubscription, RabbitBus, Subscription
from raikoo_common.messages import Channel, Envelope, MalformedMessage

pytestmark = pytest.mark.integration


@pytest.fixture
def prefix(amqp_url: str) -> Iterator[str]:
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name

    async def delete() -> None:
        connection = await aio_pika.connect(amqp_url)
        async with connection:
            amqp = await connection.channel()
            for suffix in ("", ".dead", ".parked"):
                await amqp.queue_delete(f"{name}.{Channel.OPS_FINISHED}{suffix}")
            await amqp.exchange_delete(name)

    asyncio.run(delete())


@pytest.fixture
async def parked(amqp_url: str, prefix: str) -> Envelope:
    """One message on ops.finished that its handler and then its dead-letter handler both
    refused as unusable: the bus parks it."""
    sent = Envelope(type="test.ping", org_id=uuid.uuid4(), payload={"n": 1})
    seen = asyncio.Event()

    async def refuse(envelope: Envelope) -> None:
        raise MalformedMessage("no handler can use this")

    async def refuse_letter(letter: DeadLetter) -> None:
        seen.set()
        raise MalformedMessage("still unusable")

    bus = RabbitBus(amqp_url, prefix=prefix, dead_letter_retry_delay=0.01)
    bus.subscribe(Subscription(Channel.OPS_FINISHED, refuse))
    bus.subscribe(DeadLetterSubscription(Channel.OPS_FINISHED, refuse_letter))
    await bus.start()
    await bus.publish(Channel.OPS_FINISHED, sent)
    await asyncio.wait_for(seen.wait(), 15)
    await bus.stop(timeout=5)  # lets the handler finish: the letter is parked by then
    return sent


def _cli(*args: str, amqp_url: str, prefix: str) -> str:
    result = CliRunner().invoke(
        app,
        ["dead-letters", *args, "--bus-url", amqp_url, "--prefix", prefix],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_parked_letters_are_listed_replayed_and_purged(
    parked: Envelope, amqp_url: str, prefix: str
) -> None:
    assert f"{Channel.OPS_FINISHED}: 1 parked" in _cli("list", amqp_url=amqp_url, prefix=prefix)
    shown = _cli("list", str(Channel.OPS_FINISHED), amqp_url=amqp_url, prefix=prefix)
    assert str(parked.id) in shown
    assert "dead because: MalformedMessage: no handler can use this" in shown
    assert "parked because: MalformedMessage: still unusable" in shown

    assert "1 letter(s) replayed" in _cli(
        "replay", str(Channel.OPS_FINISHED), amqp_url=amqp_url, prefix=prefix
    )
    assert "no parked letters" in _cli("list", amqp_url=amqp_url, prefix=prefix)
    back = asyncio.run(_take(amqp_url, f"{prefix}.{Channel.OPS_FINISHED}"))
    assert back is not None
    assert Envelope.decode(back).id == parked.id  # on its channel again, as it was sent


def test_purge_deletes_a_shelf(parked: Envelope, amqp_url: str, prefix: str) -> None:
    out = _cli("purge", str(Channel.OPS_FINISHED), "--yes", amqp_url=amqp_url, prefix=prefix)
    assert "1 letter(s) deleted" in out
    assert "no parked letters" in _cli("list", amqp_url=amqp_url, prefix=prefix)


def test_the_in_memory_bus_has_no_shelf_to_read() -> None:
    result = CliRunner().invoke(app, ["dead-letters", "list", "--bus-url", "memory://"])
    assert result.exit_code == 2
    assert "kept by RabbitMQ" in result.output


async def _take(url: str, queue_name: str) -> bytes | None:
    connection = await aio_pika.connect(url)
    async with connection:
        amqp = await connection.channel()
        queue = await amqp.get_queue(queue_name)
        message = await queue.get(fail=False)
        if message is None:
            return None
        await message.ack()
        return message.body
