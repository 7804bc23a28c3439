"""Run one operation through the real executor over the in-memory bus; return its result."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from raikoo_common.bus import InMemoryBus, Subscription
from raikoo_common.messages import Channel, Envelope, OperationReady
from raikoo_common.runner import Catalog
from raikoo_common.runner.wiring import attach_executor
from raikoo_common.secrets import SecretStore
from raikoo_common.storage import Artifacts


def ready_to_run(
    kind: str, config: dict[str, Any], *, timeout: float | None = None, attempt: int = 1
) -> OperationReady:
    """An operation of a new run, as the scheduler dispatches it."""
    return OperationReady(
        op_run_id=uuid.uuid4(),
        run_id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        op_key="k",
        attempt=attempt,
        kind=kind,
        config=config,
        timeout_seconds=timeout,
    )


async def run_once(
    catalog: Catalog,
    ready: OperationReady,
    org_id: uuid.UUID,
    *,
    secrets: SecretStore | None = None,
    artifacts: Artifacts | None = None,
    wait: float = 5.0,
) -> Any:
    """The result message (opened) of ``ready``; TimeoutError if none comes within ``wait``."""
    bus = InMemoryBus(redelivery_backoff=0)
    channel = Channel.OPS_READY_PROGRAMMATIC
    attach_executor(
        bus,
        catalog,
        channel,
        concurrency=2,
        max_deliveries=2,
        secrets=secrets,
        artifacts=artifacts,
        bus_keeps_messages=False,
    )
    results: asyncio.Queue[Any] = asyncio.Queue()

    async def collect(envelope: Envelope) -> None:
        await results.put(envelope.open())

    bus.subscribe(Subscription(Channel.OPS_FINISHED, collect))
    await bus.start()
    try:
        await bus.publish(channel, Envelope.wrap(ready, org_id=org_id))
        return await asyncio.wait_for(results.get(), wait)
    finally:
        await bus.stop(timeout=1)
