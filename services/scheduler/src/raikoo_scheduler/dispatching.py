"""Dispatching: fill free parallelism slots with queued operations, render each one's config
with exactly the outputs it reads, and send it to a runner — or decide a control kind here
(a branch, a loop start, a wait, a call) — failing it when its config cannot be made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pydantic

from raikoo_common.messages import Channel, ErrorInfo, OperationReady
from raikoo_common.secrets import SecretReferences
from raikoo_common.storage import ArtifactStoreError
from raikoo_common.workflow.ai_objects import AI_KINDS, ObjectNotPinned, inline
from raikoo_common.workflow.control import CONTROL_KINDS, is_truthy
from raikoo_common.workflow.deferred import split_deferred
from raikoo_common.workflow.inputs import InputsInvalid, resolve_inputs
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_scheduler import settling, waits
from raikoo_scheduler.branching import decide
from raikoo_scheduler.context import template_context
from raikoo_scheduler.domain.plan import ProjectOperation
from raikoo_scheduler.domain.records import OpRecord
from raikoo_scheduler.domain.states import OpState
from raikoo_scheduler.loops import start_loop
from raikoo_scheduler.ports import RunUnit
from raikoo_scheduler.transitions import refresh_run_state, set_op_state

if TYPE_CHECKING:
    from raikoo_scheduler.leases import Leases


WAIT_AND_CALL_KINDS = frozenset({"delay", "wait.until", "wait.approval", "workflow.call"})


async def fill_slots(unit: RunUnit, leases: Leases) -> None:
    """Dispatch queued operations while slots are free. Not re-entered: a dispatch that
    asks for a fill (a loop that started) is served by the loop already running here."""
    run = unit.run
    if unit.filling:
        return
    unit.filling = True
    try:
        while not run.is_terminal:
            free = run.free_slots
            batch = await unit.queued(free) if free > 0 else []
            if not batch:
                break
            for op in batch:
                if op.state == OpState.PENDING and not run.is_terminal:
                    await dispatch(unit, op, leases, counted=False)
    finally:
        unit.filling = False
    refresh_run_state(unit)


async def dispatch(unit: RunUnit, op: OpRecord, leases: Leases, *, counted: bool) -> None:
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
        if plan.ai_objects and op.kind in AI_KINDS:
            config = inline(
                op.kind,
                config,
                plan.ai_objects,
                lambda value, at: render_value(value, context, where=at),
            )
        if op.kind not in CONTROL_KINDS and (spec.condition is None or is_truthy(wanted)):
            config = await unit.offload(config, f"{op.key}.{op.attempt}", "config.json")
    except (TemplateError, ArtifactStoreError) as exc:
        await fail_undispatched(unit, op, settling.error_of(exc, op.key), leases, counted=counted)
        return
    except ObjectNotPinned as exc:
        error = ErrorInfo(kind="invalid_config", message=str(exc), where=op.key, retryable=False)
        await fail_undispatched(unit, op, error, leases, counted=counted)
        return
    except InputsInvalid as exc:
        problems = "; ".join(f"{p.path}: {p.message}" for p in exc.problems)
        message = f"inputs of {spec.uses}: {problems}"
        error = ErrorInfo(kind="invalid_inputs", message=message, where=op.key, retryable=False)
        await fail_undispatched(unit, op, error, leases, counted=counted)
        return
    except (TypeError, ValueError) as exc:
        # A value that is not JSON data reached the config (the templates refuse those;
        # this keeps any other path from failing the whole unit of work).
        message = f"{where}.with is not JSON data: {type(exc).__name__}: {exc}"
        error = ErrorInfo(kind="invalid_output", message=message, where=op.key, retryable=False)
        await fail_undispatched(unit, op, error, leases, counted=counted)
        return
    if spec.condition is not None and not is_truthy(wanted):
        if counted:
            unit.run.slot_freed()
        await settling.finish_op(unit, op, OpState.SKIPPED, leases)
        return
    if op.kind in CONTROL_KINDS:
        if counted:
            unit.run.slot_freed()
        await run_control(unit, op, config, leases)
        return
    if not counted:
        unit.run.slot_taken()
    op.ready_at = unit.now
    op.lease_expires_at = leases.expiry(plan, op, unit.now)
    if op.state != OpState.READY:
        set_op_state(unit, op, OpState.READY)
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
            dry_run=unit.run.dry_run,
        ),
    )


def _project_config(project: ProjectOperation, bound: dict[str, Any]) -> dict[str, Any]:
    """A project operation's preset config, rendered with the inputs the workflow bound."""
    inputs = resolve_inputs(project.inputs, bound)
    rendered, deferred = split_deferred(project.kind, project.config)
    scope = {"inputs": inputs, "secrets": SecretReferences()}
    config: dict[str, Any] = render_value(rendered, scope, where="config")
    return config | deferred


async def fail_undispatched(
    unit: RunUnit, op: OpRecord, error: ErrorInfo, leases: Leases, *, counted: bool
) -> None:
    if counted:
        unit.run.slot_freed()
    op.error = error.model_dump()
    await settling.finish_op(unit, op, OpState.FAILED, leases, error=error)


async def run_control(unit: RunUnit, op: OpRecord, config: dict[str, Any], leases: Leases) -> None:
    """Evaluate a control kind here: a branch decision, a loop start, a wait, a call."""
    model = validated(op, config)
    if isinstance(model, ErrorInfo):
        await fail_undispatched(unit, op, model, leases, counted=False)
        return
    op.ready_at = op.started_at = unit.now
    if op.kind in WAIT_AND_CALL_KINDS:
        began = await waits.begin(unit, op, model)
        if isinstance(began, waits.Finish):
            await settling.apply_finish(unit, op, began, leases)
            return
        if isinstance(began, waits.Park):
            op.next_attempt_at, op.output = began.due, began.output
            set_op_state(unit, op, OpState.WAITING)
        else:
            set_op_state(unit, op, OpState.RUNNING)
        unit.touch(op)
        await fill_slots(unit, leases)
        return
    decision = decide(unit.plan, op, model)
    if decision is not None:
        op.output = decision
        await settling.finish_op(unit, op, OpState.SUCCEEDED, leases)
        return
    set_op_state(unit, op, OpState.RUNNING)
    unit.touch(op)
    outcome = await start_loop(unit, op, model)
    if outcome is not None:
        settling.end_loop(unit, op, outcome)
        await settling.ripple(unit, op, leases)
    else:
        await fill_slots(unit, leases)


async def control_config(unit: RunUnit, op: OpRecord) -> pydantic.BaseModel | ErrorInfo:
    """A control operation's config, rendered and validated, or why it cannot be."""
    spec = unit.plan.spec(op.template)
    try:
        context = await template_context(unit, op)
        rendered, deferred = split_deferred(spec.uses, spec.with_)
        config = render_value(rendered, context, where=f"operations.{op.key}.with") | deferred
    except (TemplateError, ArtifactStoreError) as exc:
        return settling.error_of(exc, op.key)
    return validated(op, config)


def validated(op: OpRecord, config: dict[str, Any]) -> pydantic.BaseModel | ErrorInfo:
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
