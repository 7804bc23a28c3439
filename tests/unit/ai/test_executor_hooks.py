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
    OperationHeartbeat,
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


async def _calls_twice(config: Config, context: OperationContext) -> None:
    """One call, a long think (past the executor's heartbeat delay), then another call."""
    context.record_usage(OperationUsage(prompt_tokens=4, total_tokens=4, calls=1))
    await asyncio.sleep(0.6)
    context.record_usage(OperationUsage(prompt_tokens=9, total_tokens=9, calls=2))


CATALOG = {
    name: Kind(name=name, family="ai", config=Config, output=None, execute=fn, summary=name)
    for name, fn in (("writes", _writes), ("fails", _spends_then_fails), ("twice", _calls_twice))
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
    beats = _BEATS[kind] = []

    async def progress(envelope: Envelope) -> None:
        message = envelope.open()
        assert isinstance(message, OperationHeartbeat)
        beats.append(message)

    async def collect(envelope: Envelope) -> None:
        await results.put(envelope.open())

    async def listen(envelope: Envelope) -> None:
        message = envelope.open()
        assert isinstance(message, OperationOutputDelta)
        deltas.append(message)

    bus.subscribe(Subscription(Channel.OPS_FINISHED, collect))
    bus.subscribe(Subscription(Channel.RUNS_EVENTS, listen))
    bus.subscribe(Subscription(Channel.OPS_PROGRESS, progress))
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


_BEATS: dict[str, list[OperationHeartbeat]] = {}
"""The heartbeats of the last operation of each kind run."""


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


async def test_usage_is_reported_soon_after_a_call_so_a_killed_runners_calls_count(
    tmp_path: Path,
) -> None:
    """A call's usage goes out as a heartbeat shortly after it (should the runner die, the
    scheduler still counts it), naming the execution; the result carries the last total,
    and usage the result carries is not sent before it as well."""
    result, _ = await _run("twice", tmp_path)
    assert isinstance(result, OperationSucceeded)
    assert result.usage is not None
    assert result.usage.calls == 2
    assert result.execution is not None
    reports = [beat for beat in _BEATS["twice"] if beat.usage is not None]
    assert [beat.usage.calls for beat in reports if beat.usage] == [1]
    assert reports[0].execution == result.execution
    again, _ = await _run("twice", tmp_path)
    assert again.execution != result.execution  # each execution is its own


async def test_an_operation_that_ends_soon_after_its_call_sends_no_usage_report(
    tmp_path: Path,
) -> None:
    result, _ = await _run("writes", tmp_path)
    assert isinstance(result, OperationSucceeded)
    assert [beat for beat in _BEATS["writes"] if beat.usage is not None] == []


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
