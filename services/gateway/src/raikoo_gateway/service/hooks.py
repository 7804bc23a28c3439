"""Inbound hooks: per-workflow endpoints that start a run when a signed request arrives.

A hook names a workflow of its project (its latest version at each call, or a pinned one)
and may map the request to the run's inputs with templates of the workflow language over
``body``, ``headers`` and ``query``. Its secret is shown once, when made or rotated; a
rotation keeps the replaced secret valid for a while, so senders can switch over.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.workflow.templates import template_syntax_error
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.signing_secrets import rotate_secret
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import find_version
from raikoo_gateway.webhooks.signature import new_secret


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


async def stored_workflow_id(
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
    workflow_id = await stored_workflow_id(conn, access, workflow, version)
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
        values["workflow_id"] = await stored_workflow_id(conn, access, workflow, version)
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
    secret = await rotate_secret(conn, t.inbound_hooks, hook_id, access.org_id, grace_seconds)
    await audit.record(conn, access, "hook.secret_rotated", str(hook_id))
    return await get(conn, access, hook_id), secret
