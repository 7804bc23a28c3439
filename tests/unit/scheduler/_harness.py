"""Drive the scheduling engine over the in-memory run store, as a fake cluster would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from raikoo_common.messages import (
    ErrorInfo,
    OperationFailed,
    OperationReady,
    OperationSucceeded,
    ParentRun,
    RunRequested,
)
from raikoo_common.workflow.schema import WorkflowDefinition
from raikoo_scheduler import engine
from raikoo_scheduler.adapters.memory_store import MemoryRunUnit
from raikoo_scheduler.domain.records import OpRecord
from raikoo_scheduler.leases import Leases
from raikoo_scheduler.plans import plan_for

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def definition(operations: dict[str, Any], **top: Any) -> WorkflowDefinition:
    return WorkflowDefinition.model_validate({"name": "t", "operations": operations} | top)


@dataclass
class Harness:
    unit: MemoryRunUnit
    leases: Leases = field(default_factory=Leases)
    delivered: int = 0

    @classmethod
    async def start(
        cls,
        defn: WorkflowDefinition,
        inputs: dict[str, Any] | None = None,
        *,
        defer_start: bool = False,
        parent: ParentRun | None = None,
        operations: dict[str, Any] | None = None,
        original: list[OpRecord] | None = None,
    ) -> Harness:
        """A run of ``defn``, started unless ``defer_start`` (then call ``begin``);
        ``operations``: the snapshot of project operations the version uses; ``original``:
        the operation runs of the failed run this one retries."""
        plan = plan_for(defn, operations)
        request = RunRequested(
            run_id=uuid.uuid4(),
            project_id=uuid.uuid4(),
            workflow_version_id=uuid.uuid4(),
            inputs=inputs or {},
            requested_at=T0,
            parent=parent,
        )
        run = engine.new_run(request, uuid.uuid4(), plan, T0)
        unit = MemoryRunUnit(run=run, plan=plan, now=T0)
        unit.add_ops(engine.new_ops(run, plan, T0, original or []))
        harness = cls(unit)
        if not defer_start:
            await harness.begin()
        return harness

    async def begin(self) -> None:
        reused = [op for op in self.unit.by_id.values() if op.reused_from is not None]
        await engine.start(self.unit, self.leases, reused=reused)

    def take_dispatched(self) -> list[OperationReady]:
        ready = [m for _, m in self.unit.sent if isinstance(m, OperationReady)]
        self.unit.sent = [(c, m) for c, m in self.unit.sent if not isinstance(m, OperationReady)]
        return ready

    async def succeed(self, ready: OperationReady, output: Any = None) -> bool:
        return await engine.apply_result(
            self.unit,
            OperationSucceeded(
                op_run_id=ready.op_run_id,
                attempt=ready.attempt,
                output=output,
                started_at=self.unit.now,
                finished_at=self.unit.now,
            ),
            self.leases,
        )

    async def fail(
        self, ready: OperationReady, kind: str = "error", retryable: bool = True
    ) -> bool:
        error = ErrorInfo(kind=kind, message="boom", where=ready.op_key, retryable=retryable)
        return await engine.apply_result(
            self.unit,
            OperationFailed(
                op_run_id=ready.op_run_id,
                attempt=ready.attempt,
                error=error,
                finished_at=self.unit.now,
            ),
            self.leases,
        )

    async def advance(self, seconds: float) -> None:
        self.unit.now += timedelta(seconds=seconds)
        for op in list(self.unit.by_id.values()):
            if (
                op.state in ("retrying", "waiting")
                and op.next_attempt_at
                and op.next_attempt_at <= self.unit.now
            ):
                await engine.retry_due(self.unit, op.id, self.leases)

    def state(self, key: str) -> str:
        return next(o.state for o in self.unit.by_id.values() if o.key == key)

    async def run_all(self, outputs: dict[str, Any] | None = None) -> None:
        """Succeed everything dispatched until nothing is left."""
        while batch := self.take_dispatched():
            for ready in batch:
                await self.succeed(ready, (outputs or {}).get(ready.op_key))
