"""Organizations and projects: every organization has a default project; embedded mode
and a fresh deployment start with the default organization."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t

DEFAULT_SLUG = "default"


@dataclass(frozen=True)
class Tenant:
    org_id: uuid.UUID
    project_id: uuid.UUID


async def ensure_default_tenant(engine: AsyncEngine) -> Tenant:
    """Create the default org and project once; safe when several replicas race."""
    for _ in range(3):
        tenant = await _find(engine)
        if tenant is not None:
            return tenant
        try:
            async with engine.begin() as conn:
                await insert_organization(conn, DEFAULT_SLUG, "Default organization")
        except IntegrityError:
            continue
    tenant = await _find(engine)
    if tenant is None:
        raise RuntimeError("could not create the default organization and project")
    return tenant


async def insert_organization(conn: AsyncConnection, slug: str, name: str) -> Tenant:
    """A new organization and its default project (an organization always has one)."""
    org_id, project_id, now = uuid.uuid4(), uuid.uuid4(), utcnow()
    await conn.execute(
        sa.insert(t.organizations).values(id=org_id, slug=slug, name=name, created_at=now)
    )
    await conn.execute(
        sa.insert(t.projects).values(
            id=project_id, org_id=org_id, slug=DEFAULT_SLUG, name="Default project", created_at=now
        )
    )
    return Tenant(org_id, project_id)


async def _find(engine: AsyncEngine) -> Tenant | None:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                sa.select(t.projects.c.org_id, t.projects.c.id)
                .join(t.organizations, t.organizations.c.id == t.projects.c.org_id)
                .where(t.organizations.c.slug == DEFAULT_SLUG, t.projects.c.slug == DEFAULT_SLUG)
            )
        ).first()
    return Tenant(row.org_id, row.id) if row else None
