"""Approvals: the open ``wait.approval`` operations of a run, and decisions on them."""

from __future__ import annotations

import uuid
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.messages import Channel, Envelope, WaitResolved
from raikoo_common.outbox import OutboxMessage, OutboxOwner, insert_outbox
from raikoo_common.workflow.control import ROLE_RANK
from raikoo_gateway.auth.principal import Principal
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.tenancy import Tenant


def _open(tenant: Tenant, run_id: uuid.UUID) -> sa.Select[Any]:
    o = t.operation_runs.c
    return sa.select(o.id, o.op_key, o.output, o.started_at).where(
        o.run_id == run_id,
        o.org_id == tenant.org_id,
        o.project_id == tenant.project_id,
        o.kind == "wait.approval",
        o.state == "waiting",
    )


def _approval(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "op_key": row.op_key,
        "op_run_id": str(row.id),
        "waiting_since": row.started_at,
        **(row.output or {}),
    }


async def open_approvals(
    conn: AsyncConnection, tenant: Tenant, run_id: uuid.UUID, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    """A page of the run's open approvals, in plan order (a loop's in item order)."""
    o = t.operation_runs.c
    order = [o.seq, sa.func.coalesce(o.item_index, -1), o.id]
    rows, after = await keyset_page(conn, _open(tenant, run_id), order, limit=limit, cursor=cursor)
    return Page([_approval(row) for row in rows], after)


async def open_approval(
    conn: AsyncConnection, tenant: Tenant, run_id: uuid.UUID, op_key: str
) -> dict[str, Any] | None:
    """The run's open approval of this operation (a loop body's key names its item)."""
    o = t.operation_runs.c
    row = (await conn.execute(_open(tenant, run_id).where(o.op_key == op_key))).first()
    return None if row is None else _approval(row)


def may_decide(principal: Principal, approval: dict[str, Any]) -> bool:
    required = approval.get("required_role")
    return required is None or ROLE_RANK.get(principal.role, -1) >= ROLE_RANK[required]


async def decide(
    conn: AsyncConnection,
    tenant: Tenant,
    run_id: uuid.UUID,
    op_key: str,
    principal: Principal,
    decision: Literal["approve", "reject"],
    comment: str | None,
    outbox_owner: OutboxOwner,
) -> list[OutboxMessage]:
    message = WaitResolved(
        run_id=run_id,
        op_key=op_key,
        decision=decision,
        decided_by=principal.name,
        role=principal.role,
        comment=comment,
        decided_at=utcnow(),
    )
    envelope = Envelope.wrap(message, org_id=tenant.org_id, run_id=run_id, correlation_id=run_id)
    return await insert_outbox(conn, outbox_owner, [(Channel.RUNS_REQUESTED, envelope)], utcnow())
