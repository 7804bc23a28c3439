"""Outbound webhook subscriptions of a project, and their delivery log.

A subscription names a URL (checked by the SSRF guard when stored and again on every
delivery), the event types and workflows it wants (empty: all), and has a secret its
deliveries are signed with, shown once when made or rotated.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.net import BlockedDestination, EgressGuard
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.signing_secrets import rotate_secret
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.webhooks.delivery import message_id
from raikoo_gateway.webhooks.signature import new_secret

_SHOWN = (
    "id", "name", "url", "event_types", "workflows", "enabled", "disabled_reason",
    "failing_since", "previous_expires_at", "created_by", "created_at", "updated_at",
)  # fmt: skip


async def checked_url(guard: EgressGuard, url: str) -> str:
    """``url`` if the SSRF guard lets deliveries reach it; 422 naming why not."""
    try:
        parsed = guard.check_url(url)
        await guard.resolve(parsed.host, parsed.port or (443 if parsed.scheme == "https" else 80))
    except BlockedDestination as exc:
        raise Problem(
            422,
            "URL refused",
            f"url: {exc}; an administrator can open it with RAIKOO_WEBHOOK_ALLOW_HOSTS",
            "invalid-request",
            errors=[{"path": "url", "message": exc.reason}],
        ) from None
    except OSError:
        pass  # a name that does not resolve yet: its deliveries will say so
    return url


def _view(row: sa.Row[Any]) -> dict[str, Any]:
    shown = {name: getattr(row, name) for name in _SHOWN}
    expires = shown.pop("previous_expires_at")
    shown["previous_secret_expires_at"] = expires if expires and expires > utcnow() else None
    return shown


def _query(tenant: Tenant) -> sa.Select[Any]:
    s = t.webhook_subscriptions.c
    return sa.select(*(s[name] for name in _SHOWN)).where(
        s.org_id == tenant.org_id, s.project_id == tenant.project_id
    )


async def get(conn: AsyncConnection, tenant: Tenant, subscription_id: uuid.UUID) -> dict[str, Any]:
    s = t.webhook_subscriptions.c
    row = (await conn.execute(_query(tenant).where(s.id == subscription_id))).first()
    if row is None:
        raise not_found("webhook subscription", subscription_id)
    return _view(row)


async def page(
    conn: AsyncConnection, tenant: Tenant, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    s = t.webhook_subscriptions.c
    rows, after = await keyset_page(conn, _query(tenant), [s.name], limit=limit, cursor=cursor)
    return Page([_view(row) for row in rows], after)


def _conflict(name: str) -> Problem:
    return Problem(
        409, "Name taken", f"this project has a webhook subscription named {name!r}", "conflict"
    )


async def create(
    conn: AsyncConnection, access: Access, fields: dict[str, Any]
) -> tuple[dict[str, Any], str]:
    subscription_id, secret, now = uuid.uuid4(), new_secret(), utcnow()
    try:
        async with conn.begin_nested():
            await conn.execute(
                sa.insert(t.webhook_subscriptions).values(
                    id=subscription_id,
                    org_id=access.org_id,
                    project_id=access.project_id,
                    secret=secret,
                    enabled=True,
                    created_by=access.principal.name,
                    created_at=now,
                    updated_at=now,
                    **fields,
                )
            )
    except IntegrityError:
        raise _conflict(fields["name"]) from None
    await audit.record(
        conn, access, "webhook.created", str(subscription_id), {"name": fields["name"]}
    )
    return await get(conn, access, subscription_id), secret


async def update(
    conn: AsyncConnection, access: Access, subscription_id: uuid.UUID, changes: dict[str, Any]
) -> dict[str, Any]:
    await get(conn, access, subscription_id)
    values = dict(changes)
    if changes.get("enabled") is True:
        values.update(disabled_reason=None, failing_since=None)
    elif changes.get("enabled") is False:
        values.update(disabled_reason=f"disabled by {access.principal.name}")
    s = t.webhook_subscriptions.c
    try:
        async with conn.begin_nested():
            await conn.execute(
                sa.update(t.webhook_subscriptions)
                .where(s.id == subscription_id, s.org_id == access.org_id)
                .values(**values, updated_at=utcnow())
            )
    except IntegrityError:
        raise _conflict(str(changes.get("name"))) from None
    await audit.record(
        conn, access, "webhook.updated", str(subscription_id), {"changed": sorted(changes)}
    )
    return await get(conn, access, subscription_id)


async def delete(conn: AsyncConnection, access: Access, subscription_id: uuid.UUID) -> None:
    await get(conn, access, subscription_id)
    d, s = t.webhook_deliveries.c, t.webhook_subscriptions.c
    await conn.execute(sa.delete(t.webhook_deliveries).where(d.subscription_id == subscription_id))
    await conn.execute(
        sa.delete(t.webhook_subscriptions).where(s.id == subscription_id, s.org_id == access.org_id)
    )
    await audit.record(conn, access, "webhook.deleted", str(subscription_id))


async def rotate(
    conn: AsyncConnection, access: Access, subscription_id: uuid.UUID, grace_seconds: float
) -> tuple[dict[str, Any], str]:
    """A new secret; deliveries are signed with both until the old one expires."""
    await get(conn, access, subscription_id)
    table = t.webhook_subscriptions
    secret = await rotate_secret(conn, table, subscription_id, access.org_id, grace_seconds)
    await audit.record(conn, access, "webhook.secret_rotated", str(subscription_id))
    return await get(conn, access, subscription_id), secret


def _delivery_view(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "webhook_id": message_id(row.id),
        "event_type": row.event_type,
        "run_id": row.payload["data"]["run_id"],
        "state": row.state,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at if row.state == "pending" else None,
        "last_attempt_at": row.last_attempt_at,
        "last_status": row.last_status,
        "last_latency_ms": row.last_latency_ms,
        "last_error": row.last_error,
        "created_at": row.created_at,
        "delivered_at": row.delivered_at,
    }


async def deliveries(
    conn: AsyncConnection,
    tenant: Tenant,
    subscription_id: uuid.UUID,
    *,
    state: str | None,
    limit: int,
    cursor: Cursor | None,
) -> Page[dict[str, Any]]:
    """The subscription's deliveries, newest first."""
    await get(conn, tenant, subscription_id)
    d = t.webhook_deliveries.c
    query = sa.select(t.webhook_deliveries).where(
        d.subscription_id == subscription_id, d.org_id == tenant.org_id
    )
    if state is not None:
        query = query.where(d.state == state)
    rows, after = await keyset_page(
        conn, query, [d.created_at, d.id], limit=limit, cursor=cursor, descending=True
    )
    return Page([_delivery_view(row) for row in rows], after)


async def redeliver(
    conn: AsyncConnection, access: Access, subscription_id: uuid.UUID, delivery_id: uuid.UUID
) -> dict[str, Any]:
    """Send a delivery again, now, with its own webhook-id and a fresh set of retries."""
    await get(conn, access, subscription_id)
    d = t.webhook_deliveries.c
    where = (
        d.id == delivery_id,
        d.subscription_id == subscription_id,
        d.org_id == access.org_id,
    )
    changed = await conn.execute(
        sa.update(t.webhook_deliveries)
        .where(*where)
        .values(state="pending", attempts=0, next_attempt_at=utcnow())
    )
    if not changed.rowcount:
        raise not_found("delivery", delivery_id)
    await audit.record(conn, access, "webhook.redelivered", str(delivery_id))
    row = (await conn.execute(sa.select(t.webhook_deliveries).where(*where))).one()
    return _delivery_view(row)
