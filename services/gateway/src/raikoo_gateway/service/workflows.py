"""Workflow definitions stored as immutable, numbered versions."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
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
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.service import audit
from raikoo_gateway.service.operations import resolve_workflow
from raikoo_gateway.service.tenancy import Tenant

KindConfigs = Mapping[str, Any]


@dataclass(frozen=True)
class StoredVersion:
    workflow_id: uuid.UUID
    version_id: uuid.UUID
    name: str
    version: int
    digest: str
    created_at: datetime
    definition: dict[str, Any]
    created: bool
    operations: dict[str, Any] | None = None
    """Snapshots of the project operations (``op/<name>``) it uses, by name."""


def digest_of(document: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


async def store_version(
    conn: AsyncConnection,
    access: Access,
    document: Mapping[str, Any],
    kinds: KindConfigs,
    source_map: SourceMap | None = None,
) -> StoredVersion:
    """Validate and store; the same definition as the latest version is not stored twice
    (a new version is recorded in the audit log).

    A version pins the project operations it uses: the same definition over a changed
    operation is a new version.
    """
    stored = await _store_version(conn, access, document, kinds, source_map)
    if stored.created:
        details = {"version": stored.version}
        await audit.record(conn, access, "workflow.stored", stored.name, details)
    return stored


async def _store_version(
    conn: AsyncConnection,
    tenant: Tenant,
    document: Mapping[str, Any],
    kinds: KindConfigs,
    source_map: SourceMap | None,
) -> StoredVersion:
    definition, operations = await resolve_workflow(conn, tenant, document, kinds, source_map)
    canonical = definition.to_document()
    digest = digest_of(
        {"definition": canonical, "operations": operations} if operations else canonical
    )
    wf = t.workflows.c
    row = (
        await conn.execute(
            sa.select(wf.id, wf.latest_version).where(
                wf.org_id == tenant.org_id,
                wf.project_id == tenant.project_id,
                wf.name == definition.name,
            )
        )
    ).first()
    now = utcnow()
    if row is not None:
        latest = await _version(conn, tenant, row.id, row.latest_version)
        if latest is not None and latest.digest == digest:
            return latest
        workflow_id, number = row.id, row.latest_version + 1
        await conn.execute(
            sa.update(t.workflows)
            .where(wf.id == workflow_id)
            .values(latest_version=number, updated_at=now)
        )
    else:
        workflow_id, number = uuid.uuid4(), 1
        await conn.execute(
            sa.insert(t.workflows).values(
                id=workflow_id,
                org_id=tenant.org_id,
                project_id=tenant.project_id,
                name=definition.name,
                latest_version=1,
                created_at=now,
                updated_at=now,
            )
        )
    version_id = uuid.uuid4()
    await conn.execute(
        sa.insert(t.workflow_versions).values(
            id=version_id,
            org_id=tenant.org_id,
            project_id=tenant.project_id,
            workflow_id=workflow_id,
            version=number,
            definition=canonical,
            digest=digest,
            operations=operations or None,
            created_at=now,
        )
    )
    return StoredVersion(
        workflow_id,
        version_id,
        definition.name,
        number,
        digest,
        now,
        canonical,
        created=True,
        operations=operations or None,
    )


async def find_version(
    conn: AsyncConnection, tenant: Tenant, name: str, version: int | None = None
) -> StoredVersion | None:
    wf = t.workflows.c
    row = (
        await conn.execute(
            sa.select(wf.id, wf.latest_version).where(
                wf.org_id == tenant.org_id, wf.project_id == tenant.project_id, wf.name == name
            )
        )
    ).first()
    if row is None:
        return None
    return await _version(conn, tenant, row.id, version or row.latest_version)


async def _version(
    conn: AsyncConnection, tenant: Tenant, workflow_id: uuid.UUID, number: int
) -> StoredVersion | None:
    v = t.workflow_versions.c
    row = (
        await conn.execute(
            sa.select(t.workflow_versions, t.workflows.c.name)
            .join(t.workflows, t.workflows.c.id == v.workflow_id)
            .where(v.workflow_id == workflow_id, v.version == number, v.org_id == tenant.org_id)
        )
    ).first()
    if row is None:
        return None
    return StoredVersion(
        row.workflow_id,
        row.id,
        row.name,
        row.version,
        row.digest,
        row.created_at,
        row.definition,
        created=False,
        operations=row.operations,
    )


def definition_of(stored: StoredVersion) -> WorkflowDefinition:
    return WorkflowDefinition.model_validate(stored.definition)
