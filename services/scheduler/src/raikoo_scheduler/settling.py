"""Settling operations and letting the outcome ripple: dependents (by their trigger rules),
untaken branches, a loop's items, retries of a failed attempt, the end of the run.

The ripple is iterative (see ``ripple``), so a long loop whose items settle without a
runner never nests deeper. It fills freed slots through ``dispatching``, which settles
what it cannot dispatch through here: the two modules call each other by module.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from raikoo_common.messages import ErrorInfo
from raikoo_common.storage import ArtifactStoreError
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_scheduler import dispatching, waits
from raikoo_scheduler.branching import untaken_targets, would_run
from raikoo_scheduler.context import outputs_context
from raikoo_scheduler.domain.records import OpRecord, instance_key
from raikoo_scheduler.domain.retry import backoff_delay, should_retry
from raikoo_scheduler.domain.states import OpState, RunState
from raikoo_scheduler.loops import LoopOutcome, body_run_finished
from raikoo_scheduler.ports import RunUnit
from raikoo_scheduler.transitions import set_op_state, set_run_state, stop_ops

if TYPE_CHECKING:
    from raikoo_scheduler.leases import Leases


async def apply_finish(unit: RunUnit, op: OpRecord, finish: waits.Finish, leases: Leases) -> None:
    op.next_attempt_at = None
    if finish.output is not None or finish.state == OpState.SUCCEEDED:
        op.output = finish.output
    if finish.error is not None and finish.error.retryable:
        await fail_attempt(unit, op, finish.error, leases)  # the retry policy decides
        return
    if finish.error is not None:
        op.error = finish.error.model_dump()
    await finish_op(unit, op, finish.state, leases, error=finish.error)


async def fail_attempt(unit: RunUnit, op: OpRecord, error: ErrorInfo, leases: Leases) -> None:
    policy = unit.plan.retry(op.template)
    op.error = error.model_dump()
    if should_retry(policy, op.attempt, error.kind, error.retryable):
        delay = backoff_delay(policy, op.attempt)
        op.next_attempt_at = unit.now + timedelta(seconds=delay)
        set_op_state(unit, op, OpState.RETRYING, error=error)
        op.attempt += 1
        unit.touch(op)
        await dispatching.fill_slots(unit, leases)
        return
    await finish_op(unit, op, OpState.FAILED, leases, error=error)


async def finish_op(
    unit: RunUnit, op: OpRecord, state: OpState, leases: Leases, error: ErrorInfo | None = None
) -> None:
    """Record a final operation state, then let it ripple."""
    settle(unit, op, state, error)
    await ripple(unit, op, leases)


async def ripple(unit: RunUnit, op: OpRecord, leases: Leases) -> None:
    """Let a settled operation's outcome reach the targets of a branch, its dependents (by
    their trigger rules) and, from a body run, its loop; then fill the freed slots.

    Filling slots can settle more operations at once (a false ``when``, a branch, an empty
    loop), whose ripples would nest a call deeper per item of a long loop. So a ripple that
    starts inside another one only queues its operation, and the outermost ripple drains
    the queue: the call depth stays constant however many operations settle in a row.
    """
    if unit.rippling is not None:
        unit.rippling.append(op)
        return
    unit.rippling = [op]
    try:
        await _drain(unit, leases)
    finally:
        unit.rippling = None


async def _drain(unit: RunUnit, leases: Leases) -> None:
    run, plan = unit.run, unit.plan
    worklist = unit.rippling
    assert worklist is not None
    items: dict[tuple[uuid.UUID, int], None] = {}
    """Loop items some of whose body operations finished: judged once the ripple inside
    them is over, so an item whose operations all end in one ripple counts once."""
    while True:
        if not worklist and items:
            (loop_id, index), _ = items.popitem()
            loop = await unit.op(loop_id)
            if loop is not None and loop.state == OpState.RUNNING:
                outcome = await body_run_finished(unit, loop, index)
                if outcome is not None:
                    end_loop(unit, loop, outcome)
                    worklist.append(loop)
            continue
        if not worklist:
            if run.all_settled:
                await complete_run(unit)
                return
            await dispatching.fill_slots(unit, leases)  # may queue operations it settled at once
            if not worklist:
                return
            continue
        done = worklist.pop()
        if done.state == OpState.FAILED and done.parent_id is None and run.fail_fast:
            await stop_unfinished(unit, OpState.CANCELLED)
            worklist.clear()
            items.clear()
            continue
        for target in untaken_targets(plan, done):
            for skipped in await unit.ops([instance_key(target, done.item_index)]):
                if skipped.state == OpState.PENDING:
                    settle(unit, skipped, OpState.SKIPPED, None)
                    worklist.append(skipped)
        dependents = [instance_key(t, done.item_index) for t in plan.dependents[done.template]]
        for dependent in await unit.ops(dependents):
            if dependent.state != OpState.PENDING:
                continue
            dependent.needs_pending -= 1
            if done.state == OpState.SKIPPED:
                dependent.needs_skipped += 1
            elif done.state != OpState.SUCCEEDED:
                dependent.needs_failed += 1
            unit.touch(dependent)
            if dependent.needs_pending == 0 and not would_run(plan, dependent):
                settle(unit, dependent, OpState.SKIPPED, None)
                worklist.append(dependent)
        if done.parent_id is not None:
            items[(done.parent_id, done.item_index or 0)] = None


def end_loop(unit: RunUnit, loop: OpRecord, outcome: LoopOutcome) -> None:
    loop.output = outcome.output
    loop.error = outcome.error
    error = None
    if outcome.state == OpState.FAILED and outcome.error is not None:
        error = ErrorInfo.model_validate(outcome.error)
    settle(unit, loop, outcome.state, error)


def settle(unit: RunUnit, op: OpRecord, state: OpState, error: ErrorInfo | None) -> None:
    run = unit.run
    op.finished_at = op.finished_at or unit.now
    op.lease_expires_at = None
    # A body run's failure is its loop's to judge (fail_fast or continue).
    counts_as_failed = state == OpState.FAILED and op.parent_id is None
    run.op_settled(failed=counts_as_failed)
    if counts_as_failed and run.error is None and error is not None:
        run.error = ErrorInfo(
            kind="operation_failed",
            message=f"operation {op.key!r} failed: [{error.kind}] {error.message}",
            where=op.key,
            retryable=False,
        ).model_dump()
    set_op_state(unit, op, state, error=error)
    unit.touch(op)


async def stop_unfinished(unit: RunUnit, state: OpState) -> None:
    stop_ops(unit, await unit.unfinished(), state)
    unit.run.slots_cleared()


async def complete_run(unit: RunUnit) -> None:
    """End a run whose operations all settled: failed, or succeeded with its outputs."""
    run = unit.run
    if run.is_terminal:
        return
    if run.ops_failed:
        finish_run(unit, RunState.FAILED)
        return
    outputs_spec = unit.plan.definition.outputs
    references = unit.plan.output_references
    try:
        context = await outputs_context(unit, references)
        outputs = render_value(outputs_spec, context, where="outputs", stored=True)
        run.outputs = await unit.offload(outputs, "run", "outputs.json")
    except (TemplateError, ArtifactStoreError) as exc:
        run.error = error_of(exc, "outputs").model_dump()
        finish_run(unit, RunState.FAILED)
        return
    finish_run(unit, RunState.SUCCEEDED)


def finish_run(unit: RunUnit, state: RunState) -> None:
    unit.run.finished_at = unit.now
    unit.run.slots_cleared()
    if state != RunState.SUCCEEDED:
        unit.run.outputs = None
    set_run_state(unit, state)
    waits.report_to_parent(unit)


def error_of(exc: Exception, where: str) -> ErrorInfo:
    """A template that cannot render, or a value the artifact store cannot give back (or
    take): the operation fails with it, never the scheduler's unit of work."""
    kind = "template" if isinstance(exc, TemplateError) else "artifact"
    return ErrorInfo(kind=kind, message=str(exc), where=where, retryable=False)
