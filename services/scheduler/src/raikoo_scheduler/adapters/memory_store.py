"""The run store's in-memory twin: the same contract as the SQL store (``ports``), no I/O.

``MemoryRunUnit`` alone drives the engine in tests; ``MemoryRunStore`` makes units the way
the SQL store does — one run at a time, changes kept only when the unit's block ends
without an exception — so the whole scheduler service runs on it, without a database.
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from raikoo_common.bus import Bus
from raikoo_common.bus.background import BackgroundPublisher
from raikoo_common.messages import (
    Envelope,
    Message,
    OperationAttempt,
    RecordedEvent,
    RunEventsRecorded,
)
from raikoo_common.messages.outgoing import OutboxMessage
from raikoo_common.workflow.schema import WorkflowDefinition
from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord, RunRecord
from raikoo_scheduler.domain.states import OpState, RunState
from raikoo_scheduler.plans import plan_for
from raikoo_scheduler.ports import BuildRun, CalledWorkflow, Committed, Due, NewRun


@dataclass
class MemoryRunUnit:
    run: RunRecord
    plan: Plan
    now: datetime
    by_id: dict[uuid.UUID, OpRecord] = field(default_factory=dict)
    sent: list[tuple[str, Message]] = field(default_factory=list)
    events: list[Message] = field(default_factory=list)
    workflows: dict[tuple[str, int], CalledWorkflow] = field(default_factory=dict)
    rippling: list[OpRecord] | None = None
    filling: bool = False
    parent_waiting: bool = True
    store: MemoryRunStore | None = None
    """The store this unit belongs to (None: a unit on its own, driven by a test)."""
    flushed: bool = False

    async def op(self, op_run_id: uuid.UUID) -> OpRecord | None:
        return self.by_id.get(op_run_id)

    async def ops(self, keys: Iterable[str]) -> list[OpRecord]:
        wanted = set(keys)
        return [op for op in self.by_id.values() if op.key in wanted]

    async def queued(self, limit: int) -> list[OpRecord]:
        ready = [
            o for o in self.by_id.values() if o.state == OpState.PENDING and o.needs_pending == 0
        ]
        return sorted(ready, key=lambda o: (o.seq, o.item_index or 0))[:limit]

    async def children(self, parent_id: uuid.UUID) -> list[OpRecord]:
        return [op for op in self.by_id.values() if op.parent_id == parent_id]

    async def parent_waits(self) -> bool:
        if self.store is None:
            return self.parent_waiting
        return self.store.parent_waits(self.run)

    async def called_workflow(self, name: str, version: int | None) -> CalledWorkflow | None:
        workflows = self.workflows if self.store is None else self.store.workflows
        versions = [v for (n, v) in workflows if n == name]
        wanted = version if version is not None else max(versions, default=0)
        return workflows.get((name, wanted))

    async def resolve(self, value: Any) -> Any:
        return value

    async def offload(self, value: Any, op_key: str, name: str) -> Any:
        orjson.dumps(value)  # what the artifact store does first: refuse what is not JSON
        return value

    def write_items(self, op: OpRecord) -> None:
        """Records are the store here: nothing to write."""

    async def unfinished(self) -> list[OpRecord]:
        return [op for op in self.by_id.values() if not op.is_terminal]

    async def outputs(self, keys: Iterable[str]) -> dict[str, Any]:
        wanted = set(keys)
        return {
            o.key: o.output
            for o in self.by_id.values()
            if o.key in wanted and o.state == OpState.SUCCEEDED
        }

    def add_ops(self, ops: Iterable[OpRecord]) -> None:
        for op in ops:
            self.by_id[op.id] = op

    def touch(self, op: OpRecord) -> None:
        """Records are the store here: nothing to write."""

    def send(self, channel: str, message: Message) -> None:
        self.sent.append((channel, message))

    def notify(self, message: Message) -> None:
        self.events.append(message)

    async def flush(self) -> Committed:
        """What the commit publishes: this unit's messages and events (kept in memory by
        the store, which a restart loses: messages are not ``stored``)."""
        run = self.run
        run.version += 1
        self.flushed = True

        def wrap(message: Message) -> Envelope:
            return Envelope.wrap(message, org_id=run.org_id, run_id=run.id, correlation_id=run.id)

        committed = Committed(
            outbox=[
                OutboxMessage(envelope.id, channel, envelope, stored=False)
                for channel, envelope in ((ch, wrap(m)) for ch, m in self.sent)
            ]
        )
        if self.events:
            recorded = [
                RecordedEvent(
                    seq=getattr(note, "seq", 0),
                    type=note.TYPE,
                    data=note.model_dump(mode="json"),
                )
                for note in self.events
            ]
            committed.events = wrap(RunEventsRecorded(run_id=run.id, events=recorded))
        return committed


@dataclass
class _Version:
    plan: Plan
    project_id: uuid.UUID
    name: str
    version: int
    definition: WorkflowDefinition


class MemoryRunStore:
    """Runs in dictionaries. Units of one run are serialised (the SQL store's row lock);
    a unit works on copies, kept only if its block ends without an exception."""

    def __init__(self) -> None:
        self.runs: dict[uuid.UUID, tuple[RunRecord, dict[uuid.UUID, OpRecord]]] = {}
        self.events: dict[uuid.UUID, list[Message]] = defaultdict(list)
        """Every committed run event, by run: what the SQL store keeps in run_events."""
        self.versions: dict[uuid.UUID, _Version] = {}
        self.workflows: dict[tuple[str, int], CalledWorkflow] = {}
        self.early_cancels: dict[uuid.UUID, tuple[uuid.UUID, str]] = {}
        self._locks: dict[uuid.UUID, asyncio.Lock] = defaultdict(asyncio.Lock)

    def add_version(
        self,
        definition: WorkflowDefinition,
        *,
        project_id: uuid.UUID,
        version: int = 1,
        operations: dict[str, Any] | None = None,
        ai_objects: dict[str, Any] | None = None,
    ) -> uuid.UUID:
        """Store a workflow version (what the gateway does); returns its id."""
        version_id = uuid.uuid4()
        plan = plan_for(definition, operations, ai_objects)
        self.versions[version_id] = _Version(plan, project_id, definition.name, version, definition)
        self.workflows[(definition.name, version)] = CalledWorkflow(
            version_id, definition.name, version, definition
        )
        return version_id

    @asynccontextmanager
    async def unit(
        self, run_id: uuid.UUID, now: datetime, *, optimistic: bool = True
    ) -> AsyncIterator[MemoryRunUnit | None]:
        async with self._locks[run_id]:
            stored = self.runs.get(run_id)
            if stored is None:
                yield None
                return
            run, ops = copy.deepcopy(stored)
            unit = self._unit(run, ops, now)
            yield unit
            self._keep(unit)

    @asynccontextmanager
    async def new_unit(
        self,
        run_id: uuid.UUID,
        org_id: uuid.UUID,
        version_id: uuid.UUID,
        now: datetime,
        build: BuildRun,
    ) -> AsyncIterator[NewRun | None]:
        async with self._locks[run_id]:
            if run_id in self.runs:
                yield None
                return
            found = self.versions.get(version_id)
            if found is None:
                raise LookupError(f"workflow version {version_id} does not exist")
            run, ops = build(found.plan)
            unit = self._unit(run, {op.id: op for op in ops}, now)
            early = self.early_cancels.get(run_id)
            cancelled = early[1] if early is not None and early[0] == org_id else None
            yield NewRun(unit, cancelled)
            self.early_cancels.pop(run_id, None)
            self._keep(unit)

    async def cancel_unstarted(
        self, run_id: uuid.UUID, org_id: uuid.UUID, reason: str, now: datetime
    ) -> bool:
        async with self._locks[run_id]:
            if run_id in self.runs:
                return False
            self.early_cancels[run_id] = (org_id, reason)
            return True

    async def reusable_ops(self, run_id: uuid.UUID, org_id: uuid.UUID) -> list[OpRecord]:
        stored = self.runs.get(run_id)
        if stored is None or stored[0].org_id != org_id or not stored[0].is_terminal:
            return []
        return [copy.deepcopy(op) for op in stored[1].values() if op.parent_id is None]

    async def due(self, now: datetime) -> Sequence[Due]:
        due: list[Due] = []
        for run, ops in self.runs.values():
            if run.is_terminal:
                continue
            if run.deadline_at is not None and run.deadline_at <= now:
                due.append(("deadline", run.id, None))
            for op in ops.values():
                waits = op.state in (OpState.RETRYING, OpState.WAITING)
                if waits and op.next_attempt_at is not None and op.next_attempt_at <= now:
                    due.append(("retry", run.id, op.id))
                elif op.is_active and op.lease_expires_at and op.lease_expires_at <= now:
                    due.append(("lease", run.id, (op.id, op.attempt)))
        return due

    async def active_runs(self) -> list[uuid.UUID]:
        return [
            run.id
            for run, _ in self.runs.values()
            if run.state in (RunState.RUNNING, RunState.WAITING)
        ]

    async def stale_attempts(
        self, org_id: uuid.UUID, items: Sequence[OperationAttempt]
    ) -> set[uuid.UUID]:
        stale = set()
        for item in items:
            stored = self.runs.get(item.run_id)
            op = stored[1].get(item.op_run_id) if stored is not None else None
            if (
                stored is None
                or op is None
                or stored[0].org_id != org_id
                or stored[0].is_terminal
                or not op.is_active
                or op.attempt != item.attempt
            ):
                stale.add(item.op_run_id)
        return stale

    async def close(self) -> None:
        """Nothing to release."""

    def parent_waits(self, run: RunRecord) -> bool:
        parent = self.runs.get(run.parent_run_id) if run.parent_run_id else None
        op = parent[1].get(run.parent_op_run_id) if parent and run.parent_op_run_id else None
        return bool(
            op is not None
            and op.state == OpState.RUNNING
            and isinstance(op.output, dict)
            and op.output.get("run_id") == str(run.id)
        )

    def _unit(self, run: RunRecord, ops: dict[uuid.UUID, OpRecord], now: datetime) -> MemoryRunUnit:
        plan = self.versions[run.workflow_version_id].plan
        return MemoryRunUnit(run=run, plan=plan, now=now, by_id=ops, store=self)

    def _keep(self, unit: MemoryRunUnit) -> None:
        if unit.flushed:
            self.runs[unit.run.id] = (unit.run, unit.by_id)
            self.events[unit.run.id].extend(unit.events)


class MemoryOutbox:
    """The outbox of a store that keeps nothing: publishes after the commit, in order, in
    the background (what ``OutboxRelay.publish_soon`` does, without rows)."""

    def __init__(self, bus: Bus) -> None:
        self._publisher: BackgroundPublisher[OutboxMessage] = BackgroundPublisher(
            self._publish, name="memory-outbox", on_failure="messages not published"
        )
        self._bus = bus

    async def _publish(self, messages: list[OutboxMessage]) -> None:
        await self._bus.publish_many([(m.channel, m.envelope) for m in messages])

    def publish_soon(self, messages: Sequence[OutboxMessage]) -> None:
        self._publisher.add(messages)

    @property
    def is_idle(self) -> bool:
        return self._publisher.is_idle

    async def start(self) -> None:
        self._publisher.start()

    async def stop(self) -> None:
        await self._publisher.stop()
