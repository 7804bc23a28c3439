"""What the scheduler needs from storage: units of work over ONE run (``RunUnit``), made
by a ``RunStore``. Two stores keep this contract: SQL (``adapters.sql_store``) and memory
(``adapters.memory_store``), so the scheduler service runs — and is tested — on either.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from raikoo_common.messages import Envelope, Message, OperationAttempt
from raikoo_common.messages.outgoing import OutboxMessage
from raikoo_common.workflow.schema import WorkflowDefinition
from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord, RunRecord


class StaleRun(Exception):
    """Another writer changed the run since this unit read it; nothing was written."""

    def __init__(self, run_id: uuid.UUID, read_version: int) -> None:
        super().__init__(
            f"run {run_id} changed since this scheduler read it (version {read_version})"
        )
        self.run_id = run_id


@dataclass
class Committed:
    """What to publish after the commit: outbox messages (durable) and run events."""

    outbox: list[OutboxMessage] = field(default_factory=list)
    events: Envelope | None = None
    """One RunEventsRecorded with every event of the commit, or None."""


@dataclass(frozen=True)
class CalledWorkflow:
    version_id: uuid.UUID
    name: str
    version: int
    definition: WorkflowDefinition


class RunUnit(Protocol):
    @property
    def run(self) -> RunRecord: ...

    plan: Plan
    now: datetime
    rippling: list[OpRecord] | None
    """Settled operations the outermost ripple still has to propagate (engine bookkeeping)."""
    filling: bool
    """Whether the engine is dispatching queued operations right now (engine bookkeeping)."""

    async def op(self, op_run_id: uuid.UUID) -> OpRecord | None: ...

    async def ops(self, keys: Iterable[str]) -> list[OpRecord]:
        """The named operation runs; reads only those rows."""

    async def queued(self, limit: int) -> list[OpRecord]:
        """Pending operation runs whose needs are all met, in plan order."""

    async def unfinished(self) -> list[OpRecord]: ...

    async def children(self, parent_id: uuid.UUID) -> list[OpRecord]:
        """A loop's body runs, in no particular order."""

    async def parent_waits(self) -> bool:
        """Whether this child run's ``workflow.call`` operation still waits for it."""

    async def called_workflow(self, name: str, version: int | None) -> CalledWorkflow | None:
        """A workflow version of the run's own project; the latest when ``version`` is None."""

    async def resolve(self, value: Any) -> Any:
        """What a value stands for when it is a JSON artifact reference (claim check)."""

    async def offload(self, value: Any, op_key: str, name: str) -> Any:
        """``value``, or a reference to it in the artifact store when it is large."""

    def write_items(self, op: OpRecord) -> None:
        """Store a loop's ``items`` (once, when it starts) besides its other changes."""

    async def outputs(self, keys: Iterable[str]) -> dict[str, Any]: ...

    def add_ops(self, ops: Iterable[OpRecord]) -> None: ...

    def touch(self, op: OpRecord) -> None:
        """Mark an operation run changed, to be written at commit."""

    def send(self, channel: str, message: Message) -> None:
        """Queue a command for runners; durable with the state change (outbox)."""

    def notify(self, message: Message) -> None:
        """Record a run event (stored with the change, broadcast after commit)."""

    async def flush(self) -> Committed:
        """Write the unit (raises ``StaleRun``, writing nothing, if another writer changed
        the run since it was read)."""


BuildRun = Callable[[Plan], tuple[RunRecord, list[OpRecord]]]
Due = tuple[str, uuid.UUID, Any]
"""A timer that fell due: (what, run_id, detail) for retries, leases and deadlines."""


@dataclass(frozen=True)
class NewRun:
    unit: RunUnit
    cancelled: str | None = None
    """Why the run was cancelled before it existed (a cancel overtook its request)."""


class RunStore(Protocol):
    def unit(
        self, run_id: uuid.UUID, now: datetime, *, optimistic: bool = True
    ) -> AbstractAsyncContextManager[RunUnit | None]:
        """A unit of work over an existing run, or None if there is no such run. Leaving
        the block without an exception keeps what ``flush`` wrote; with one, nothing."""

    def new_unit(
        self,
        run_id: uuid.UUID,
        org_id: uuid.UUID,
        version_id: uuid.UUID,
        now: datetime,
        build: BuildRun,
    ) -> AbstractAsyncContextManager[NewRun | None]:
        """A unit creating a run; None when it exists already (a duplicate request).
        Raises ``LookupError`` for an unknown workflow version."""

    async def cancel_unstarted(
        self, run_id: uuid.UUID, org_id: uuid.UUID, reason: str, now: datetime
    ) -> bool:
        """Remember that ``run_id`` was cancelled before it exists, for ``new_unit`` to
        find; False when it exists by now (apply the cancel to it instead)."""

    async def reusable_ops(self, run_id: uuid.UUID, org_id: uuid.UUID) -> list[OpRecord]:
        """The workflow's own operation runs (not loop body runs) of a finished run of
        ``org_id``, for a retry of it to reuse; empty when there is no such run."""

    async def due(self, now: datetime) -> Sequence[Due]: ...

    async def active_runs(self) -> list[uuid.UUID]:
        """Runs that are running or waiting."""

    async def stale_attempts(
        self, org_id: uuid.UUID, items: Sequence[OperationAttempt]
    ) -> set[uuid.UUID]:
        """Which of these dispatched attempts must not run any more."""

    async def close(self) -> None: ...


class Outbox(Protocol):
    """Sends what units committed (``raikoo_common.outbox.OutboxRelay``, or memory's)."""

    def publish_soon(self, messages: Sequence[OutboxMessage]) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
