"""State changes of runs and operation runs, each recorded as a run event."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from raikoo_common.messages import (
    CancelOperations,
    Channel,
    ErrorInfo,
    OperationStateChanged,
    RunCancelRequested,
    RunStateChanged,
)
from raikoo_scheduler.domain.records import OpRecord
from raikoo_scheduler.ports import RunUnit


def set_op_state(unit: RunUnit, op: OpRecord, state: str, error: ErrorInfo | None = None) -> None:
    unit.run.waits_open += (state == "waiting") - (op.state == "waiting")
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
        child = child_run_id(op)
        if child is not None:
            reason = f"its parent operation {op.key!r} (run {unit.run.id}) was {state}"
            unit.send(Channel.RUNS_REQUESTED, RunCancelRequested(run_id=child, reason=reason))
        elif op.is_active and op.loop is None:  # loops and calls hold no runner, no slot
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


def child_run_id(op: OpRecord) -> uuid.UUID | None:
    """The run a started ``workflow.call`` operation waits for."""
    if op.kind != "workflow.call" or op.state != "running" or not isinstance(op.output, dict):
        return None
    return uuid.UUID(op.output["run_id"])


def refresh_run_state(unit: RunUnit) -> None:
    """``waiting`` while only waits are open, ``running`` again once something runs."""
    run = unit.run
    if run.state not in ("running", "waiting"):
        return
    wanted = "waiting" if run.waits_open > 0 and run.active_ops == 0 else "running"
    if run.state != wanted:
        set_run_state(unit, wanted)
