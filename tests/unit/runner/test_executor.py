"""The generic executor over the in-memory bus: results, timeouts, faults, cancellation."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import orjson
import pytest
from pydantic import BaseModel

from raikoo_common.bus import InMemoryBus, Subscription
from raikoo_common.clock import utcnow
from raikoo_common.messages import (
    CancelOperations,
    Channel,
    CheckOperations,
    Envelope,
    OperationFailed,
    OperationReady,
    OperationsChecked,
    OperationSucceeded,
)
from raikoo_common.runner import JsonBytes, Kind, OperationContext
from raikoo_common.runner.wiring import attach_executor
from raikoo_common.secrets import LocalSecretStore
from raikoo_common.secrets.refs import reference
from raikoo_common.storage import ArtifactRef, Artifacts, LocalBlobStore
from tests.unit.runner._once import ready_to_run, run_once


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


def _ready(
    kind: str, config: dict[str, Any], *, attempt: int = 1, timeout: float | None = None
) -> OperationReady:
    return ready_to_run(kind, config, timeout=timeout, attempt=attempt)


async def _run(kind: str, timeout: float | None = None, cancel: bool = False) -> Any:
    bus = InMemoryBus(redelivery_backoff=0)
    attach_executor(
        bus,
        CATALOG,
        Channel.OPS_READY_PROGRAMMATIC,
        concurrency=2,
        max_deliveries=2,
        bus_keeps_messages=False,
    )
    results: asyncio.Queue[Any] = asyncio.Queue()

    async def collect(envelope: Envelope) -> None:
        await results.put(envelope.open())

    bus.subscribe(Subscription(Channel.OPS_FINISHED, collect))
    await bus.start()
    ready = _ready(kind, {"x": 1}, attempt=3, timeout=timeout)
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


# --- cancel means stop -----------------------------------------------------------------


class _Runner:
    """An executor on the in-memory bus, counting the operations that started, with a
    stand-in scheduler answering ``CheckOperations`` from ``wanted``."""

    def __init__(self, *, bus_keeps_messages: bool, wanted: set[uuid.UUID] | None = None):
        self.bus = InMemoryBus(redelivery_backoff=0)
        self.started: list[uuid.UUID] = []
        self.results: asyncio.Queue[Any] = asyncio.Queue()
        self.checks: list[CheckOperations] = []
        self.wanted = wanted
        self.org = uuid.uuid4()
        self.changed = asyncio.Event()

        async def count(config: Anything, context: OperationContext) -> str:
            self.started.append(context.op_run_id)
            self.changed.set()
            await asyncio.sleep(float(config.model_extra.get("seconds", 0)))  # type: ignore[union-attr]
            return "done"

        catalog = {"count": Kind("count", "programmatic", Anything, None, count, "count")}
        executor = attach_executor(
            self.bus,
            catalog,
            Channel.OPS_READY_PROGRAMMATIC,
            concurrency=2,
            max_deliveries=2,
            bus_keeps_messages=bus_keeps_messages,
        )
        executor.cancellations.ask_every = 0.1
        self.bus.subscribe(Subscription(Channel.OPS_FINISHED, self._result))
        self.bus.subscribe(Subscription(Channel.RUNS_REQUESTED, self._answer))

    async def _result(self, envelope: Envelope) -> None:
        await self.results.put(envelope.open())

    async def _answer(self, envelope: Envelope) -> None:
        check = envelope.open()
        assert isinstance(check, CheckOperations)
        self.checks.append(check)
        self.changed.set()
        if self.wanted is None:
            return  # no scheduler answers
        stale = [item.op_run_id for item in check.items if item.op_run_id not in self.wanted]
        answer = OperationsChecked(query_id=check.query_id, stale=stale)
        await self.bus.publish(Channel.OPS_CONTROL, Envelope.wrap(answer, org_id=self.org))

    def dispatch(self, seconds: float = 0, *, sent_at: datetime | None = None) -> Envelope:
        ready = _ready("count", {"seconds": seconds})
        envelope = Envelope.wrap(ready, org_id=self.org)
        if sent_at is not None:
            envelope = envelope.model_copy(update={"occurred_at": sent_at})
        return envelope

    async def until(self, done: Callable[[], bool]) -> None:
        async with asyncio.timeout(10):
            while not done():
                self.changed.clear()
                await self.changed.wait()

    async def cancel(self, *envelopes: Envelope) -> None:
        ids = [e.open().op_run_id for e in envelopes]  # type: ignore[attr-defined]
        command = CancelOperations(run_id=uuid.uuid4(), op_run_ids=ids)
        await self.bus.publish(Channel.OPS_CONTROL, Envelope.wrap(command, org_id=self.org))


async def test_queued_operations_of_a_cancel_never_start() -> None:
    """Two run at once; the cancel reaches the two running and the four still queued."""
    runner = _Runner(bus_keeps_messages=False)
    await runner.bus.start()
    try:
        sent = [runner.dispatch(seconds=30) for _ in range(6)]
        await runner.bus.publish_many([(Channel.OPS_READY_PROGRAMMATIC, e) for e in sent])
        await runner.until(lambda: len(runner.started) == 2)
        await runner.cancel(*sent)
        later = runner.dispatch()  # queued behind the four: it runs once they were dropped
        await runner.bus.publish(Channel.OPS_READY_PROGRAMMATIC, later)
        result = await asyncio.wait_for(runner.results.get(), 10)
    finally:
        await runner.bus.stop(timeout=1)
    assert result.op_run_id == later.open().op_run_id  # type: ignore[attr-defined]
    assert runner.started == [*runner.started[:2], result.op_run_id]
    assert runner.results.empty()


async def test_a_dispatch_older_than_what_the_runner_heard_is_checked_first() -> None:
    """A runner that started after a cancel was broadcast asks before it runs a backlog."""
    old = utcnow() - timedelta(minutes=5)
    runner = _Runner(bus_keeps_messages=True, wanted=set())
    stale, fresh_enough = runner.dispatch(sent_at=old), runner.dispatch(sent_at=old)
    runner.wanted = {fresh_enough.open().op_run_id}  # type: ignore[attr-defined]
    await runner.bus.start()
    try:
        await runner.bus.publish_many(
            [(Channel.OPS_READY_PROGRAMMATIC, e) for e in (stale, fresh_enough)]
        )
        result = await asyncio.wait_for(runner.results.get(), 10)
    finally:
        await runner.bus.stop(timeout=1)
    assert isinstance(result, OperationSucceeded)
    assert runner.started == [fresh_enough.open().op_run_id]  # type: ignore[attr-defined]
    assert sum(len(check.items) for check in runner.checks) == 2  # asked together or not


async def test_an_unanswered_check_waits_and_asks_again() -> None:
    runner = _Runner(bus_keeps_messages=True, wanted=None)
    await runner.bus.start()
    try:
        sent = runner.dispatch(sent_at=utcnow() - timedelta(minutes=5))
        await runner.bus.publish(Channel.OPS_READY_PROGRAMMATIC, sent)
        await runner.until(lambda: len(runner.checks) >= 2)
        assert not runner.started  # holds the dispatch until a scheduler answers
        runner.wanted = {sent.open().op_run_id}  # type: ignore[attr-defined]
        result = await asyncio.wait_for(runner.results.get(), 10)
    finally:
        await runner.bus.stop(timeout=1)
    assert isinstance(result, OperationSucceeded)


async def test_a_secret_reference_outside_the_credential_fields_never_reaches_the_kind(
    tmp_path: Path,
) -> None:
    """Refused when stored; should one reach a runner anyway, it is not substituted."""

    class Sinked(Anything):
        CREDENTIAL_SINKS: ClassVar[tuple[tuple[str, ...], ...]] = (("headers", "*"),)

    seen: list[Any] = []

    async def record(config: Sinked, context: OperationContext) -> str:
        seen.append(config.model_dump())
        return "ran"

    kind = Kind("record", "programmatic", Sinked, None, record, "record")
    ready = _ready("record", {"headers": {"a": reference("K")}, "body": reference("K")})
    org = uuid.uuid4()
    store = LocalSecretStore(tmp_path)
    await store.put(org, "K", "value-of-the-secret", project_id=None)
    result = await run_once({"record": kind}, ready, org, secrets=store)
    assert isinstance(result, OperationFailed)
    assert (result.error.kind, result.error.retryable) == ("invalid_config", False)
    assert "credential fields of record (headers.*), not at with.body" in result.error.message
    assert not seen


# --- outputs already written as JSON (a worker's result) ------------------------------


def _bytes_kind(body: bytes) -> Kind[Anything]:
    async def written(config: Anything, context: OperationContext) -> JsonBytes:
        return JsonBytes(body)

    return Kind("written", "programmatic", Anything, None, written, "written")


async def _run_written(
    body: bytes, tmp_path: Path, *, config: dict[str, Any] | None = None, **options: Any
) -> Any:
    store = LocalBlobStore(tmp_path / "artifacts")
    artifacts = Artifacts(store, threshold=1024)
    ready = _ready("written", config or {})
    try:
        result = await run_once(
            {"written": _bytes_kind(body)}, ready, uuid.uuid4(), artifacts=artifacts, **options
        )
    finally:
        await store.close()
    return result, store


async def test_a_large_written_output_is_offloaded_as_the_very_bytes(tmp_path: Path) -> None:
    body = orjson.dumps({"rows": [{"n": n, "text": "été"} for n in range(2000)]})
    result, store = await _run_written(body, tmp_path)
    assert isinstance(result, OperationSucceeded)
    ref = ArtifactRef.from_json(result.output)
    assert (ref.size, ref.content_type) == (len(body), "application/json")
    assert await store.read(ref.key, max_bytes=len(body)) == body


async def test_a_small_written_output_travels_inline_as_its_value(tmp_path: Path) -> None:
    result, _ = await _run_written(b'{"rows": [1, 2], "text": "ok"}', tmp_path)
    assert isinstance(result, OperationSucceeded)
    assert result.output == {"rows": [1, 2], "text": "ok"}


async def test_a_written_output_holding_nul_fails_naming_where(tmp_path: Path) -> None:
    body = orjson.dumps({"rows": ["fine"] * 500 + ["a\x00b"]})
    result, _ = await _run_written(body, tmp_path)
    assert isinstance(result, OperationFailed)
    assert (result.error.kind, result.error.retryable) == ("invalid_output", False)
    assert result.error.message.startswith("output.rows[500] contains a NUL character")


async def test_a_written_output_is_still_masked_when_a_secret_was_resolved(
    tmp_path: Path,
) -> None:
    """No kind that returns bytes takes secrets today; should one, masking still holds."""

    class Sinked(Anything):
        CREDENTIAL_SINKS: ClassVar[tuple[tuple[str, ...], ...]] = (("headers", "*"),)

    secret = "value-of-the-secret"

    async def echo(config: Sinked, context: OperationContext) -> JsonBytes:
        return JsonBytes(orjson.dumps({"seen": config.model_dump()["headers"]["a"]}))

    kind = Kind("echo", "programmatic", Sinked, None, echo, "echo")
    ready = _ready("echo", {"headers": {"a": reference("K")}})
    org = uuid.uuid4()
    store = LocalSecretStore(tmp_path)
    await store.put(org, "K", secret, project_id=None)
    result = await run_once({"echo": kind}, ready, org, secrets=store)
    assert isinstance(result, OperationSucceeded)
    assert secret not in orjson.dumps(result.output).decode()
    assert result.output["seen"] != secret


async def test_a_run_reads_its_projects_secret_over_the_organizations_and_no_other(
    tmp_path: Path,
) -> None:
    """The executor resolves references as the operation's project sees them."""

    class Sinked(Anything):
        CREDENTIAL_SINKS: ClassVar[tuple[tuple[str, ...], ...]] = (("headers", "*"),)

    async def sent(config: Sinked, context: OperationContext) -> dict[str, Any]:
        # The output would mask the value itself: say which one was sent.
        which = {"org-wide-value": "organization's", "alpha-own-value": "alpha's"}
        return {"sent": which.get(config.model_dump()["headers"]["a"], "another")}

    kind = Kind("send", "programmatic", Sinked, None, sent, "send")
    org, alpha, beta = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    store = LocalSecretStore(tmp_path)
    await store.put(org, "K", "org-wide-value", project_id=None)
    await store.put(org, "K", "alpha-own-value", project_id=alpha)
    await store.put(org, "ONLY_ALPHA", "alpha-only-value", project_id=alpha)

    def ready(project: uuid.UUID, name: str) -> OperationReady:
        message = _ready("send", {"headers": {"a": reference(name)}})
        return message.model_copy(update={"project_id": project})

    in_alpha = await run_once({"send": kind}, ready(alpha, "K"), org, secrets=store)
    assert isinstance(in_alpha, OperationSucceeded), in_alpha
    assert in_alpha.output == {"sent": "alpha's"}
    in_beta = await run_once({"send": kind}, ready(beta, "K"), org, secrets=store)
    assert isinstance(in_beta, OperationSucceeded), in_beta
    assert in_beta.output == {"sent": "organization's"}
    hidden = await run_once({"send": kind}, ready(beta, "ONLY_ALPHA"), org, secrets=store)
    assert isinstance(hidden, OperationFailed)
    assert (hidden.error.kind, hidden.error.retryable) == ("secret_unavailable", False)
    assert "no secret named ONLY_ALPHA" in hidden.error.message
