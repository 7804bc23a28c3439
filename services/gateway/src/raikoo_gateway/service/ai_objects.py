"""Provider connections, personas and tools as platform objects: stored per organization
(connections) or project (a project's connection overrides one of the same name; personas
and tools), numbered on every change with their history kept, writes in the audit log."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.service import audit
from raikoo_gateway.service.ai_specs import ObjectKind
from raikoo_gateway.service.pages import Cursor, Page, keyset_page

Scope = Literal["organization", "project"]
ORGANIZATION = "organization"
_o, _v = t.ai_objects.c, t.ai_object_versions.c


@dataclass(frozen=True)
class Where:
    """Whose objects a request reads or writes: the organization's, or one project's."""

    kind: ObjectKind
    org_id: uuid.UUID
    project_id: uuid.UUID | None

    @property
    def scope(self) -> Scope:
        return "organization" if self.project_id is None else "project"

    @property
    def key(self) -> str:
        return ORGANIZATION if self.project_id is None else str(self.project_id)


@dataclass(frozen=True)
class StoredObject:
    id: uuid.UUID
    kind: ObjectKind
    name: str
    version: int
    scope: Scope
    spec: dict[str, Any]
    description: str | None
    created_at: datetime
    updated_at: datetime

    def pin(self) -> dict[str, Any]:
        """What a workflow version using it keeps."""
        return {"version": self.version, "scope": self.scope, "spec": self.spec}


def _stored(row: Any, kind: ObjectKind) -> StoredObject:
    scope: Scope = "organization" if row.scope == ORGANIZATION else "project"
    return StoredObject(
        row.id,
        kind,
        row.name,
        row.version,
        scope,
        row.spec,
        row.description,
        row.created_at,
        row.updated_at,
    )


def _scoped(where: Where) -> sa.Select[Any]:
    return sa.select(t.ai_objects).where(
        _o.org_id == where.org_id, _o.kind == where.kind, _o.scope == where.key
    )


async def find(
    conn: AsyncConnection, where: Where, name: str, *, for_update: bool = False
) -> StoredObject | None:
    query = _scoped(where).where(_o.name == name)
    row = (await conn.execute(query.with_for_update() if for_update else query)).first()
    return _stored(row, where.kind) if row else None


async def find_version(
    conn: AsyncConnection, where: Where, name: str, version: int
) -> StoredObject | None:
    current = await find(conn, where, name)
    if current is None or current.version == version:
        return current
    row = (
        await conn.execute(
            sa.select(_v.spec, _v.description, _v.created_at).where(
                _v.object_id == current.id, _v.version == version, _v.org_id == where.org_id
            )
        )
    ).first()
    if row is None:
        return None
    return StoredObject(
        current.id,
        current.kind,
        name,
        version,
        current.scope,
        row.spec,
        row.description,
        current.created_at,
        row.created_at,
    )


async def effective(
    conn: AsyncConnection, kind: ObjectKind, org_id: uuid.UUID, project_id: uuid.UUID, name: str
) -> StoredObject | None:
    """A project's own object, else (for connections) the organization's of that name."""
    found = await find(conn, Where(kind, org_id, project_id), name)
    if found is None and kind == "provider":
        found = await find(conn, Where(kind, org_id, None), name)
    return found


async def page(
    conn: AsyncConnection, where: Where, *, limit: int, cursor: Cursor | None
) -> Page[StoredObject]:
    rows, after = await keyset_page(conn, _scoped(where), [_o.name], limit=limit, cursor=cursor)
    return Page([_stored(row, where.kind) for row in rows], after)


async def versions(
    conn: AsyncConnection, where: Where, name: str, *, limit: int, cursor: Cursor | None
) -> Page[StoredObject] | None:
    """An object's versions, newest first; None when there is no object of that name."""
    current = await find(conn, where, name)
    if current is None:
        return None
    query = sa.select(_v.version, _v.spec, _v.description, _v.created_at).where(
        _v.object_id == current.id, _v.org_id == where.org_id
    )
    rows, after = await keyset_page(
        conn, query, [_v.version], limit=limit, cursor=cursor, descending=True
    )
    items = [
        StoredObject(
            current.id,
            current.kind,
            name,
            row.version,
            current.scope,
            row.spec,
            row.description,
            current.created_at,
            row.created_at,
        )
        for row in rows
    ]
    return Page(items, after)


def _text(spec: dict[str, Any], description: str | None) -> bytes:
    # Compared as JSON text, as project operations are: 1 and true are different configs.
    return orjson.dumps([spec, description], option=orjson.OPT_SORT_KEYS)


async def put(
    conn: AsyncConnection,
    access: Access,
    where: Where,
    name: str,
    spec: dict[str, Any],
    description: str | None,
) -> tuple[StoredObject, bool]:
    """Create or replace; ``(stored, created)``. Each change is a new version, kept in the
    history; an identical body changes nothing."""
    current = await find(conn, where, name, for_update=True)
    now = utcnow()
    if current is not None and _text(current.spec, current.description) == _text(spec, description):
        return current, False
    if current is None:
        object_id, version = uuid.uuid4(), 1
        await conn.execute(
            sa.insert(t.ai_objects).values(
                id=object_id,
                org_id=where.org_id,
                project_id=where.project_id,
                scope=where.key,
                kind=where.kind,
                name=name,
                version=1,
                spec=spec,
                description=description,
                created_at=now,
                updated_at=now,
            )
        )
        created_at = now
    else:
        object_id, version, created_at = current.id, current.version + 1, current.created_at
        await conn.execute(
            sa.update(t.ai_objects)
            .where(_o.id == object_id)
            .values(version=version, spec=spec, description=description, updated_at=now)
        )
    await conn.execute(
        sa.insert(t.ai_object_versions).values(
            object_id=object_id,
            version=version,
            org_id=where.org_id,
            project_id=where.project_id,
            spec=spec,
            description=description,
            created_at=now,
        )
    )
    details = {"version": version, "scope": where.scope}
    await audit.record(conn, access, f"{where.kind}.written", name, details)
    stored = StoredObject(
        object_id, where.kind, name, version, where.scope, spec, description, created_at, now
    )
    return stored, current is None


async def delete(conn: AsyncConnection, access: Access, where: Where, name: str) -> bool:
    """Workflow versions that use it keep their pinned copy and still run."""
    current = await find(conn, where, name, for_update=True)
    if current is None:
        return False
    await conn.execute(sa.delete(t.ai_object_versions).where(_v.object_id == current.id))
    await conn.execute(sa.delete(t.ai_objects).where(_o.id == current.id))
    await audit.record(conn, access, f"{where.kind}.deleted", name, {"scope": where.scope})
    return True
