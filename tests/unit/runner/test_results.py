"""Results that finish together leave together: one message per run, each result intact."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from raikoo_common.bus import InMemoryBus, Subscription
from raikoo_common.messages import (
    Channel,
    Envelope,
    ErrorInfo,
    MalformedMessage,
    OperationFailed,
    OperationReady,
    OperationResults,
    OperationSucceeded,
    RunResult,
)
from raikoo_common.runner.results import ResultSender

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _source(org_id: uuid.UUID, run_id: uuid.UUID) -> Envelope:
    ready = OperationReady(
        op_run_id=uuid.uuid4(),
        run_id=run_id,
        project_id=uuid.uuid4(),
        op_key="a",
        kind="noop",
        attempt=1,
        config={},
    )
    return Envelope.wrap(ready, org_id=org_id, run_id=run_id, correlation_id=run_id)


def _ok(n: int) -> OperationSucceeded:
    return OperationSucceeded(
        op_run_id=uuid.uuid4(), attempt=1, output={"n": n}, started_at=NOW, finished_at=NOW
    )


def _failed() -> OperationFailed:
    error = ErrorInfo(kind="error", message="boom", where="a", retryable=False)
    return OperationFailed(op_run_id=uuid.uuid4(), attempt=2, error=error, finished_at=NOW)


class _Received(list[Envelope]):
    def __init__(self) -> None:
        super().__init__()
        self.arrived = asyncio.Event()


async def _collecting_bus() -> tuple[InMemoryBus, _Received]:
    bus = InMemoryBus()
    received = _Received()

    async def collect(envelope: Envelope) -> None:
        received.append(envelope)
        received.arrived.set()

    bus.subscribe(Subscription(Channel.OPS_FINISHED, collect))
    await bus.start()
    return bus, received


async def _settled(received: _Received, count: int) -> None:
    async with asyncio.timeout(5):
        while sum(len(_results(e)) for e in received) < count:
            await received.arrived.wait()
            received.arrived.clear()


def _results(envelope: Envelope) -> list[tuple[uuid.UUID, OperationSucceeded | OperationFailed]]:
    """(run id, result) of every result ``envelope`` carries."""
    message = envelope.open()
    if isinstance(message, OperationResults):
        assert envelope.run_id in (None, *{r.run_id for r in message.results})
        return [(r.run_id, r.result) for r in message.results]
    assert isinstance(message, OperationSucceeded | OperationFailed)
    assert envelope.run_id is not None
    return [(envelope.run_id, message)]


async def test_results_finishing_together_share_a_message_per_organisation() -> None:
    bus, received = await _collecting_bus()
    sender = ResultSender(bus, Channel.OPS_FINISHED)
    acme, globex = uuid.uuid4(), uuid.uuid4()
    runs = {uuid.uuid4(): acme, uuid.uuid4(): acme, uuid.uuid4(): globex}
    sent: dict[uuid.UUID, list[OperationSucceeded | OperationFailed]] = {
        run_id: [*(_ok(n) for n in range(12)), _failed()] for run_id in runs
    }
    try:
        await asyncio.gather(
            *(
                sender.send(_source(runs[run_id], run_id), run_id, result)
                for run_id, results in sent.items()
                for result in results
            )
        )
        await _settled(received, 39)
    finally:
        await bus.stop()

    by_run: dict[uuid.UUID, list[OperationSucceeded | OperationFailed]] = {}
    for envelope in received:
        carried = _results(envelope)
        assert {runs[run_id] for run_id, _ in carried} == {envelope.org_id}, "orgs mixed"
        for run_id, result in carried:
            by_run.setdefault(run_id, []).append(result)
    assert by_run == sent, "every result arrives once, in order, under its own run"
    assert len(received) < 39, "results that finished together were not batched"
    batches = [e.open() for e in received if e.type == OperationResults.TYPE]
    assert any(len({r.run_id for r in b.results}) > 1 for b in batches)  # type: ignore[attr-defined]


async def test_a_lone_result_travels_as_itself() -> None:
    bus, received = await _collecting_bus()
    sender = ResultSender(bus, Channel.OPS_FINISHED)
    run_id = uuid.uuid4()
    result = _ok(1)
    try:
        await sender.send(_source(uuid.uuid4(), run_id), run_id, result)
        await _settled(received, 1)
    finally:
        await bus.stop()
    assert [e.open() for e in received] == [result]
    assert received[0].correlation_id == run_id


class _RefusingBus(InMemoryBus):
    async def publish(self, channel: str, envelope: Envelope) -> None:
        raise ConnectionError("broker unreachable")


async def test_every_sender_of_a_failed_publish_learns_it() -> None:
    sender = ResultSender(_RefusingBus(), Channel.OPS_FINISHED)
    run_id = uuid.uuid4()
    outcomes = await asyncio.gather(
        *(sender.send(_source(uuid.uuid4(), run_id), run_id, _ok(n)) for n in range(3)),
        return_exceptions=True,
    )
    assert all(isinstance(o, ConnectionError) for o in outcomes)


def test_results_round_trip_on_the_wire() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    batch = OperationResults(
        results=[
            RunResult(run_id=first, result=_ok(1)),
            RunResult(run_id=second, result=_failed()),
            RunResult(run_id=first, result=_ok(2)),
        ]
    )
    envelope = Envelope.wrap(batch, org_id=uuid.uuid4(), run_id=uuid.uuid4())
    assert Envelope.decode(envelope.encode()).open() == batch
    with pytest.raises(ValueError, match="results"):
        OperationResults(results=[])


class _StalledBus(InMemoryBus):
    def __init__(self) -> None:
        super().__init__()
        self.publishing = asyncio.Event()

    async def publish(self, channel: str, envelope: Envelope) -> None:
        self.publishing.set()
        await asyncio.sleep(3600)


async def test_senders_are_released_when_the_publish_is_cancelled() -> None:
    bus = _StalledBus()
    sender = ResultSender(bus, Channel.OPS_FINISHED)
    run_id = uuid.uuid4()
    waiting = asyncio.ensure_future(sender.send(_source(uuid.uuid4(), run_id), run_id, _ok(1)))
    await asyncio.wait_for(bus.publishing.wait(), 2)
    assert sender._task is not None
    sender._task.cancel()
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(waiting, 2)


class _FailsFirstPublish(InMemoryBus):
    """The first publish is held until released, then fails; later ones succeed."""

    def __init__(self) -> None:
        super().__init__()
        self.publishing = asyncio.Event()
        self.release = asyncio.Event()
        self.published: list[Envelope] = []
        self._calls = 0

    async def publish(self, channel: str, envelope: Envelope) -> None:
        self._calls += 1
        if self._calls == 1:
            self.publishing.set()
            await self.release.wait()
            raise ConnectionError("broker unreachable")
        self.published.append(envelope)


async def test_a_failed_publish_fails_only_its_own_results() -> None:
    bus = _FailsFirstPublish()
    sender = ResultSender(bus, Channel.OPS_FINISHED)
    run_id = uuid.uuid4()
    lost, queued = _ok(1), _ok(2)
    first = asyncio.ensure_future(sender.send(_source(uuid.uuid4(), run_id), run_id, lost))
    await asyncio.wait_for(bus.publishing.wait(), 2)
    second = asyncio.ensure_future(sender.send(_source(uuid.uuid4(), run_id), run_id, queued))
    await asyncio.sleep(0)
    bus.release.set()
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(first, 2)
    await asyncio.wait_for(second, 2)  # published in the next round, and told so
    assert [e.open() for e in bus.published] == [queued]


class _RefusesOneOrganisation(InMemoryBus):
    """Confirms every message except those of one organisation."""

    def __init__(self, refused: uuid.UUID) -> None:
        super().__init__()
        self.refused = refused
        self.published: list[Envelope] = []

    async def publish(self, channel: str, envelope: Envelope) -> None:
        await asyncio.sleep(0)
        if envelope.org_id == self.refused:
            raise ConnectionError("message refused")
        self.published.append(envelope)


async def test_a_refused_message_fails_only_the_results_it_carried() -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    bus = _RefusesOneOrganisation(refused=globex)
    sender = ResultSender(bus, Channel.OPS_FINISHED)
    acme_run, globex_run = uuid.uuid4(), uuid.uuid4()
    sends = [
        *(sender.send(_source(acme, acme_run), acme_run, _ok(n)) for n in range(3)),
        *(sender.send(_source(globex, globex_run), globex_run, _ok(n)) for n in range(3)),
    ]
    outcomes = await asyncio.gather(*sends, return_exceptions=True)
    assert outcomes[:3] == [None, None, None], "a confirmed message's senders are told so"
    assert all(isinstance(o, ConnectionError) for o in outcomes[3:])
    assert {e.org_id for e in bus.published} == {acme}
    assert sum(len(_results(e)) for e in bus.published) == 3


async def test_large_results_are_not_packed_past_the_size_limit() -> None:
    bus, received = await _collecting_bus()
    sender = ResultSender(bus, Channel.OPS_FINISHED, max_bytes=10_000)
    run_id, org = uuid.uuid4(), uuid.uuid4()
    big = [
        OperationSucceeded(
            op_run_id=uuid.uuid4(),
            attempt=1,
            output={"blob": "x" * 4_000, "n": n},
            started_at=NOW,
            finished_at=NOW,
        )
        for n in range(6)
    ]
    try:
        await asyncio.gather(*(sender.send(_source(org, run_id), run_id, r) for r in big))
        await _settled(received, 6)
    finally:
        await bus.stop()
    assert [r for e in received for _, r in _results(e)] == big
    assert all(len(e.encode()) < 10_000 + 2_000 for e in received)
    assert len(received) >= 3


def test_a_result_without_a_time_zone_is_refused_at_the_boundary() -> None:
    naive = _ok(1).model_dump(mode="json") | {"finished_at": "2026-01-01T00:00:00"}
    envelope = Envelope.model_validate(
        {"type": "operation.succeeded", "org_id": uuid.uuid4(), "payload": naive}
    )
    with pytest.raises(MalformedMessage, match="finished_at"):
        envelope.open()
