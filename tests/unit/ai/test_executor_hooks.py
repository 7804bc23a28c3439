"""What the executor gives kinds for AI work: streamed text, reported usage, dry runs."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel

from raikoo_common.bus import InMemoryBus, Subscription
from raikoo_common.messages import (
    Channel,
    Envelope,
    OperationFailed,
    OperationOutputDelta,
    OperationReady,
    OperationSucceeded,
    OperationUsage,
)
from raikoo_common.runner import Kind, OperationContext, OperationError
from raikoo_common.runner.wiring import attach_executor
from raikoo_common.secrets import LocalSecretStore
from raikoo_common.secrets.refs import reference

CANARY = "canary-secret-7f3a9b"


class Config(BaseModel):
    model_config = {"extra": "allow"}
    CREDENTIAL_SINKS: ClassVar[tuple[tuple[str, ...], ...]] = (("key",),)


async def _writes(config: Config, context: OperationContext) -> dict[str, Any]:
    for part in ("Hel", "lo, ", "wor", "ld", f" key={CANARY[:5]}", CANARY[5:], "!"):
        context.stream(part)
        await asyncio.sleep(0.03)
    context.record_usage(OperationUsage(prompt_tokens=3, total_tokens=3, calls=1))
    context.record_usage(OperationUsage(prompt_tokens=7, completion_tokens=2, total_tokens=9))
    return {"dry_run": context.dry_run}


async def _spends_then_fails(config: Config, context: OperationContext) -> None:
    context.record_usage(OperationUsage(prompt_tokens=5, total_tokens=5, calls=1))
    raise OperationError("the model gave up", kind="error", retryable=False)


CATALOG = {
    name: Kind(name=name, family="ai", config=Config, output=None, execute=fn, summary=name)
    for name, fn in (("writes", _writes), ("fails", _spends_then_fails))
}


async def _run(
    kind: str, tmp_path: Path, *, dry_run: bool = False
) -> tuple[Any, list[OperationOutputDelta]]:
    bus = InMemoryBus(redelivery_backoff=0)
    org = uuid.uuid4()
    secrets = LocalSecretStore(tmp_path)
    await secrets.put(org, "KEY", CANARY, project_id=None)
    attach_executor(
        bus,
        CATALOG,
        Channel.OPS_READY_AI,
        concurrency=2,
        max_deliveries=2,
        secrets=secrets,
        bus_keeps_messages=False,
    )
    results: asyncio.Queue[Any] = asyncio.Queue()
    deltas: list[OperationOutputDelta] = []

    async def collect(envelope: Envelope) -> None:
        await results.put(envelope.open())

    async def listen(envelope: Envelope) -> None:
        message = envelope.open()
        assert isinstance(message, OperationOutputDelta)
        deltas.append(message)

    bus.subscribe(Subscription(Channel.OPS_FINISHED, collect))
    bus.subscribe(Subscription(Channel.RUNS_EVENTS, listen))
    await bus.start()
    ready = OperationReady(
        op_run_id=uuid.uuid4(),
        run_id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        op_key="answer",
        attempt=1,
        kind=kind,
        config={"key": reference("KEY")},
        dry_run=dry_run,
    )
    try:
        await bus.publish(Channel.OPS_READY_AI, Envelope.wrap(ready, org_id=org))
        result = await asyncio.wait_for(results.get(), 5)
    finally:
        await bus.stop(timeout=1)
    return result, deltas


class _Secrets:
    async def values(self, org_id: uuid.UUID, names: set[str]) -> dict[str, str]:
        return dict.fromkeys(names, CANARY)


async def test_streamed_text_reaches_listeners_in_order_before_the_result(tmp_path: Path) -> None:
    result, deltas = await _run("writes", tmp_path)
    assert isinstance(result, OperationSucceeded)
    text = "".join(delta.text for delta in deltas)
    assert text == "Hello, world key=***!"
    assert [delta.index for delta in deltas] == list(range(len(deltas)))
    assert all(delta.op_key == "answer" and delta.attempt == 1 for delta in deltas)


async def test_the_latest_usage_reported_rides_on_the_result(tmp_path: Path) -> None:
    result, _ = await _run("writes", tmp_path)
    assert isinstance(result, OperationSucceeded)
    assert result.usage == OperationUsage(prompt_tokens=7, completion_tokens=2, total_tokens=9)


async def test_a_failed_operation_reports_what_it_spent(tmp_path: Path) -> None:
    result, _ = await _run("fails", tmp_path)
    assert isinstance(result, OperationFailed)
    assert result.usage is not None
    assert result.usage.prompt_tokens == 5


async def test_dry_run_reaches_the_kind(tmp_path: Path) -> None:
    result, _ = await _run("writes", tmp_path, dry_run=True)
    assert result.output == {"dry_run": True}
    result, _ = await _run("writes", tmp_path)
    assert result.output == {"dry_run": False}


def test_new_optional_fields_stay_off_the_wire_while_unset() -> None:
    ready = OperationReady(
        op_run_id=uuid.uuid4(),
        run_id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        op_key="k",
        attempt=1,
        kind="noop",
        config={},
    )
    payload = Envelope.wrap(ready, org_id=uuid.uuid4()).payload
    assert "dry_run" not in payload
    assert Envelope.wrap(ready.model_copy(update={"dry_run": True}), org_id=uuid.uuid4()).payload[
        "dry_run"
    ]
