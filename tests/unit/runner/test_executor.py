"""The generic executor over the in-memory bus: results, timeouts, faults, cancellation."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from pydantic import BaseModel

from raikoo_common.bus import InMemoryBus, Subscription
from raikoo_common.messages import (
    CancelOperations,
    Channel,
    Envelope,
    OperationFailed,
    OperationReady,
    OperationSucceeded,
)
from raikoo_common.runner import Kind, OperationContext, attach_executor


class Anything(BaseModel):
    model_config = {"extra": "allow"}


async def _raises_timeout(config: Anything, context: OperationContext) -> None:
    raise TimeoutError("upstream did not answer")


async def _slow(config: Anything, context: OperationContext) -> str:
    await asyncio.sleep(30)
    return "late"


async def _echo(config: Anything, context: OperationContext) -> dict[str, Any]:
    return {"attempt": context.attempt, **(config.model_extra or {})}


async def _nul_output(config: Anything, context: OperationContext) -> dict[str, Any]:
    return {"rows": [{"text": "fine"}, {"text": "a\x00b"}], "quoted": "a\\u0000b"}


async def _nul_error(config: Anything, context: OperationContext) -> None:
    raise ValueError("the server answered 'x\x00y'")


CATALOG = {
    name: Kind(
        name=name, family="programmatic", config=Anything, output=None, execute=fn, summary=name
    )
    for name, fn in (
        ("raises", _raises_timeout),
        ("slow", _slow),
        ("echo", _echo),
        ("nul_output", _nul_output),
        ("nul_error", _nul_error),
    )
}


async def _run(kind: str, timeout: float | None = None, cancel: bool = False) -> Any:
    bus = InMemoryBus(redelivery_backoff=0)
    attach_executor(bus, CATALOG, Channel.OPS_READY_PROGRAMMATIC, concurrency=2, max_deliveries=2)
    results: asyncio.Queue[Any] = asyncio.Queue()

    async def collect(envelope: Envelope) -> None:
        await results.put(envelope.open())

    bus.subscribe(Subscription(Channel.OPS_FINISHED, collect))
    await bus.start()
    ready = OperationReady(
        op_run_id=uuid.uuid4(),
        run_id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        op_key="k",
        attempt=3,
        kind=kind,
        config={"x": 1},
        timeout_seconds=timeout,
    )
    org = uuid.uuid4()
    await bus.publish(Channel.OPS_READY_PROGRAMMATIC, Envelope.wrap(ready, org_id=org))
    try:
        if cancel:
            await asyncio.sleep(0.1)
            command = CancelOperations(run_id=ready.run_id, op_run_ids=[ready.op_run_id])
            await bus.publish(Channel.OPS_CONTROL, Envelope.wrap(command, org_id=org))
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(results.get(), 0.5)
            return None
        return await asyncio.wait_for(results.get(), 5)
    finally:
        await bus.stop(timeout=1)


async def test_success_carries_the_output_and_attempt() -> None:
    result = await _run("echo")
    assert isinstance(result, OperationSucceeded)
    assert (result.attempt, result.output) == (3, {"attempt": 3, "x": 1})


async def test_operations_own_timeout_error_is_an_error_not_a_timeout() -> None:
    result = await _run("raises")
    assert isinstance(result, OperationFailed)
    assert (result.error.kind, result.error.message) == (
        "error",
        "TimeoutError: upstream did not answer",
    )


async def test_exceeding_the_timeout_fails_with_kind_timeout() -> None:
    result = await _run("slow", timeout=0.05)
    assert isinstance(result, OperationFailed)
    assert result.error.kind == "timeout"
    assert "0.05s" in result.error.message


async def test_unknown_kind_fails_without_retry() -> None:
    result = await _run("nope")
    assert isinstance(result, OperationFailed)
    assert (result.error.kind, result.error.retryable) == ("unknown_kind", False)


async def test_cancelled_operation_reports_nothing() -> None:
    assert await _run("slow", cancel=True) is None


async def test_an_output_holding_nul_fails_naming_where() -> None:
    result = await _run("nul_output")
    assert isinstance(result, OperationFailed)
    assert (result.error.kind, result.error.retryable) == ("invalid_output", False)
    assert result.error.message.startswith("output.rows[1].text contains a NUL character")


async def test_an_error_message_holding_nul_is_kept_storable() -> None:
    result = await _run("nul_error")
    assert isinstance(result, OperationFailed)
    assert result.error.message == "ValueError: the server answered 'x\ufffdy'"
