"""Calls of inbound hooks: the hook a call names, the run inputs its mapping makes of the
request, and the run it starts — in the caller's transaction, with the message id that
makes a replay a 409."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.outbox import OutboxOwner
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit
from raikoo_gateway.service.runs import RunCreated, request_run
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import find_version
from raikoo_gateway.webhooks.delivery import secrets_in_force

TRIGGER = "webhook"


@dataclass(frozen=True)
class HookCall:
    """What a call to a hook needs before its signature is checked."""

    id: uuid.UUID
    name: str
    tenant: Tenant
    workflow: str
    version: int | None
    mapping: dict[str, Any] | None
    secrets: list[str]


async def for_call(conn: AsyncConnection, hook_id: uuid.UUID) -> HookCall | None:
    """The enabled hook ``hook_id``, whichever tenant it belongs to (the signature proves
    who calls)."""
    h = t.inbound_hooks.c
    row = (
        await conn.execute(
            sa.select(t.inbound_hooks, t.workflows.c.name.label("workflow"))
            .join(t.workflows, t.workflows.c.id == h.workflow_id)
            .where(h.id == hook_id, h.enabled.is_(True))
        )
    ).first()
    if row is None:
        return None
    secrets = secrets_in_force(row.secret, row.previous_secret, row.previous_expires_at, utcnow())
    return HookCall(
        row.id,
        row.name,
        Tenant(row.org_id, row.project_id),
        row.workflow,
        row.version,
        row.mapping,
        secrets,
    )


def inputs_of(hook: HookCall, scope: dict[str, Any]) -> dict[str, Any]:
    """The run's inputs: the mapping rendered over the request, or a JSON object body as it
    is. ``Problem`` 422 naming where it went wrong."""
    if hook.mapping is None:
        body = scope["body"]
        if isinstance(body, dict):
            return body
        raise Problem(
            422,
            "Body is not inputs",
            "this hook has no mapping, so its body must be a JSON object (the run's inputs); "
            "give the hook a mapping to take other bodies (form, text, arrays)",
            "invalid-inputs",
            errors=[{"path": "body", "message": "not a JSON object"}],
        )
    try:
        rendered = render_value(hook.mapping, scope, where="mapping", stored=True)
    except TemplateError as exc:
        raise Problem(
            422,
            "Mapping failed",
            f"the hook's mapping could not be applied to this request: {exc}",
            "invalid-inputs",
            errors=[{"path": exc.where, "message": exc.message}],
        ) from None
    if not isinstance(rendered, dict):
        raise Problem(422, "Mapping failed", "the mapping gave no object", "invalid-inputs")
    return rendered


async def accept(
    conn: AsyncConnection,
    hook: HookCall,
    message_id: str,
    inputs: dict[str, Any],
    outbox_owner: OutboxOwner,
) -> RunCreated:
    """Start the run and remember the message id, in the caller's transaction: the run
    request and its outbox row commit together, so an accepted call is never lost. A
    message id seen before is a 409 naming the run it started."""
    m = t.inbound_hook_messages.c
    seen = await conn.scalar(
        sa.select(m.run_id).where(m.hook_id == hook.id, m.message_id == message_id)
    )
    if seen is not None:
        raise replayed(message_id, seen)
    version = await find_version(conn, hook.tenant, hook.workflow, hook.version)
    if version is None:
        raise not_found("workflow", repr(hook.workflow))
    created = await request_run(
        conn,
        hook.tenant,
        version,
        inputs,
        idempotency_key=None,
        trigger=TRIGGER,
        outbox_owner=outbox_owner,
    )
    now = utcnow()
    await conn.execute(
        sa.insert(t.inbound_hook_messages).values(
            hook_id=hook.id,
            message_id=message_id,
            org_id=hook.tenant.org_id,
            run_id=created.run_id,
            received_at=now,
        )
    )
    details = {"workflow": version.name, "version": version.version, "trigger": TRIGGER}
    await audit.record_as(
        conn,
        hook.tenant.org_id,
        hook.tenant.project_id,
        (f"hook {hook.name}", f"hook:{hook.id}"),
        "run.started",
        str(created.run_id),
        details,
    )
    return created


def replayed(message_id: str, run_id: uuid.UUID) -> Problem:
    return Problem(
        409,
        "Message already received",
        f"webhook-id {message_id!r} was accepted before (run {run_id}); nothing was started",
        "webhook-replayed",
        run_id=str(run_id),
    )


async def forget_messages_before(conn: AsyncConnection, before: datetime) -> None:
    """Message ids older than the timestamp tolerance cannot be replayed (their timestamp
    is refused first): they need not be kept."""
    m = t.inbound_hook_messages.c
    await conn.execute(sa.delete(t.inbound_hook_messages).where(m.received_at < before))
