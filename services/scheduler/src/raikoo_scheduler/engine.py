"""Scheduling decisions over one run: start, apply results, retry, cancel, finish.

Every function works on a ``RunUnit`` (one locked run) and touches only the operation
runs it must: the one whose result arrived, its direct dependents, and the queued ones
that fit in the freed parallelism slots. Cost does not grow with the run's history.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pydantic

from raikoo_common.messages import (
    Channel,
    ChildRunFinished,
    ErrorInfo,
    OperationFailed,
    OperationReady,
    OperationSucceeded,
    RunRequested,
    WaitResolved,
)
from raikoo_common.secrets import SecretReferences
from raikoo_common.storage import ArtifactStoreError
from raikoo_common.workflow.control import CONTROL_KINDS, WaitApprovalConfig, is_truthy
from raikoo_common.workflow.deferred import split_deferred
from raikoo_common.workflow.inputs import InputsInvalid, resolve_inputs
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_scheduler import waits
from raikoo_scheduler.branching import decide, untaken_targets, would_run
from raikoo_scheduler.context import outputs_context, template_context
from raikoo_scheduler.domain.plan import Plan, ProjectOperation
from raikoo_scheduler.domain.records import OpRecord, RunRecord, instance_key
from raikoo_scheduler.domain.retry import backoff_delay, should_retry
from raikoo_scheduler.loops import LoopOutcome, body_run_finished, start_loop
from raikoo_scheduler.ports import RunUnit
from raikoo_scheduler.transitions import (
    refresh_run_state,
    set_op_state,
    set_run_state,
    stop_ops,
)

WAIT_AND_CALL_KINDS = frozenset({"delay", "wait.until", "wait.approval", "workflow.call"})


class Leases:
    """How long a dispatched operation may go unheard before it counts as lost."""

    def __init__(self, default_seconds: float = 300.0, grace_seconds: float = 30.0) -> None:
        self.default = timedelta(seconds=default_seconds)
        self.grace = timedelta(seconds=grace_seconds)

    def expiry(self, plan: Plan, op: OpRecord, now: datetime) -> datetime:
        timeout = plan.spec(op.template).timeout
        return now + (timedelta(seconds=timeout) + self.grace if timeout else self.default)


def new_run(request: RunRequested, org_id: uuid.UUID, plan: Plan, now: datetime) -> RunRecord:
    settings = plan.definition.settings
    return RunRecord(
        id=request.run_id,
        org_id=org_id,
        project_id=request.project_id,
        workflow_version_id=request.workflow_version_id,
        state="queued",
        inputs=dict(request.inputs),
        max_parallel=settings.max_parallel,
        fail_fast=settings.fail_fast,
        ops_total=len(plan.order),
        trigger=request.trigger,
        parent_run_id=request.parent.run_id if request.parent else None,
        parent_op_run_id=request.parent.op_run_id if request.parent else None,
        call_depth=request.parent.call_depth if request.parent else 0,
        created_at=now,
        deadline_at=now + timedelta(seconds=settings.timeout) if settings.timeout else None,
    )


def new_ops(run: RunRecord, plan: Plan, now: datetime) -> list[OpRecord]:
    return [
        OpRecord(
            id=uuid.uuid4(),
            run_id=run.id,
            key=key,
            kind=plan.kind(key),
            seq=plan.seq(key),
            state="pending",
            needs_pending=len(plan.needs[key]),
            created_at=now,
        )
        for key in plan.order
    ]


async def start(unit: RunUnit, leases: Leases) -> None:
    set_run_state(unit, "running")
    unit.run.started_at = unit.now
    if unit.run.parent_run_id is not None and not await unit.parent_waits():
        # The parent was cancelled (or failed) before this request arrived: its cancel
        # found no run to stop, so a late child must not run on its own.
        await cancel(unit, "the workflow.call that requested this run no longer waits for it")
        return
    await _fill_slots(unit, leases)


async def apply_result(
    unit: RunUnit, result: OperationSucceeded | OperationFailed, leases: Leases
) -> bool:
    """Apply a runner's result once; False when it is a duplicate or arrived too late."""
    op = await unit.op(result.op_run_id)
    if op is None or unit.run.is_terminal or not op.is_active or op.attempt != result.attempt:
        return False
    op.started_at = op.started_at or result.started_at
    op.finished_at = result.finished_at
    unit.run.active_ops -= 1
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
                error = _error_of(exc, op.key)
                op.error = error.model_dump()
                await _finish_op(unit, op, "failed", leases, error=error)
                return True
        await _finish_op(unit, op, "succeeded", leases)
    else:
        await _fail_attempt(unit, op, result.error, leases)
    return True


async def heartbeat(
    unit: RunUnit, op_run_id: uuid.UUID, attempt: int, started_at: datetime, leases: Leases
) -> None:
    op = await unit.op(op_run_id)
    if op is None or not op.is_active or op.attempt != attempt or unit.run.is_terminal:
        return
    op.lease_expires_at = leases.expiry(unit.plan, op, unit.now)
    if op.state == "ready":
        op.started_at = started_at
        set_op_state(unit, op, "running")
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
    if op is not None and op.state == "waiting":
        await _wait_over(unit, op, leases)
        return
    if op is None or op.state != "retrying" or unit.run.is_terminal:
        return
    if op.next_attempt_at is not None and op.next_attempt_at > unit.now:
        return
    op.next_attempt_at = None
    op.state = "pending"
    unit.touch(op)
    await _fill_slots(unit, leases)


async def cancel(unit: RunUnit, reason: str) -> None:
    if unit.run.is_terminal:
        return
    await _stop_unfinished(unit, "cancelled")
    unit.run.error = ErrorInfo(kind="cancelled", message=reason, retryable=False).model_dump()
    _finish_run(unit, "cancelled")


async def deadline_passed(unit: RunUnit) -> None:
    run = unit.run
    if run.is_terminal or run.deadline_at is None or run.deadline_at > unit.now:
        return
    await _stop_unfinished(unit, "cancelled")
    timeout = unit.plan.definition.settings.timeout
    run.error = ErrorInfo(
        kind="timeout", message=f"the run exceeded its timeout of {timeout:g}s", retryable=False
    ).model_dump()
    _finish_run(unit, "failed")


async def redispatch_active(unit: RunUnit, leases: Leases) -> None:
    """Send active operations again: after a restart of a bus that keeps nothing."""
    for op in await unit.unfinished():
        if op.is_active and op.kind not in CONTROL_KINDS:
            await _dispatch(unit, op, leases, counted=True)


async def _wait_over(unit: RunUnit, op: OpRecord, leases: Leases) -> None:
    if unit.run.is_terminal:
        return
    if op.next_attempt_at is not None and op.next_attempt_at > unit.now:
        return
    config = await _control_config(unit, op)
    if isinstance(config, ErrorInfo):
        await _apply(unit, op, waits.Finish("failed", error=config), leases)
        return
    await _apply(unit, op, waits.timer_fired(op, config, unit.now), leases)


async def wait_resolved(unit: RunUnit, decision: WaitResolved, leases: Leases) -> None:
    """Someone approved or rejected an open ``wait.approval``."""
    found = await unit.ops([decision.op_key])
    if not found or found[0].state != "waiting" or found[0].kind != "wait.approval":
        return
    op = found[0]
    config = await _control_config(unit, op)
    if isinstance(config, WaitApprovalConfig):
        finish = waits.resolve(op, config, decision)
        if finish.state != "waiting":
            await _apply(unit, op, finish, leases)


async def child_finished(unit: RunUnit, ended: ChildRunFinished, leases: Leases) -> None:
    op = await unit.op(ended.parent_op_run_id)
    if op is None or op.state != "running" or unit.run.is_terminal:
        return
    finish = waits.child_ended(op, ended)
    if finish is not None:
        await _apply(unit, op, finish, leases)


async def _apply(unit: RunUnit, op: OpRecord, finish: waits.Finish, leases: Leases) -> None:
    op.next_attempt_at = None
    if finish.output is not None or finish.state == "succeeded":
        op.output = finish.output
    if finish.error is not None and finish.error.retryable:
        await _fail_attempt(unit, op, finish.error, leases)  # the retry policy decides
        return
    if finish.error is not None:
        op.error = finish.error.model_dump()
    await _finish_op(unit, op, finish.state, leases, error=finish.error)


async def _control_config(unit: RunUnit, op: OpRecord) -> pydantic.BaseModel | ErrorInfo:
    """A control operation's config, rendered and validated, or why it cannot be."""
    spec = unit.plan.spec(op.template)
    try:
        context = await template_context(unit, op)
        rendered, deferred = split_deferred(spec.uses, spec.with_)
        config = render_value(rendered, context, where=f"operations.{op.key}.with") | deferred
    except (TemplateError, ArtifactStoreError) as exc:
        return _error_of(exc, op.key)
    return _validated(op, config)


def _error_of(exc: Exception, where: str) -> ErrorInfo:
    """A template that cannot render, or a value the artifact store cannot give back (or
    take): the operation fails with it, never the scheduler's unit of work."""
    kind = "template" if isinstance(exc, TemplateError) else "artifact"
    return ErrorInfo(kind=kind, message=str(exc), where=where, retryable=False)


def _validated(op: OpRecord, config: dict[str, Any]) -> pydantic.BaseModel | ErrorInfo:
    try:
        model: pydantic.BaseModel = CONTROL_KINDS[op.kind].config.model_validate(config)
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(config)'}: {e['msg']}"
            for e in exc.errors(include_url=False)
        )
        return ErrorInfo(
            kind="invalid_config",
            message=f"invalid config for {op.kind}: {problems}",
            where=op.key,
            retryable=False,
        )
    return model


async def _fail_attempt(unit: RunUnit, op: OpRecord, error: ErrorInfo, leases: Leases) -> None:
    policy = unit.plan.retry(op.template)
    op.error = error.model_dump()
    if should_retry(policy, op.attempt, error.kind, error.retryable):
        delay = backoff_delay(policy, op.attempt)
        op.next_attempt_at = unit.now + timedelta(seconds=delay)
        set_op_state(unit, op, "retrying", error=error)
        op.attempt += 1
        unit.touch(op)
        await _fill_slots(unit, leases)
        return
    await _finish_op(unit, op, "failed", leases, error=error)


async def _finish_op(
    unit: RunUnit, op: OpRecord, state: str, leases: Leases, error: ErrorInfo | None = None
) -> None:
    """Record a final operation state, then let it ripple."""
    _settle(unit, op, state, error)
    await _ripple(unit, op, leases)


async def _ripple(unit: RunUnit, op: OpRecord, leases: Leases) -> None:
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
            if loop is not None and loop.state == "running":
                outcome = await body_run_finished(unit, loop, index)
                if outcome is not None:
                    _end_loop(unit, loop, outcome)
                    worklist.append(loop)
            continue
        if not worklist:
            if run.ops_done >= run.ops_total:
                await _complete(unit)
                return
            await _fill_slots(unit, leases)  # may queue operations it settled at once
            if not worklist:
                return
            continue
        done = worklist.pop()
        if done.state == "failed" and done.parent_id is None and run.fail_fast:
            await _stop_unfinished(unit, "cancelled")
            worklist.clear()
            items.clear()
            continue
        for target in untaken_targets(plan, done):
            for skipped in await unit.ops([instance_key(target, done.item_index)]):
                if skipped.state == "pending":
                    _settle(unit, skipped, "skipped", None)
                    worklist.append(skipped)
        dependents = [instance_key(t, done.item_index) for t in plan.dependents[done.template]]
        for dependent in await unit.ops(dependents):
            if dependent.state != "pending":
                continue
            dependent.needs_pending -= 1
            if done.state == "skipped":
                dependent.needs_skipped += 1
            elif done.state != "succeeded":
                dependent.needs_failed += 1
            unit.touch(dependent)
            if dependent.needs_pending == 0 and not would_run(plan, dependent):
                _settle(unit, dependent, "skipped", None)
                worklist.append(dependent)
        if done.parent_id is not None:
            items[(done.parent_id, done.item_index or 0)] = None


def _end_loop(unit: RunUnit, loop: OpRecord, outcome: LoopOutcome) -> None:
    loop.output = outcome.output
    loop.error = outcome.error
    error = None
    if outcome.state == "failed" and outcome.error is not None:
        error = ErrorInfo.model_validate(outcome.error)
    _settle(unit, loop, outcome.state, error)


def _settle(unit: RunUnit, op: OpRecord, state: str, error: ErrorInfo | None) -> None:
    run = unit.run
    op.finished_at = op.finished_at or unit.now
    op.lease_expires_at = None
    run.ops_done += 1
    # A body run's failure is its loop's to judge (fail_fast or continue).
    if state == "failed" and op.parent_id is None:
        run.ops_failed += 1
        if run.error is None and error is not None:
            run.error = ErrorInfo(
                kind="operation_failed",
                message=f"operation {op.key!r} failed: [{error.kind}] {error.message}",
                where=op.key,
                retryable=False,
            ).model_dump()
    set_op_state(unit, op, state, error=error)
    unit.touch(op)


async def _stop_unfinished(unit: RunUnit, state: str) -> None:
    stop_ops(unit, await unit.unfinished(), state)
    unit.run.active_ops = 0


async def _complete(unit: RunUnit) -> None:
    run = unit.run
    if run.is_terminal:
        return
    if run.ops_failed:
        _finish_run(unit, "failed")
        return
    outputs_spec = unit.plan.definition.outputs
    references = unit.plan.output_references
    try:
        context = await outputs_context(unit, references)
        outputs = render_value(outputs_spec, context, where="outputs")
        run.outputs = await unit.offload(outputs, "run", "outputs.json")
    except (TemplateError, ArtifactStoreError) as exc:
        run.error = _error_of(exc, "outputs").model_dump()
        _finish_run(unit, "failed")
        return
    _finish_run(unit, "succeeded")


async def _fill_slots(unit: RunUnit, leases: Leases) -> None:
    """Dispatch queued operations while slots are free. Not re-entered: a dispatch that
    asks for a fill (a loop that started) is served by the loop already running here."""
    run = unit.run
    if unit.filling:
        return
    unit.filling = True
    try:
        while not run.is_terminal:
            free = run.max_parallel - run.active_ops
            batch = await unit.queued(free) if free > 0 else []
            if not batch:
                break
            for op in batch:
                if op.state == "pending" and not run.is_terminal:
                    await _dispatch(unit, op, leases, counted=False)
    finally:
        unit.filling = False
    refresh_run_state(unit)


async def _dispatch(unit: RunUnit, op: OpRecord, leases: Leases, *, counted: bool) -> None:
    plan = unit.plan
    spec = plan.spec(op.template)
    where = f"operations.{op.key}"
    try:
        context = await template_context(unit, op)
        if spec.condition is not None:
            wanted = render_value(spec.condition, context, where=f"{where}.when")
        project = plan.project.get(spec.uses)
        if project is None:
            rendered, deferred = split_deferred(spec.uses, spec.with_)
            config = render_value(rendered, context, where=f"{where}.with") | deferred
        else:
            bound = render_value(spec.with_, context, where=f"{where}.with")
            config = _project_config(project, bound)
        if op.kind not in CONTROL_KINDS and (spec.condition is None or is_truthy(wanted)):
            config = await unit.offload(config, f"{op.key}.{op.attempt}", "config.json")
    except (TemplateError, ArtifactStoreError) as exc:
        await _fail_undispatched(unit, op, _error_of(exc, op.key), leases, counted=counted)
        return
    except InputsInvalid as exc:
        problems = "; ".join(f"{p.path}: {p.message}" for p in exc.problems)
        message = f"inputs of {spec.uses}: {problems}"
        error = ErrorInfo(kind="invalid_inputs", message=message, where=op.key, retryable=False)
        await _fail_undispatched(unit, op, error, leases, counted=counted)
        return
    if spec.condition is not None and not is_truthy(wanted):
        if counted:
            unit.run.active_ops -= 1
        await _finish_op(unit, op, "skipped", leases)
        return
    if op.kind in CONTROL_KINDS:
        if counted:
            unit.run.active_ops -= 1
        await _run_control(unit, op, config, leases)
        return
    if not counted:
        unit.run.active_ops += 1
    op.ready_at = unit.now
    op.lease_expires_at = leases.expiry(plan, op, unit.now)
    if op.state != "ready":
        set_op_state(unit, op, "ready")
    unit.touch(op)
    channel = Channel.OPS_READY_AI if op.kind.startswith("ai.") else Channel.OPS_READY_PROGRAMMATIC
    unit.send(
        channel,
        OperationReady(
            op_run_id=op.id,
            run_id=unit.run.id,
            project_id=unit.run.project_id,
            op_key=op.key,
            attempt=op.attempt,
            kind=op.kind,
            config=config,
            timeout_seconds=spec.timeout,
            deadline=unit.run.deadline_at,
        ),
    )


def _project_config(project: ProjectOperation, bound: dict[str, Any]) -> dict[str, Any]:
    """A project operation's preset config, rendered with the inputs the workflow bound."""
    inputs = resolve_inputs(project.inputs, bound)
    rendered, deferred = split_deferred(project.kind, project.config)
    scope = {"inputs": inputs, "secrets": SecretReferences()}
    config: dict[str, Any] = render_value(rendered, scope, where="config")
    return config | deferred


async def _fail_undispatched(
    unit: RunUnit, op: OpRecord, error: ErrorInfo, leases: Leases, *, counted: bool
) -> None:
    if counted:
        unit.run.active_ops -= 1
    op.error = error.model_dump()
    await _finish_op(unit, op, "failed", leases, error=error)


async def _run_control(unit: RunUnit, op: OpRecord, config: dict[str, Any], leases: Leases) -> None:
    """Evaluate a control kind here: a branch decision, a loop start, a wait, a call."""
    model = _validated(op, config)
    if isinstance(model, ErrorInfo):
        await _fail_undispatched(unit, op, model, leases, counted=False)
        return
    op.ready_at = op.started_at = unit.now
    if op.kind in WAIT_AND_CALL_KINDS:
        began = await waits.begin(unit, op, model)
        if isinstance(began, waits.Finish):
            await _apply(unit, op, began, leases)
            return
        if isinstance(began, waits.Park):
            op.next_attempt_at, op.output = began.due, began.output
            set_op_state(unit, op, "waiting")
        else:
            set_op_state(unit, op, "running")
        unit.touch(op)
        await _fill_slots(unit, leases)
        return
    decision = decide(unit.plan, op, model)
    if decision is not None:
        op.output = decision
        await _finish_op(unit, op, "succeeded", leases)
        return
    set_op_state(unit, op, "running")
    unit.touch(op)
    outcome = await start_loop(unit, op, model)
    if outcome is not None:
        _end_loop(unit, op, outcome)
        await _ripple(unit, op, leases)
    else:
        await _fill_slots(unit, leases)


def _finish_run(unit: RunUnit, state: str) -> None:
    unit.run.finished_at = unit.now
    unit.run.active_ops = 0
    if state != "succeeded":
        unit.run.outputs = None
    set_run_state(unit, state)
    waits.report_to_parent(unit)
