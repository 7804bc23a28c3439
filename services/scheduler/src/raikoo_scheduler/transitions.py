"""State changes of runs and operation runs, each recorded as a run event."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from raikoo_common.messages import (
    CancelOperations,
    Channel,
    ErrorInfo,
    OperationStateChanged,
    RunStateChanged,
)
from raikoo_scheduler.domain.records import OpRecord
from raikoo_scheduler.ports import RunUnit


def set_op_state(unit: RunUnit, op: OpRecord, state: str, error: ErrorInfo | None = None) -> None:
    op.state = state
    unit.run.event_seq += 1
    unit.notify(
        OperationStateChanged(
            run_id=unit.run.id,
            seq=unit.run.event_seq,
            op_run_id=op.id,
            op_key=op.key,
            state=state,
            attempt=op.attempt,
            at=unit.now,
            error=error,
        )
    )


def set_run_state(unit: RunUnit, state: str) -> None:
    run = unit.run
    run.state = state
    run.event_seq += 1
    unit.notify(
        RunStateChanged(
            run_id=run.id,
            seq=run.event_seq,
            state=state,
            at=unit.now,
            outputs=run.outputs,
            error=ErrorInfo.model_validate(run.error) if run.error else None,
        )
    )


def stop_ops(unit: RunUnit, ops: Iterable[OpRecord], state: str) -> None:
    """End unfinished operation runs as ``state``; runners are told to stop active ones."""
    running: list[uuid.UUID] = []
    for op in ops:
        if op.is_terminal:
            continue
        if op.is_active and op.loop is None:  # a loop holds no runner and no slot
            running.append(op.id)
            unit.run.active_ops -= 1
        op.finished_at = unit.now
        op.lease_expires_at = None
        op.next_attempt_at = None
        unit.run.ops_done += 1
        set_op_state(unit, op, state)
        unit.touch(op)
    if running:
        unit.send(Channel.OPS_CONTROL, CancelOperations(run_id=unit.run.id, op_run_ids=running))
