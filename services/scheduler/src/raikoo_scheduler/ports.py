"""What the scheduling engine needs from storage: a unit of work over ONE locked run."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from raikoo_common.messages import Message
from raikoo_common.workflow.schema import WorkflowDefinition
from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord, RunRecord


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
