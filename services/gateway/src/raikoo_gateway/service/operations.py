"""Project operations: reusable definitions of a project, numbered on every change."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.workflow import WorkflowDefinition
from raikoo_common.workflow.problems import SourceMap
from raikoo_common.workflow.project_ops import ProjectOperation, used_operations, validate_workflow
from raikoo_common.workflow.validate import Kinds
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.service import audit
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.tenancy import Tenant

_od = t.operation_definitions.c


class OperationExists(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class StoredOperation:
    id: uuid.UUID
    version: int
    definition: ProjectOperation
    created_at: datetime
    updated_at: datetime

    @property
    def name(self) -> str:
        return self.definition.name

    def snapshot(self) -> dict[str, Any]:
        """What a workflow version using it keeps: this version, as it is now."""
        return self.definition.snapshot(self.version).to_document()


def _columns(operation: ProjectOperation) -> dict[str, Any]:
    document = operation.model_dump(mode="json")
    return {key: document[key] for key in ("kind", "config", "inputs", "outputs", "description")}


def _same(a: ProjectOperation, b: ProjectOperation) -> bool:
    # Compared as JSON text: in Python 1 == 1.0 == True, but a config holding `true` where
    # it held `1` is a change.
    def text(operation: ProjectOperation) -> bytes:
        return orjson.dumps(_columns(operation), option=orjson.OPT_SORT_KEYS)

    return text(a) == text(b)


def _stored(row: sa.Row[Any]) -> StoredOperation:
    definition = ProjectOperation.model_validate(
        {
            "name": row.name,
            "description": row.description,
            "kind": row.kind,
            "inputs": row.inputs,
            "config": row.config,
            "outputs": row.outputs,
        }
    )
    return StoredOperation(row.id, row.version, definition, row.created_at, row.updated_at)


def _scoped(tenant: Tenant) -> sa.Select[Any]:
    return sa.select(t.operation_definitions).where(
        _od.org_id == tenant.org_id, _od.project_id == tenant.project_id
    )


async def find_operation(
    conn: AsyncConnection, tenant: Tenant, name: str, *, for_update: bool = False
) -> StoredOperation | None:
    query = _scoped(tenant).where(_od.name == name)
    row = (await conn.execute(query.with_for_update() if for_update else query)).first()
    return _stored(row) if row else None


async def find_operations(
    conn: AsyncConnection, tenant: Tenant, names: Collection[str]
) -> dict[str, StoredOperation]:
    if not names:
        return {}
    rows = await conn.execute(_scoped(tenant).where(_od.name.in_(sorted(names))))
    return {row.name: _stored(row) for row in rows}


async def operation_names(conn: AsyncConnection, tenant: Tenant) -> list[str]:
    rows = await conn.execute(
        sa.select(_od.name).where(_od.org_id == tenant.org_id, _od.project_id == tenant.project_id)
    )
    return list(rows.scalars())


async def list_operations(
    conn: AsyncConnection, tenant: Tenant, *, limit: int, cursor: Cursor | None
) -> Page[StoredOperation]:
    """The project's operations in name order."""
    rows, after = await keyset_page(conn, _scoped(tenant), [_od.name], limit=limit, cursor=cursor)
    return Page([_stored(row) for row in rows], after)


async def _stored_audited(conn: AsyncConnection, access: Access, stored: StoredOperation) -> None:
    await audit.record(conn, access, "operation.stored", stored.name, {"version": stored.version})


async def create_operation(
    conn: AsyncConnection, access: Access, operation: ProjectOperation
) -> StoredOperation:
    """Store a new operation as version 1; ``OperationExists`` if the name is taken."""
    if await find_operation(conn, access, operation.name) is not None:
        raise OperationExists(operation.name)
    stored = await _insert(conn, access, operation)
    await _stored_audited(conn, access, stored)
    return stored


async def _insert(
    conn: AsyncConnection, tenant: Tenant, operation: ProjectOperation
) -> StoredOperation:
    # A concurrent insert of the same name fails on the unique constraint; the transaction
    # is then run again (``transactions.write``) and finds the winner's row.
    operation_id, now = uuid.uuid4(), utcnow()
    await conn.execute(
        sa.insert(t.operation_definitions).values(
            id=operation_id,
            org_id=tenant.org_id,
            project_id=tenant.project_id,
            name=operation.name,
            version=1,
            created_at=now,
            updated_at=now,
            **_columns(operation),
        )
    )
    return StoredOperation(operation_id, 1, operation, now, now)


async def put_operation(
    conn: AsyncConnection, access: Access, operation: ProjectOperation
) -> tuple[StoredOperation, bool]:
    """Create or replace; ``(stored, created)``. Each change is a new version number (and
    an audit record); an identical definition changes nothing."""
    # Locked, so two concurrent changes cannot both become the same next version.
    current = await find_operation(conn, access, operation.name, for_update=True)
    if current is None:
        stored = await _insert(conn, access, operation)
        await _stored_audited(conn, access, stored)
        return stored, True
    if _same(current.definition, operation):
        return current, False
    version, now = current.version + 1, utcnow()
    await conn.execute(
        sa.update(t.operation_definitions)
        .where(_od.id == current.id)
        .values(version=version, updated_at=now, **_columns(operation))
    )
    stored = StoredOperation(current.id, version, operation, current.created_at, now)
    await _stored_audited(conn, access, stored)
    return stored, False


async def delete_operation(conn: AsyncConnection, access: Access, name: str) -> bool:
    """Workflow versions that use it keep their snapshot and still run."""
    deleted = await conn.scalar(
        sa.delete(t.operation_definitions)
        .where(_od.org_id == access.org_id, _od.project_id == access.project_id, _od.name == name)
        .returning(_od.version)
    )
    if deleted is None:
        return False
    await audit.record(conn, access, "operation.deleted", name, {"version": deleted})
    return True


async def resolve_workflow(
    conn: AsyncConnection,
    tenant: Tenant,
    document: Mapping[str, Any],
    kinds: Kinds,
    source_map: SourceMap | None = None,
) -> tuple[WorkflowDefinition, dict[str, Any]]:
    """The validated definition and a snapshot of each project operation it uses, by name."""
    used = used_operations(document)
    found = await find_operations(conn, tenant, used)
    names = await operation_names(conn, tenant) if len(found) < len(used) else ()
    definition = validate_workflow(
        document,
        kinds=kinds,
        operations={name: stored.definition for name, stored in found.items()},
        project_names=names,
        source_map=source_map,
    )
    return definition, {name: found[name].snapshot() for name in sorted(found)}
