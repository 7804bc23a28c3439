"""Workflow definitions stored as immutable, numbered versions."""

from __future__ import annotations

import difflib
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
from raikoo_gateway.service.ai_pins import pin_ai_objects
from raikoo_gateway.service.operations import resolve_workflow
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
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
    ai_objects: dict[str, Any] | None = None
    """The provider connections, personas and tools its AI operations name, as pinned."""


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
    ai = await pin_ai_objects(conn, tenant, document, source_map, operations)
    canonical = definition.to_document()
    pinned = {"operations": operations} if operations else {}
    pinned |= {"ai_objects": ai} if ai else {}
    digest = digest_of({"definition": canonical, **pinned} if pinned else canonical)
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
            ai_objects=ai or None,
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
        ai_objects=ai or None,
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


async def version_by_id(
    conn: AsyncConnection, tenant: Tenant, version_id: uuid.UUID
) -> StoredVersion | None:
    """A stored version of the tenant's project, by its id."""
    v = t.workflow_versions.c
    return await _version_where(conn, tenant, v.id == version_id)


async def _version(
    conn: AsyncConnection, tenant: Tenant, workflow_id: uuid.UUID, number: int
) -> StoredVersion | None:
    v = t.workflow_versions.c
    return await _version_where(conn, tenant, v.workflow_id == workflow_id, v.version == number)


async def _version_where(
    conn: AsyncConnection, tenant: Tenant, *where: sa.ColumnElement[bool]
) -> StoredVersion | None:
    v = t.workflow_versions.c
    row = (
        await conn.execute(
            sa.select(t.workflow_versions, t.workflows.c.name)
            .join(t.workflows, t.workflows.c.id == v.workflow_id)
            .where(
                *where,
                v.org_id == tenant.org_id,
                t.workflows.c.project_id == tenant.project_id,
            )
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
        ai_objects=row.ai_objects,
    )


def definition_of(stored: StoredVersion) -> WorkflowDefinition:
    return WorkflowDefinition.model_validate(stored.definition)


async def list_workflows(
    conn: AsyncConnection,
    tenant: Tenant,
    *,
    limit: int,
    cursor: Cursor | None,
    prefix: str | None = None,
) -> Page[dict[str, Any]]:
    """The project's workflows in name order, each with its latest version."""
    wf, v = t.workflows.c, t.workflow_versions.c
    query = (
        sa.select(
            wf.id,
            wf.name,
            wf.latest_version,
            wf.created_at,
            wf.updated_at,
            v.definition["description"].as_string().label("description"),
        )
        .join(t.workflow_versions, sa.and_(v.workflow_id == wf.id, v.version == wf.latest_version))
        .where(wf.org_id == tenant.org_id, wf.project_id == tenant.project_id)
    )
    if prefix:
        query = query.where(wf.name.startswith(prefix, autoescape=True))
    rows, after = await keyset_page(conn, query, [wf.name], limit=limit, cursor=cursor)
    names = ("id", "name", "description", "latest_version", "created_at", "updated_at")
    return Page([{name: row._mapping[name] for name in names} for row in rows], after)


async def list_versions(
    conn: AsyncConnection, tenant: Tenant, name: str, *, limit: int, cursor: Cursor | None
) -> Page[StoredVersion] | None:
    """A workflow's versions, newest first, without their definitions; None when the
    project has no workflow of that name."""
    wf, v = t.workflows.c, t.workflow_versions.c
    workflow_id = await conn.scalar(
        sa.select(wf.id).where(
            wf.org_id == tenant.org_id, wf.project_id == tenant.project_id, wf.name == name
        )
    )
    if workflow_id is None:
        return None
    query = sa.select(v.id, v.version, v.digest, v.created_at).where(
        v.workflow_id == workflow_id, v.org_id == tenant.org_id
    )
    rows, after = await keyset_page(
        conn, query, [v.version], limit=limit, cursor=cursor, descending=True
    )
    items = [
        StoredVersion(
            workflow_id, row.id, name, row.version, row.digest, row.created_at, {}, created=False
        )
        for row in rows
    ]
    return Page(items, after)


def exported(stored: StoredVersion) -> dict[str, Any]:
    """The definition as its author would write it: what is left at its default is left
    out (the stored form spells every default out). Storing it again is no new version."""
    document: dict[str, Any] = definition_of(stored).model_dump(
        mode="json", by_alias=True, exclude_defaults=True
    )
    for spec in (document.get("inputs") or {}).values():
        if spec.get("required") == ("default" not in spec):
            del spec["required"]  # what an input without it means (see InputSpec)
    return document


def as_yaml(document: Mapping[str, Any]) -> str:
    """YAML in the document's own key order, Unicode as it is."""
    import yaml  # loaded by the first diff, not at the gateway's start

    text: str = yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True, width=100)
    return text


@dataclass(frozen=True)
class VersionDiff:
    added: list[str]
    """Operations only the newer version has."""
    removed: list[str]
    changed: list[str]
    """Operations both have, configured differently."""
    fields: list[str]
    """Other top-level fields that differ (inputs, outputs, defaults, …)."""
    operations_pinned: list[str]
    """Project operations pinned at a different version (or only in one of them)."""
    unified: str
    """A unified diff of the two definitions as exported YAML."""


def diff_versions(old: StoredVersion, new: StoredVersion) -> VersionDiff:
    before, after = exported(old), exported(new)
    old_ops, new_ops = before.get("operations", {}), after.get("operations", {})
    fields = sorted(
        key
        for key in set(before) | set(after)
        if key != "operations" and before.get(key) != after.get(key)
    )
    old_pins, new_pins = old.operations or {}, new.operations or {}
    pinned = sorted(
        name
        for name in set(old_pins) | set(new_pins)
        if (old_pins.get(name) or {}).get("version") != (new_pins.get(name) or {}).get("version")
    )
    lines = difflib.unified_diff(
        as_yaml(before).splitlines(keepends=True),
        as_yaml(after).splitlines(keepends=True),
        fromfile=f"{old.name} v{old.version}",
        tofile=f"{new.name} v{new.version}",
    )
    return VersionDiff(
        added=[key for key in new_ops if key not in old_ops],
        removed=[key for key in old_ops if key not in new_ops],
        changed=[key for key in new_ops if key in old_ops and new_ops[key] != old_ops[key]],
        fields=fields,
        operations_pinned=pinned,
        unified="".join(lines),
    )
