"""Deciding ``wait.approval`` operations: list what waits, approve or reject it."""

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import approvals, audit, runs
from raikoo_gateway.service.pages import Cursor, CursorQuery, Limit
from raikoo_gateway.views import Approval, Approvals, Decision

router = Routes(prefix="/v1/runs", tags=["approvals"])


class DecisionBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"decision": "approve", "comment": "Checked the totals"}]},
    )

    decision: Literal["approve", "reject"]
    comment: str | None = Field(default=None, max_length=2000)


@router.get("/{run_id}/approvals")
async def list_approvals(
    run_id: uuid.UUID,
    context: ContextDep,
    tenant: ViewerAccess,
    limit: Limit = 100,
    cursor: CursorQuery = None,
) -> Approvals:
    """The run's operations waiting for a decision, with what they ask, in plan order (a
    loop's in item order); ``next_cursor`` continues."""
    async with read_only(context.engine) as conn:
        if await runs.get_run(conn, tenant, run_id) is None:
            raise not_found("run", run_id)
        page = await approvals.open_approvals(
            conn, tenant, run_id, limit=limit, cursor=Cursor.decode(cursor)
        )
    return Approvals(
        items=[Approval.model_validate(item) for item in page.items],
        next_cursor=page.next.encode() if page.next else None,
    )


@router.post("/{run_id}/approvals/{op_key}", status_code=202)
async def decide(
    run_id: uuid.UUID,
    op_key: str,
    body: DecisionBody,
    context: ContextDep,
    tenant: EditorAccess,
) -> Decision:
    """Approve or reject an open approval; the run goes on once the scheduler applies it."""
    async with read_only(context.engine) as conn:
        if await runs.get_run(conn, tenant, run_id) is None:
            raise not_found("run", run_id)
        approval = await approvals.open_approval(conn, tenant, run_id, op_key)
        if approval is None:
            waiting = await approvals.open_approvals(conn, tenant, run_id, limit=100, cursor=None)
            raise Problem(
                409,
                "No open approval",
                f"operation {op_key!r} of run {run_id} is not waiting for a decision",
                "no-open-approval",
                open=sorted(a["op_key"] for a in waiting.items),
            )
    principal = tenant.principal
    if not approvals.may_decide(principal, approval):
        raise Problem(
            403,
            "Role too low",
            f"deciding {op_key!r} needs the role {approval['required_role']!r} or higher; "
            f"{principal.name} is {principal.role!r}",
            "role-required",
        )
    async with context.engine.begin() as conn:
        outbox = await approvals.decide(
            conn,
            tenant,
            run_id,
            op_key,
            principal,
            body.decision,
            body.comment,
            context.relay.owner,
        )
        details = {"run_id": str(run_id), "decision": body.decision, "comment": body.comment}
        await audit.record(conn, tenant, "approval.decided", op_key, details)
    await context.relay.publish(outbox)
    return Decision(op_key=op_key, decision=body.decision, decided_by=principal.name)
