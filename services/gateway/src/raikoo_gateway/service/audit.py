"""The audit log of an organization: who did what, written in the transaction that did it
(keys created and revoked, secrets written, members changed, workflows stored, runs
started, approvals decided), readable by its admins."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.service.pages import Cursor, Page, keyset_page


async def record(
    conn: AsyncConnection,
    access: Access,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    principal = access.principal
    await record_as(
        conn,
        access.org_id,
        access.project_id,
        (principal.name, principal.actor_id),
        action,
        target,
        details,
    )


async def record_as(
    conn: AsyncConnection,
    org_id: uuid.UUID,
    project_id: uuid.UUID | None,
    actor: tuple[str, str],
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """A record for a caller that acts outside a tenant (a person accepting an invitation):
    ``actor`` is its name and its id (``user:<uuid>``)."""
    await conn.execute(
        sa.insert(t.audit_events).values(
            org_id=org_id,
            project_id=project_id,
            at=utcnow(),
            actor=actor[0],
            actor_id=actor[1],
            action=action,
            target=target,
            details=details,
        )
    )


async def events(
    conn: AsyncConnection, access: Access, *, limit: int, cursor: Cursor | None, action: str | None
) -> Page[dict[str, Any]]:
    """Newest first."""
    a = t.audit_events.c
    query = sa.select(a.id, a.at, a.actor, a.actor_id, a.action, a.target, a.details, a.project_id)
    query = query.where(a.org_id == access.org_id)
    if action is not None:
        query = query.where(a.action == action)
    if access.principal.project_id is not None:  # a project's key reads its project's records
        query = query.where(a.project_id == access.principal.project_id)
    rows, after = await keyset_page(
        conn, query, [a.id], limit=limit, cursor=cursor, descending=True
    )
    items = [
        {
            "id": row.id,
            "at": row.at,
            "actor": row.actor,
            "actor_id": row.actor_id,
            "action": row.action,
            "target": row.target,
            "project_id": row.project_id,
            "details": row.details,
        }
        for row in rows
    ]
    return Page(items, after)
