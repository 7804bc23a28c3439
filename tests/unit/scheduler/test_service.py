"""The scheduler service on its in-memory twins (run store, bus, outbox, clock): no run is
ever stuck, whatever the workflows, their template results, the runners and the faults."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raikoo_common.bus import InMemoryBus, Subscription
from raikoo_common.messages import (
    Channel,
    Envelope,
    ErrorInfo,
    OperationFailed,
    OperationReady,
    OperationSucceeded,
    RunCancelRequested,
    RunRequested,
)
from raikoo_common.workflow.schema import WorkflowDefinition
from raikoo_scheduler.adapters.memory_store import MemoryOutbox, MemoryRunStore, MemoryRunUnit
from raikoo_scheduler.domain.states import OpState, RunState
from raikoo_scheduler.handlers import subscriptions
from raikoo_scheduler.leases import Leases
from raikoo_scheduler.service import Scheduler

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PROJECT = uuid.uuid4()


class FaultyStore(MemoryRunStore):
    """The memory store, failing units on demand: ``transient`` units of any run fail with
    a connection error (a retry cures it); every unit of the runs in ``buggy`` fails with
    a TypeError (a bug: no retry cures it), but the one that fails the run for it."""

    def __init__(self) -> None:
        super().__init__()
        self.transient = 0
        self.buggy: set[uuid.UUID] = set()

    @asynccontextmanager
    async def unit(
        self, run_id: uuid.UUID, now: datetime, *, optimistic: bool = True
    ) -> AsyncIterator[MemoryRunUnit | None]:
        async with super().unit(run_id, now, optimistic=optimistic) as unit:
            yield unit
            if unit is not None and unit.flushed:
                self._fault(unit)

    def _fault(self, unit: MemoryRunUnit) -> None:
        if self.transient > 0:
            self.transient -= 1
            raise ConnectionError("the database went away")
        contained = (unit.run.error or {}).get("kind") == "internal"
        if unit.run.id in self.buggy and not contained:
            raise TypeError("a bug in the scheduler")


@dataclass
class Cluster:
    """A scheduler with a runner the test drives: dispatches wait in ``dispatched`` until
    the test answers them (or drops them, as a runner that died)."""

    store: FaultyStore
    bus: InMemoryBus
    outbox: MemoryOutbox
    scheduler: Scheduler
    now: list[datetime] = field(default_factory=lambda: [T0])
    dispatched: list[Envelope] = field(default_factory=list)
    org: uuid.UUID = field(default_factory=uuid.uuid4)

    async def take(self, envelope: Envelope) -> None:
        self.dispatched.append(envelope)

    async def settle(self) -> None:
        """Until every queue, handler, mailbox and publisher is quiet."""
        quiet = 0
        for _ in range(100_000):
            await asyncio.sleep(0)
            if (
                self.bus.is_quiet
                and self.scheduler.mailbox.is_idle
                and self.outbox.is_idle
                and self.scheduler.events.is_idle
            ):
                quiet += 1
                if quiet >= 5:
                    return
            else:
                quiet = 0
        raise AssertionError("the cluster never went quiet")

    async def request(
        self, definition: WorkflowDefinition, *, cancel_first: bool = False
    ) -> uuid.UUID:
        version = self.store.add_version(definition, project_id=PROJECT)
        run_id = uuid.uuid4()
        request = RunRequested(
            run_id=run_id,
            project_id=PROJECT,
            workflow_version_id=version,
            requested_at=self.now[0],
        )
        messages = [Envelope.wrap(request, org_id=self.org, run_id=run_id)]
        if cancel_first:
            cancel = RunCancelRequested(run_id=run_id, reason="changed my mind")
            messages.insert(0, Envelope.wrap(cancel, org_id=self.org, run_id=run_id))
        for envelope in messages:
            await self.bus.publish(Channel.RUNS_REQUESTED, envelope)
            await self.settle()
        return run_id

    async def cancel(self, run_id: uuid.UUID) -> None:
        cancel = RunCancelRequested(run_id=run_id, reason="stop")
        await self.bus.publish(Channel.RUNS_REQUESTED, Envelope.wrap(cancel, org_id=self.org))

    async def answer(self, envelope: Envelope, outcome: str) -> None:
        ready = envelope.open()
        assert isinstance(ready, OperationReady)
        now = self.now[0]
        result: OperationSucceeded | OperationFailed
        if outcome == "succeed":
            result = OperationSucceeded(
                op_run_id=ready.op_run_id,
                attempt=ready.attempt,
                output={"echo": ready.config},
                started_at=now,
                finished_at=now,
            )
        else:
            error = ErrorInfo(kind="error", message="boom", retryable=outcome == "fail")
            result = OperationFailed(
                op_run_id=ready.op_run_id, attempt=ready.attempt, error=error, finished_at=now
            )
        wrapped = Envelope.wrap(result, org_id=envelope.org_id, run_id=ready.run_id)
        await self.bus.publish(Channel.OPS_FINISHED, wrapped)

    async def advance(self, seconds: float) -> None:
        self.now[0] += timedelta(seconds=seconds)
        await asyncio.gather(*await self.scheduler.tick())
        await self.settle()

    def run_state(self, run_id: uuid.UUID) -> RunState | None:
        stored = self.store.runs.get(run_id)
        return stored[0].state if stored else None


@asynccontextmanager
async def cluster() -> AsyncIterator[Cluster]:
    store = FaultyStore()
    bus = InMemoryBus(redelivery_backoff=0, dead_letter_retry_delay=0)
    outbox = MemoryOutbox(bus)
    now = [T0]
    scheduler = Scheduler(
        store, outbox, bus, Leases(60, 5), tick_seconds=None, clock=lambda: now[0]
    )
    made = Cluster(store, bus, outbox, scheduler, now=now)
    for subscription in subscriptions(scheduler, concurrency=8, max_deliveries=3):
        bus.subscribe(subscription)
    bus.subscribe(Subscription(Channel.OPS_READY_PROGRAMMATIC, made.take, concurrency=4))
    await bus.start()
    await scheduler.start()
    try:
        yield made
    finally:
        await scheduler.stop()
        await bus.stop(timeout=1)


def workflow(operations: dict[str, Any], **top: Any) -> WorkflowDefinition:
    return WorkflowDefinition.model_validate({"name": "w", "operations": operations} | top)


async def test_a_cancel_that_overtakes_its_run_still_cancels_it() -> None:
    async with cluster() as c:
        run_id = await c.request(workflow({"a": {"uses": "noop"}}), cancel_first=True)
        assert c.run_state(run_id) == RunState.CANCELLED
        assert not c.dispatched  # nothing of it ever reached a runner
        run = c.store.runs[run_id][0]
        assert run.error is not None
        assert run.error["message"] == "changed my mind"


async def test_a_command_no_retry_can_apply_fails_its_run_naming_why() -> None:
    async with cluster() as c:
        run_id = await c.request(workflow({"a": {"uses": "noop"}, "b": {"uses": "noop"}}))
        c.store.buggy.add(run_id)
        await c.answer(c.dispatched.pop(0), "succeed")
        await c.settle()
        assert c.run_state(run_id) == RunState.FAILED
        error = c.store.runs[run_id][0].error
        assert error is not None
        assert error["kind"] == "internal"
        assert "TypeError: a bug in the scheduler" in error["message"]
        assert {op.state for op in c.store.runs[run_id][1].values()} == {OpState.CANCELLED}


async def test_a_transient_fault_is_retried_and_applied_once() -> None:
    async with cluster() as c:
        run_id = await c.request(workflow({"a": {"uses": "noop"}}))
        c.store.transient = 2
        await c.answer(c.dispatched.pop(0), "succeed")
        await c.settle()
        assert c.run_state(run_id) == RunState.SUCCEEDED


async def test_a_template_result_that_is_not_json_fails_only_its_operation() -> None:
    async with cluster() as c:
        run_id = await c.request(
            workflow(
                {
                    "fine": {"uses": "noop", "with": {"v": "{{ 1 + 1 }}"}},
                    "odd": {"uses": "noop", "with": {"v": "{{ now() - now() }}"}},
                }
            )
        )
        await c.answer(c.dispatched.pop(0), "succeed")
        await c.settle()
        assert c.run_state(run_id) == RunState.FAILED
        ops = {op.key: op for op in c.store.runs[run_id][1].values()}
        assert ops["fine"].state == OpState.SUCCEEDED
        assert ops["odd"].state == OpState.FAILED
        assert ops["odd"].error is not None
        assert "with" in ops["odd"].error["message"]


# --- every run ends, whatever happens ----------------------------------------------------

VALUES = [
    "plain text",
    "{{ inputs.x | default(1) }}",
    "{{ run.id }}",
    "{{ now() - now() }}",
    "{{ now().tzinfo }}",
    "{{ 'a'.encode() }}",
    "{{ self }}",
    "{{ no_such_name }}",
    "{{ range(3) | list }}",
]


@st.composite
def definitions(draw: st.DrawFn) -> WorkflowDefinition:
    size = draw(st.integers(1, 8))
    operations: dict[str, Any] = {}
    for i in range(size):
        needs: list[int] = []
        if i:
            needs = draw(st.lists(st.integers(0, i - 1), max_size=2, unique=True))
        spec: dict[str, Any] = {
            "uses": "noop",
            "needs": [f"op{j}" for j in needs],
            "with": {"v": draw(st.sampled_from(VALUES))},
            "retry": {"max_attempts": draw(st.integers(1, 3)), "backoff": "1s"},
        }
        reads_upstream = draw(st.booleans())
        if needs and reads_upstream:
            spec["with"]["up"] = f"{{{{ ops.op{needs[0]}.output }}}}"
        if draw(st.integers(0, 5)) == 0:
            spec["when"] = draw(st.sampled_from(["{{ true }}", "{{ false }}", "{{ nope.x }}"]))
        if draw(st.integers(0, 5)) == 0:
            spec = {
                "uses": "foreach",
                "needs": spec["needs"],
                "with": {"items": [1, 2, 3], "max_parallel": 2},
                "do": {"uses": "noop", "with": {"v": draw(st.sampled_from(VALUES))}},
            }
        operations[f"op{i}"] = spec
    timeout = draw(st.sampled_from([None, "10m"]))
    return workflow(
        operations,
        settings={"max_parallel": draw(st.integers(1, 4))}
        | ({"timeout": timeout} if timeout else {}),
    )


ACTIONS = ["succeed", "succeed", "succeed", "fail", "fail_for_good", "drop", "duplicate"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(definitions(), min_size=1, max_size=4), st.randoms(use_true_random=False))
async def test_every_run_ends_whatever_the_results_faults_and_cancels(
    workflows: list[WorkflowDefinition], rng: random.Random
) -> None:
    async with cluster() as c:
        runs = [
            await c.request(definition, cancel_first=rng.random() < 0.1) for definition in workflows
        ]
        for _ in range(200):
            if all(
                c.run_state(r) in (RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED)
                for r in runs
            ):
                break
            roll = rng.random()
            if roll < 0.05:
                await c.cancel(rng.choice(runs))
            elif roll < 0.15:
                c.store.transient = 1
            elif roll < 0.25:
                c.store.buggy.add(rng.choice(runs))
            if c.dispatched:
                envelope = c.dispatched.pop(rng.randrange(len(c.dispatched)))
                action = rng.choice(ACTIONS)
                if action == "duplicate":
                    await c.answer(envelope, "succeed")
                    await c.answer(envelope, "succeed")
                elif action != "drop":  # a dropped dispatch: its runner died holding it
                    await c.answer(envelope, action)
                await c.settle()
            else:
                await c.advance(rng.choice([1, 30, 90]))
        # Whatever is left: runners answer everything, time passes past every lease,
        # backoff and deadline — until every run has ended and stayed ended, with nothing
        # dispatched, through three steps of time (35 minutes) past the last change.
        quiet = 0
        for _ in range(100):
            while c.dispatched:
                await c.answer(c.dispatched.pop(0), "succeed")
                await c.settle()
            await c.advance(700)
            ended = all(
                c.run_state(r) in (RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED)
                for r in runs
            )
            quiet = quiet + 1 if ended and not c.dispatched else 0
            if quiet == 3:
                break
        states = {r: c.run_state(r) for r in runs}
        stuck = {
            r: s
            for r, s in states.items()
            if s not in (RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED)
        }
        assert not stuck, f"runs that never ended: {stuck}"
        for run_id in runs:
            run, ops = c.store.runs[run_id]
            assert run.active_ops == 0
            assert all(op.is_terminal for op in ops.values()), [
                (op.key, op.state) for op in ops.values() if not op.is_terminal
            ]
