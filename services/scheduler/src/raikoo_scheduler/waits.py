"""Waits and sub-workflows: operations that hold nothing while they wait.

``delay``, ``wait.until`` and ``wait.approval`` park their operation run in ``waiting``
with a due time the timer pass picks up; ``workflow.call`` asks for a child run and keeps
its operation ``running`` until the child's end arrives as a message. Each function here
decides; the engine applies the decision.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from raikoo_common.messages import (
    Channel,
    ChildRunFinished,
    ErrorInfo,
    ParentRun,
    RunRequested,
    WaitResolved,
)
from raikoo_common.workflow.control import (
    MAX_CALL_DEPTH,
    ROLE_RANK,
    DelayConfig,
    WaitApprovalConfig,
    WaitUntilConfig,
    WorkflowCallConfig,
)
from raikoo_common.workflow.inputs import InputsInvalid, resolve_inputs
from raikoo_scheduler.domain.records import OpRecord
from raikoo_scheduler.domain.states import OpState
from raikoo_scheduler.ports import RunUnit
from raikoo_scheduler.transitions import child_run_id


@dataclass
class Finish:
    state: OpState
    output: Any = None
    error: ErrorInfo | None = None


@dataclass
class Park:
    """Keep the operation ``waiting`` until ``due`` (None: until a message arrives)."""

    due: datetime | None
    output: Any = None


Started = None
"""The operation goes on running: a child run was requested."""


async def begin(unit: RunUnit, op: OpRecord, config: BaseModel) -> Finish | Park | None:
    if isinstance(config, DelayConfig):
        return Park(unit.now + timedelta(seconds=config.duration))
    if isinstance(config, WaitUntilConfig):
        return Park(max(config.until, unit.now))
    if isinstance(config, WaitApprovalConfig):
        due = unit.now + timedelta(seconds=config.timeout) if config.timeout else None
        pending = {
            "status": "pending",
            "message": config.message,
            "required_role": config.required_role,
            "timeout_at": due.isoformat() if due else None,
        }
        return Park(due, pending)
    assert isinstance(config, WorkflowCallConfig), type(config)
    return await _call(unit, op, config)


def timer_fired(op: OpRecord, config: BaseModel, now: datetime) -> Finish:
    """A waiting operation's due time came."""
    if isinstance(config, WaitApprovalConfig):
        if config.on_timeout == "fail":
            return _failure(op, "timeout", "no decision before the approval's timeout")
        return _decided(op, config, config.on_timeout, "timeout", None, None, now)
    waited = (now - (op.started_at or now)).total_seconds()
    return Finish(OpState.SUCCEEDED, {"waited_seconds": round(waited, 3)})


def resolve(op: OpRecord, config: WaitApprovalConfig, decision: WaitResolved) -> Finish:
    if config.required_role and ROLE_RANK.get(decision.role, -1) < ROLE_RANK[config.required_role]:
        # The gateway refuses these; a stale or forged message must not decide either.
        return Finish(OpState.WAITING)
    return _decided(
        op,
        config,
        decision.decision,
        decision.decided_by,
        decision.role,
        decision.comment,
        decision.decided_at,
    )


def child_ended(op: OpRecord, ended: ChildRunFinished) -> Finish | None:
    if child_run_id(op) != ended.child_run_id:
        return None
    if ended.state == "succeeded":
        return Finish(OpState.SUCCEEDED, ended.outputs or {})
    reason = ended.error.message if ended.error else ended.state
    name = op.output.get("workflow") if isinstance(op.output, dict) else "?"
    kind = "child_failed" if ended.state == "failed" else "child_cancelled"
    message = f"workflow {name!r} (run {ended.child_run_id}) {ended.state}: {reason}"
    # Retryable: `retry: {on: [child_failed]}` runs the child again, as a new run.
    return Finish(OpState.FAILED, error=ErrorInfo(kind=kind, message=message, where=op.key))


def report_to_parent(unit: RunUnit) -> None:
    """A child run ended: tell its parent's ``workflow.call`` operation."""
    run = unit.run
    if run.parent_run_id is None or run.parent_op_run_id is None:
        return
    error = ErrorInfo.model_validate(run.error) if run.error else None
    assert run.is_terminal, run.state
    unit.send(
        Channel.RUNS_REQUESTED,
        ChildRunFinished(
            parent_run_id=run.parent_run_id,
            parent_op_run_id=run.parent_op_run_id,
            child_run_id=run.id,
            state=run.state,
            outputs=run.outputs,
            error=error,
        ),
    )


async def _call(unit: RunUnit, op: OpRecord, config: WorkflowCallConfig) -> Finish | None:
    run = unit.run
    if run.call_depth + 1 > MAX_CALL_DEPTH:
        return _failure(
            op,
            "recursion",
            f"calling {config.workflow!r} would nest workflow calls {run.call_depth + 1} deep "
            f"(at most {MAX_CALL_DEPTH}): a workflow calls itself, directly or through others",
        )
    called = await unit.called_workflow(config.workflow, config.version)
    if called is None:
        which = f"version {config.version} of " if config.version else ""
        return _failure(
            op, "not_found", f"{which}workflow {config.workflow!r} does not exist in this project"
        )
    try:
        inputs = resolve_inputs(called.definition.inputs, config.inputs)
    except InputsInvalid as exc:
        problems = "; ".join(f"{p.path}: {p.message}" for p in exc.problems)
        return _failure(op, "invalid_inputs", f"inputs for {config.workflow!r}: {problems}")
    child = uuid.uuid4()
    op.output = {"run_id": str(child), "workflow": called.name, "version": called.version}
    unit.send(
        Channel.RUNS_REQUESTED,
        RunRequested(
            run_id=child,
            project_id=run.project_id,
            workflow_version_id=called.version_id,
            inputs=inputs,
            trigger="workflow.call",
            requested_at=unit.now,
            parent=ParentRun(run_id=run.id, op_run_id=op.id, call_depth=run.call_depth + 1),
            dry_run=run.dry_run,
        ),
    )
    return Started


def _decided(
    op: OpRecord,
    config: WaitApprovalConfig,
    decision: str,
    by: str,
    role: str | None,
    comment: str | None,
    at: datetime,
) -> Finish:
    output = {
        "decision": decision,
        "decided_by": by,
        "role": role,
        "comment": comment,
        "decided_at": at.isoformat(),
    }
    if decision == "reject" and config.on_reject == "fail":
        said = f": {comment}" if comment else ""
        finish = _failure(op, "rejected", f"rejected by {by}{said}")
        finish.output = output
        return finish
    return Finish(OpState.SUCCEEDED, output)


def _failure(op: OpRecord, kind: str, message: str) -> Finish:
    return Finish(
        OpState.FAILED, error=ErrorInfo(kind=kind, message=message, where=op.key, retryable=False)
    )
