"""Scheduling decisions over one run: start, apply results, retry, cancel, finish.

Every function works on a ``RunUnit`` (one locked run) and touches only the operation
runs it must: the one whose result arrived, its direct dependents, and the queued ones
that fit in the freed parallelism slots. Cost does not grow with the run's history.
Dispatching lives in ``dispatching``, settling and its ripple in ``settling``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from raikoo_common.messages import (
    ChildRunFinished,
    ErrorInfo,
    OperationFailed,
    OperationHeartbeat,
    OperationSucceeded,
    OperationUsage,
    RunRequested,
    WaitResolved,
)
from raikoo_common.storage import ArtifactStoreError
from raikoo_common.workflow.control import CONTROL_KINDS, WaitApprovalConfig
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_scheduler import dispatching, settling, waits
from raikoo_scheduler.branching import would_run
from raikoo_scheduler.domain import reuse
from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord, RunRecord
from raikoo_scheduler.domain.states import OpState, RunState
from raikoo_scheduler.leases import Leases
from raikoo_scheduler.ports import RunUnit
from raikoo_scheduler.transitions import record_reused, requeue, set_op_state, set_run_state


def new_run(request: RunRequested, org_id: uuid.UUID, plan: Plan, now: datetime) -> RunRecord:
    settings = plan.definition.settings
    return RunRecord(
        id=request.run_id,
        org_id=org_id,
        project_id=request.project_id,
        workflow_version_id=request.workflow_version_id,
        state=RunState.QUEUED,
        inputs=dict(request.inputs),
        max_parallel=settings.max_parallel,
        fail_fast=settings.fail_fast,
        ops_total=len(plan.order),
        trigger=request.trigger,
        parent_run_id=request.parent.run_id if request.parent else None,
        parent_op_run_id=request.parent.op_run_id if request.parent else None,
        call_depth=request.parent.call_depth if request.parent else 0,
        dry_run=request.dry_run,
        created_at=now,
        deadline_at=now + timedelta(seconds=settings.timeout) if settings.timeout else None,
    )


def new_ops(
    run: RunRecord, plan: Plan, now: datetime, original: Sequence[OpRecord] = ()
) -> list[OpRecord]:
    """The run's operation runs; in a retry (``original``: the failed run's), those whose
    result can be reused are settled already (``domain.reuse``)."""
    ops = [
        OpRecord(
            id=uuid.uuid4(),
            run_id=run.id,
            key=key,
            kind=plan.kind(key),
            seq=plan.seq(key),
            state=OpState.PENDING,
            needs_pending=len(plan.needs[key]),
            created_at=now,
        )
        for key in plan.order
    ]
    if not original:
        return ops
    reused = reuse.reusable(plan, original)
    for op in ops:
        source = reused.get(op.key)
        if source is not None:
            reuse.take_result(op, source)
            run.op_settled(failed=False)
            continue
        op.needs_pending = sum(need not in reused for need in plan.needs[op.key])
        op.needs_skipped = sum(
            reused[need].state == OpState.SKIPPED for need in plan.needs[op.key] if need in reused
        )
    return ops


async def start(
    unit: RunUnit,
    leases: Leases,
    *,
    cancelled: str | None = None,
    reused: Sequence[OpRecord] = (),
) -> None:
    """Begin a new run; ``cancelled``: why it was cancelled before it existed (a cancel
    overtook its request), so it ends at once, nothing dispatched. ``reused``: in a retry,
    the operation runs that took an earlier result (recorded as events of this run)."""
    if cancelled is not None:
        await cancel(unit, cancelled)
        return
    set_run_state(unit, RunState.RUNNING)
    unit.run.started_at = unit.now
    if unit.run.parent_run_id is not None and not await unit.parent_waits():
        # The parent was cancelled (or failed) before this request arrived: its cancel
        # found no run to stop, so a late child must not run on its own.
        await cancel(unit, "the workflow.call that requested this run no longer waits for it")
        return
    if reused:
        await _start_retry(unit, reused, leases)
        return
    await dispatching.fill_slots(unit, leases)


async def _start_retry(unit: RunUnit, reused: Sequence[OpRecord], leases: Leases) -> None:
    for op in reused:
        record_reused(unit, op)
    # An operation whose needs were all reused is free to go at once, unless its trigger
    # rule says no (a need reused as skipped): settle that one as the first run did.
    taken = {op.key for op in reused}
    for op in await unit.ops(key for key in unit.plan.order if key not in taken):
        if op.state == OpState.PENDING and op.needs_pending == 0 and not would_run(unit.plan, op):
            await settling.finish_op(unit, op, OpState.SKIPPED, leases)
    if unit.run.all_settled:  # only the outputs failed the first time: render them again
        await settling.complete_run(unit)
        return
    await dispatching.fill_slots(unit, leases)


async def apply_result(
    unit: RunUnit, result: OperationSucceeded | OperationFailed, leases: Leases
) -> bool:
    """Apply a runner's result once; False when it is a duplicate or arrived too late."""
    op = await unit.op(result.op_run_id)
    if op is not None and result.usage is not None:
        # Counted even from a result that is not applied: the calls of an operation
        # cancelled (or given up on) while they ran were made all the same.
        count_usage(unit, op, result.usage, result.attempt, result.execution)
    if op is None or unit.run.is_terminal or not op.is_active or op.attempt != result.attempt:
        return False
    op.started_at = op.started_at or result.started_at
    op.finished_at = result.finished_at
    unit.run.slot_freed()
    if isinstance(result, OperationSucceeded):
        project = unit.plan.project.get(unit.plan.spec(op.template).uses)
        if project is None or not project.outputs:
            op.output = result.output
        else:
            try:
                raw = await unit.resolve(result.output)  # a large output is a reference
                mapped = render_value(dict(project.outputs), {"output": raw}, where="outputs")
                op.output = await unit.offload(mapped, f"{op.key}.{op.attempt}", "mapped.json")
            except (TemplateError, ArtifactStoreError) as exc:
                error = settling.error_of(exc, op.key)
                op.error = error.model_dump()
                await settling.finish_op(unit, op, OpState.FAILED, leases, error=error)
                return True
        await settling.finish_op(unit, op, OpState.SUCCEEDED, leases)
    else:
        await settling.fail_attempt(unit, op, result.error, leases)
    return True


def count_usage(
    unit: RunUnit,
    op: OpRecord,
    usage: OperationUsage,
    attempt: int,
    execution: uuid.UUID | None,
) -> None:
    """Count what an execution of ``op`` reports it has spent, once (``OpRecord.spent``)."""
    more = op.spent(usage, attempt, execution)
    if more is not None:
        unit.run.spent(more)
        unit.touch(op)


async def heartbeat(unit: RunUnit, beat: OperationHeartbeat, leases: Leases) -> None:
    op = await unit.op(beat.op_run_id)
    if op is not None and beat.usage is not None:
        count_usage(unit, op, beat.usage, beat.attempt, beat.execution)
    if op is None or not op.is_active or op.attempt != beat.attempt or unit.run.is_terminal:
        return
    op.lease_expires_at = leases.expiry(unit.plan, op, unit.now)
    if op.state == OpState.READY:
        op.started_at = beat.started_at
        set_op_state(unit, op, OpState.RUNNING)
    unit.touch(op)


async def lease_expired(unit: RunUnit, op_run_id: uuid.UUID, attempt: int, leases: Leases) -> None:
    op = await unit.op(op_run_id)
    if op is None or not op.is_active or op.attempt != attempt or unit.run.is_terminal:
        return
    if op.lease_expires_at is None or op.lease_expires_at > unit.now:
        return
    timed_out = unit.plan.spec(op.template).timeout is not None
    error = ErrorInfo(
        kind="timeout" if timed_out else "lost",
        message=(
            f"no result within the operation's timeout (attempt {attempt})"
            if timed_out
            else f"no result or heartbeat from any runner before the lease expired "
            f"(attempt {attempt})"
        ),
        where=op.key,
    )
    await apply_result(
        unit,
        OperationFailed(op_run_id=op.id, attempt=attempt, error=error, finished_at=unit.now),
        leases,
    )


async def retry_due(unit: RunUnit, op_run_id: uuid.UUID, leases: Leases) -> None:
    """An operation's timer fell due: a retry's backoff, or a durable wait."""
    op = await unit.op(op_run_id)
    if op is not None and op.state == OpState.WAITING:
        await _wait_over(unit, op, leases)
        return
    if op is None or op.state != OpState.RETRYING or unit.run.is_terminal:
        return
    if op.next_attempt_at is not None and op.next_attempt_at > unit.now:
        return
    op.next_attempt_at = None
    requeue(unit, op)
    await dispatching.fill_slots(unit, leases)


async def cancel(unit: RunUnit, reason: str) -> None:
    if unit.run.is_terminal:
        return
    await settling.stop_unfinished(unit, OpState.CANCELLED)
    unit.run.error = ErrorInfo(kind="cancelled", message=reason, retryable=False).model_dump()
    settling.finish_run(unit, RunState.CANCELLED)


async def fail(unit: RunUnit, error: ErrorInfo) -> None:
    """End the run as failed with ``error``, stopping what is unfinished: for what the
    scheduler cannot go on with (see ``Scheduler._contain``)."""
    if unit.run.is_terminal:
        return
    await settling.stop_unfinished(unit, OpState.CANCELLED)
    unit.run.error = error.model_dump()
    settling.finish_run(unit, RunState.FAILED)


async def deadline_passed(unit: RunUnit) -> None:
    run = unit.run
    if run.is_terminal or run.deadline_at is None or run.deadline_at > unit.now:
        return
    await settling.stop_unfinished(unit, OpState.CANCELLED)
    timeout = unit.plan.definition.settings.timeout
    run.error = ErrorInfo(
        kind="timeout", message=f"the run exceeded its timeout of {timeout:g}s", retryable=False
    ).model_dump()
    settling.finish_run(unit, RunState.FAILED)


async def redispatch_active(unit: RunUnit, leases: Leases) -> None:
    """Send active operations again: after a restart of a bus that keeps nothing."""
    for op in await unit.unfinished():
        if op.is_active and op.kind not in CONTROL_KINDS:
            await dispatching.dispatch(unit, op, leases, counted=True)


async def _wait_over(unit: RunUnit, op: OpRecord, leases: Leases) -> None:
    if unit.run.is_terminal:
        return
    if op.next_attempt_at is not None and op.next_attempt_at > unit.now:
        return
    config = await dispatching.control_config(unit, op)
    if isinstance(config, ErrorInfo):
        finish = waits.Finish(OpState.FAILED, error=config)
        await settling.apply_finish(unit, op, finish, leases)
        return
    await settling.apply_finish(unit, op, waits.timer_fired(op, config, unit.now), leases)


async def wait_resolved(unit: RunUnit, decision: WaitResolved, leases: Leases) -> None:
    """Someone approved or rejected an open ``wait.approval``."""
    found = await unit.ops([decision.op_key])
    if not found or found[0].state != OpState.WAITING or found[0].kind != "wait.approval":
        return
    op = found[0]
    config = await dispatching.control_config(unit, op)
    if isinstance(config, WaitApprovalConfig):
        finish = waits.resolve(op, config, decision)
        if finish.state != OpState.WAITING:
            await settling.apply_finish(unit, op, finish, leases)


async def child_finished(unit: RunUnit, ended: ChildRunFinished, leases: Leases) -> None:
    op = await unit.op(ended.parent_op_run_id)
    if op is None or op.state != OpState.RUNNING or unit.run.is_terminal:
        return
    finish = waits.child_ended(op, ended)
    if finish is not None:
        await settling.apply_finish(unit, op, finish, leases)
