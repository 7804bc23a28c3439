"""State changes of runs and operation runs, each checked against the transition table
(``domain.states``) and recorded as a run event."""

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
from raikoo_scheduler.domain.states import OpState, RunState, check_op_move, check_run_move
from raikoo_scheduler.ports import RunUnit


def set_op_state(
    unit: RunUnit, op: OpRecord, state: OpState, error: ErrorInfo | None = None
) -> None:
    _move(unit, op, state)
    _record(unit, op, error)


def record_reused(unit: RunUnit, op: OpRecord) -> None:
    """A retry's operation run took an earlier run's result: it is recorded in the state it
    was created in, as its event says."""
    _record(unit, op, None)


def _record(unit: RunUnit, op: OpRecord, error: ErrorInfo | None) -> None:
    unit.run.event_seq += 1
    unit.notify(
        OperationStateChanged(
            run_id=unit.run.id,
            seq=unit.run.event_seq,
            op_run_id=op.id,
            op_key=op.key,
            state=op.state,
            attempt=op.attempt,
            at=unit.now,
            error=error,
        )
    )


def requeue(unit: RunUnit, op: OpRecord) -> None:
    """A retry's backoff is over: the operation waits for a slot again. No event: it is
    dispatched (``ready``) within the same unit when a slot is free."""
    _move(unit, op, OpState.PENDING)
    unit.touch(op)


def _move(unit: RunUnit, op: OpRecord, state: OpState) -> None:
    check_op_move(op.key, op.state, state)
    unit.run.wait_moved(op.state, state)
    op.state = state


def set_run_state(unit: RunUnit, state: RunState) -> None:
    run = unit.run
    check_run_move(run.state, state)
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


def stop_ops(unit: RunUnit, ops: Iterable[OpRecord], state: OpState) -> None:
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
            unit.run.slot_freed()
        op.finished_at = unit.now
        op.lease_expires_at = None
        op.next_attempt_at = None
        unit.run.op_settled(failed=False)
        set_op_state(unit, op, state)
        unit.touch(op)
    if running:
        unit.send(Channel.OPS_CONTROL, CancelOperations(run_id=unit.run.id, op_run_ids=running))


def child_run_id(op: OpRecord) -> uuid.UUID | None:
    """The run a started ``workflow.call`` operation waits for."""
    if op.kind != "workflow.call" or op.state != OpState.RUNNING or not isinstance(op.output, dict):
        return None
    return uuid.UUID(op.output["run_id"])


def refresh_run_state(unit: RunUnit) -> None:
    """``waiting`` while only waits are open, ``running`` again once something runs."""
    run = unit.run
    if run.state not in (RunState.RUNNING, RunState.WAITING):
        return
    idle = run.waits_open > 0 and run.active_ops == 0
    wanted = RunState.WAITING if idle else RunState.RUNNING
    if run.state != wanted:
        set_run_state(unit, wanted)
