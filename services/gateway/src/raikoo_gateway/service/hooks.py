"""Inbound hooks: per-workflow endpoints that start a run when a signed request arrives.

A hook names a workflow of its project (its latest version at each call, or a pinned one)
and may map the request to the run's inputs with templates of the workflow language over
``body``, ``headers`` and ``query``. Its secret is shown once, when made or rotated; a
rotation keeps the replaced secret valid for a while, so senders can switch over.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.outbox import OutboxOwner
from raikoo_common.workflow.templates import TemplateError, render_value, template_syntax_error
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.runs import RunCreated, request_run
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import find_version
from raikoo_gateway.webhooks.delivery import secrets_in_force
from raikoo_gateway.webhooks.signature import new_secret

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


def check_mapping(mapping: Mapping[str, Any] | None) -> None:
    """ValueError naming the first template of ``mapping`` that does not parse."""
    if mapping is None:
        return
    for where, text in _strings(mapping, "mapping"):
        problem = template_syntax_error(text)
        if problem is not None:
            raise ValueError(f"{where}: {problem[0]}")


def _strings(value: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, Mapping):
        return [found for k, v in value.items() for found in _strings(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in _strings(v, f"{where}[{i}]")]
    return []


def _columns() -> tuple[Any, ...]:
    h = t.inbound_hooks.c
    return (
        h.id,
        h.name,
        t.workflows.c.name.label("workflow"),
        h.version,
        h.mapping,
        h.enabled,
        h.previous_expires_at,
        h.created_by,
        h.created_at,
        h.updated_at,
    )


def _query(tenant: Tenant) -> sa.Select[Any]:
    h = t.inbound_hooks.c
    return (
        sa.select(*_columns())
        .join(t.workflows, t.workflows.c.id == h.workflow_id)
        .where(h.org_id == tenant.org_id, h.project_id == tenant.project_id)
    )


def _view(row: sa.Row[Any]) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": row.id,
        "name": row.name,
        "url": f"/v1/hooks/{row.id}",
        "workflow": row.workflow,
        "version": row.version,
        "mapping": row.mapping,
        "enabled": row.enabled,
        "previous_secret_expires_at": (
            row.previous_expires_at
            if row.previous_expires_at is not None and row.previous_expires_at > now
            else None
        ),
        "created_by": row.created_by,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


async def _workflow_id(
    conn: AsyncConnection, tenant: Tenant, name: str, version: int | None
) -> uuid.UUID:
    found = await find_version(conn, tenant, name, version)
    if found is None:
        what = repr(name) + (f" version {version}" if version else "")
        raise not_found("workflow", what)
    w = t.workflows.c
    workflow_id: uuid.UUID | None = await conn.scalar(
        sa.select(w.id).where(
            w.org_id == tenant.org_id, w.project_id == tenant.project_id, w.name == name
        )
    )
    assert workflow_id is not None
    return workflow_id


async def get(conn: AsyncConnection, tenant: Tenant, hook_id: uuid.UUID) -> dict[str, Any]:
    row = (await conn.execute(_query(tenant).where(t.inbound_hooks.c.id == hook_id))).first()
    if row is None:
        raise not_found("hook", hook_id)
    return _view(row)


async def page(
    conn: AsyncConnection, tenant: Tenant, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    h = t.inbound_hooks.c
    rows, after = await keyset_page(conn, _query(tenant), [h.name], limit=limit, cursor=cursor)
    return Page([_view(row) for row in rows], after)


def _conflict(name: str) -> Problem:
    return Problem(409, "Name taken", f"this project has a hook named {name!r}", "conflict")


async def create(
    conn: AsyncConnection,
    access: Access,
    *,
    name: str,
    workflow: str,
    version: int | None,
    mapping: dict[str, Any] | None,
) -> tuple[dict[str, Any], str]:
    """The hook and its secret (shown this once)."""
    workflow_id = await _workflow_id(conn, access, workflow, version)
    hook_id, secret, now = uuid.uuid4(), new_secret(), utcnow()
    try:
        async with conn.begin_nested():
            await conn.execute(
                sa.insert(t.inbound_hooks).values(
                    id=hook_id,
                    org_id=access.org_id,
                    project_id=access.project_id,
                    name=name,
                    workflow_id=workflow_id,
                    version=version,
                    mapping=mapping,
                    secret=secret,
                    enabled=True,
                    created_by=access.principal.name,
                    created_at=now,
                    updated_at=now,
                )
            )
    except IntegrityError:
        raise _conflict(name) from None
    await audit.record(
        conn, access, "hook.created", str(hook_id), {"name": name, "workflow": workflow}
    )
    return await get(conn, access, hook_id), secret


async def update(
    conn: AsyncConnection, access: Access, hook_id: uuid.UUID, changes: dict[str, Any]
) -> dict[str, Any]:
    current = await get(conn, access, hook_id)
    values: dict[str, Any] = {
        key: changes[key] for key in ("name", "version", "mapping", "enabled") if key in changes
    }
    if "workflow" in changes or "version" in changes:
        workflow = changes.get("workflow", current["workflow"])
        version = changes.get("version", current["version"])
        values["workflow_id"] = await _workflow_id(conn, access, workflow, version)
    h = t.inbound_hooks.c
    try:
        async with conn.begin_nested():
            await conn.execute(
                sa.update(t.inbound_hooks)
                .where(h.id == hook_id, h.org_id == access.org_id)
                .values(**values, updated_at=utcnow())
            )
    except IntegrityError:
        raise _conflict(str(changes.get("name"))) from None
    await audit.record(conn, access, "hook.updated", str(hook_id), {"changed": sorted(changes)})
    return await get(conn, access, hook_id)


async def delete(conn: AsyncConnection, access: Access, hook_id: uuid.UUID) -> None:
    await get(conn, access, hook_id)
    m, h = t.inbound_hook_messages.c, t.inbound_hooks.c
    await conn.execute(sa.delete(t.inbound_hook_messages).where(m.hook_id == hook_id))
    await conn.execute(sa.delete(t.inbound_hooks).where(h.id == hook_id, h.org_id == access.org_id))
    await audit.record(conn, access, "hook.deleted", str(hook_id))


async def rotate(
    conn: AsyncConnection, access: Access, hook_id: uuid.UUID, grace_seconds: float
) -> tuple[dict[str, Any], str]:
    """A new secret; the one it replaces stays valid for ``grace_seconds``."""
    await get(conn, access, hook_id)
    h = t.inbound_hooks.c
    secret, now = new_secret(), utcnow()
    await conn.execute(
        sa.update(t.inbound_hooks)
        .where(h.id == hook_id, h.org_id == access.org_id)
        .values(
            previous_secret=h.secret,
            previous_expires_at=now + timedelta(seconds=grace_seconds),
            secret=secret,
            updated_at=now,
        )
    )
    await audit.record(conn, access, "hook.secret_rotated", str(hook_id))
    return await get(conn, access, hook_id), secret


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
