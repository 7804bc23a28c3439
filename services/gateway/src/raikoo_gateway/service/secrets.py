"""Secrets of an organization or of one of its projects: which scope a request may act on,
their names page by page, and writes recorded in the audit log (never with the value)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.api.secrets import SecretScope
from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_common.secrets import SecretStore
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit
from raikoo_gateway.service.pages import Cursor, Page

Scope = SecretScope


@dataclass(frozen=True)
class Target:
    """The scope a request reads or writes: the organization's own secrets, or one
    project's."""

    scope: Scope
    project_id: uuid.UUID | None = None
    project: str | None = None
    """The project's slug."""

    def details(self) -> dict[str, Any]:
        return {"scope": self.scope, "project": self.project}


async def target(engine: AsyncEngine, access: Access, scope: Scope) -> Target:
    """``project`` is the request's project (its key's, or the ``Raikoo-Project`` header's).
    A key bound to a project never reaches the organization-wide secrets: they are shared
    by every project, which is what binding a key keeps it away from."""
    principal = access.principal
    if scope == "organization":
        if principal.project_id is not None:
            raise Problem(
                403,
                "Project-bound key",
                f"{principal.name} is bound to one project: it may list and write that "
                "project's secrets (scope=project), not the organization-wide ones, which "
                "every project's runs read",
                "forbidden",
            )
        return Target("organization")
    p = t.projects.c
    async with read_only(engine) as conn:
        slug = await conn.scalar(
            sa.select(p.slug).where(p.id == access.project_id, p.org_id == access.org_id)
        )
    if slug is None:
        raise not_found("project", access.project_id)
    return Target("project", access.project_id, slug)


async def page(
    store: SecretStore, access: Access, where: Target, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    """Names in order; the values are never read."""
    infos = await store.entries(
        access.org_id,
        project_id=where.project_id,
        after=cursor.after if cursor else None,
        limit=limit + 1,
    )
    items = [
        {
            "name": info.name,
            "scope": where.scope,
            "project": where.project,
            "updated_at": info.updated_at,
        }
        for info in infos[:limit]
    ]
    return Page(items, Cursor(infos[limit - 1].name) if len(infos) > limit else None)


async def write(
    engine: AsyncEngine,
    store: SecretStore,
    access: Access,
    where: Target,
    name: str,
    value: str,
) -> None:
    """The audit record is written first and committed after the store took the value, so
    a write the store refused leaves no record."""
    async with engine.begin() as conn:
        await audit.record(conn, access, "secret.written", name, where.details())
        await store.put(access.org_id, name, value, project_id=where.project_id)


async def delete(
    engine: AsyncEngine, store: SecretStore, access: Access, where: Target, name: str
) -> None:
    async with engine.begin() as conn:
        await audit.record(conn, access, "secret.deleted", name, where.details())
        if not await store.delete(access.org_id, name, project_id=where.project_id):
            scope = f"project {where.project!r}" if where.project else "the organization"
            raise Problem(404, "Not found", f"secret {name} of {scope} does not exist", "not-found")
