"""The floor: what the broker alone costs, with the settings Raikoo's bus uses.

aio-pika, publisher confirms on, persistent messages on a durable queue (classic, as
Raikoo's work channels are; a quorum queue is measured as well), publisher and
consumer on separate connections. Latency: one message at a time, publish (awaiting the
confirm) until the consumer has it and acked it. Throughput: ``count`` messages published
with up to ``window`` confirms outstanding while the consumer (prefetch ``window``) acks.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import aio_pika

from _stats import median, percentile


async def _one_queue(
    url: str, queue_type: str, rounds: int, count: int, window: int
) -> dict[str, Any]:
    name = f"bench-floor-{queue_type}-{uuid.uuid4().hex[:8]}"
    arguments: dict[str, Any] = {"x-queue-type": queue_type}
    pub_conn = await aio_pika.connect(url)
    sub_conn = await aio_pika.connect(url)
    try:
        pub = await pub_conn.channel(publisher_confirms=True)
        sub = await sub_conn.channel(publisher_confirms=False)
        await sub.set_qos(prefetch_count=window)
        queue = await sub.declare_queue(name, durable=True, arguments=arguments)
        waiting: asyncio.Future[None] | None = None
        received = 0
        target = 0
        body = b'{"payload": "' + b"x" * 400 + b'"}'  # about the size of an OperationReady

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal received
            await message.ack()
            received += 1
            if waiting is not None and not waiting.done() and received >= target:
                waiting.set_result(None)

        tag = await queue.consume(on_message)
        loop = asyncio.get_running_loop()

        def message() -> aio_pika.Message:
            return aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT)

        latencies = []
        for i in range(rounds + 20):  # the first 20 warm up
            target = received + 1
            waiting = loop.create_future()
            t0 = time.perf_counter()
            await pub.default_exchange.publish(message(), routing_key=name)
            await waiting
            if i >= 20:
                latencies.append(time.perf_counter() - t0)

        target = received + count
        waiting = loop.create_future()
        gate = asyncio.Semaphore(window)

        async def send() -> None:
            async with gate:
                await pub.default_exchange.publish(message(), routing_key=name)

        t0 = time.perf_counter()
        await asyncio.gather(*(send() for _ in range(count)))
        await waiting
        elapsed = time.perf_counter() - t0
        await queue.cancel(tag)
        await queue.delete(if_unused=False, if_empty=False)
    finally:
        await pub_conn.close()
        await sub_conn.close()
    return {
        "queue_type": queue_type,
        "latency_p50_ms": median(latencies) * 1000,
        "latency_p99_ms": percentile(latencies, 99) * 1000,
        "rounds": rounds,
        "throughput_msgs_s": count / elapsed,
        "count": count,
        "window": window,
    }


async def publish_cost(url: str, count: int) -> dict[str, Any]:
    """CPU time of this process per confirmed, persistent publish (one at a time) to a durable
    queue: aio-pika directly, then FastStream's ``RabbitBroker.publish`` as Raikoo's bus
    calls it (same flags). Nothing consumes; the queue is deleted afterwards."""
    from faststream.rabbit import Channel, RabbitBroker

    name = f"bench-floor-publish-{uuid.uuid4().hex[:8]}"
    body = b'{"payload": "' + b"x" * 400 + b'"}'
    out: dict[str, Any] = {"count": count}
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        await channel.declare_queue(name, durable=True)
        for _ in range(20):
            await channel.default_exchange.publish(aio_pika.Message(body), routing_key=name)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(count):
            message = aio_pika.Message(
                body,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=uuid.uuid4().hex,
                content_type="application/json",
            )
            await channel.default_exchange.publish(message, routing_key=name, mandatory=True)
        out["aio_pika_cpu_us"] = (time.process_time() - cpu) / count * 1e6
        out["aio_pika_wall_us"] = (time.perf_counter() - wall) / count * 1e6
        broker = RabbitBroker(
            url,
            logger=None,
            apply_types=False,
            default_channel=Channel(publisher_confirms=True, on_return_raises=True),
        )
        await broker.connect()
        try:
            for _ in range(20):
                await broker.publish(body, routing_key=name)
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(count):
                await broker.publish(
                    body,
                    routing_key=name,
                    mandatory=True,
                    persist=True,
                    message_id=uuid.uuid4().hex,
                    content_type="application/json",
                )
            out["faststream_cpu_us"] = (time.process_time() - cpu) / count * 1e6
            out["faststream_wall_us"] = (time.perf_counter() - wall) / count * 1e6
        finally:
            await broker.stop()
        await channel.queue_delete(name)
    finally:
        await connection.close()
    return out


async def measure(url: str, *, rounds: int, count: int, window: int = 100) -> dict[str, Any]:
    quorum = await _one_queue(url, "quorum", rounds, count, window)
    classic = await _one_queue(url, "classic", rounds, count, window)
    publish = await publish_cost(url, rounds)
    return {"quorum": quorum, "classic": classic, "publish": publish}


if __name__ == "__main__":
    import json

    print(
        json.dumps(
            asyncio.run(measure("amqp://guest:guest@127.0.0.1:5672/", rounds=200, count=2000)),
            indent=2,
        )
    )
