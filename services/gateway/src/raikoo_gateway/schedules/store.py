"""Schedules as records of the gateway: create, read, list, change, pause, resume, delete.
Each write is audited in its transaction; ``next_fire_at`` is kept true by every change
(NULL while paused), so the ticker needs nothing else to know what falls due."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.db import tables as t
from raikoo_common.workflow.inputs import resolve_inputs
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.schedules.cron import MissedPolicy, next_tick
from raikoo_gateway.service import audit
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import definition_of, find_version

_s = t.schedules.c


class WorkflowMissing(LookupError):
    def __init__(self, name: str, version: int | None) -> None:
        what = repr(name) + (f" version {version}" if version else "")
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class ScheduleSpec:
    """What a schedule is made of (a body, already checked: cron and time zone valid)."""

    workflow: str
    version: int | None
    cron: str
    timezone: str
    inputs: dict[str, Any]
    enabled: bool
    missed: MissedPolicy
    max_catch_up: int
    description: str | None


def _query(tenant: Tenant) -> sa.Select[Any]:
    return (
        sa.select(t.schedules, t.workflows.c.name.label("workflow_name"))
        .join(t.workflows, t.workflows.c.id == _s.workflow_id)
        .where(_s.org_id == tenant.org_id, _s.project_id == tenant.project_id)
    )


def view(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "workflow": {"name": row.workflow_name, "version": row.version},
        "cron": row.cron,
        "timezone": row.timezone,
        "inputs": row.inputs,
        "enabled": row.enabled,
        "missed": row.missed,
        "max_catch_up": row.max_catch_up,
        "description": row.description,
        "next_fire_at": row.next_fire_at,
        "last_fired_at": row.last_fired_at,
        "last_run_id": row.last_run_id,
        "last_error": row.last_error,
        "created_by": row.created_by,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


async def get(
    conn: AsyncConnection, tenant: Tenant, schedule_id: uuid.UUID
) -> dict[str, Any] | None:
    row = (await conn.execute(_query(tenant).where(_s.id == schedule_id))).first()
    return view(row) if row is not None else None


async def page(
    conn: AsyncConnection,
    tenant: Tenant,
    *,
    limit: int,
    cursor: Cursor | None,
    workflow: str | None = None,
) -> Page[dict[str, Any]]:
    """The project's schedules, newest first."""
    query = _query(tenant)
    if workflow is not None:
        query = query.where(t.workflows.c.name == workflow)
    rows, after = await keyset_page(
        conn, query, [_s.created_at, _s.id], limit=limit, cursor=cursor, descending=True
    )
    return Page([view(row) for row in rows], after)


async def _checked_workflow(conn: AsyncConnection, tenant: Tenant, spec: ScheduleSpec) -> uuid.UUID:
    """The workflow's id, once the inputs fit the version that would run now."""
    version = await find_version(conn, tenant, spec.workflow, spec.version)
    if version is None:
        raise WorkflowMissing(spec.workflow, spec.version)
    resolve_inputs(definition_of(version).inputs, spec.inputs)  # InputsInvalid: a 422
    return version.workflow_id


async def create(
    conn: AsyncConnection, access: Access, spec: ScheduleSpec, now: datetime
) -> uuid.UUID:
    workflow_id = await _checked_workflow(conn, access, spec)
    schedule_id = uuid.uuid4()
    await conn.execute(
        sa.insert(t.schedules).values(
            id=schedule_id,
            org_id=access.org_id,
            project_id=access.project_id,
            workflow_id=workflow_id,
            version=spec.version,
            cron=spec.cron,
            timezone=spec.timezone,
            inputs=spec.inputs,
            enabled=spec.enabled,
            missed=spec.missed,
            max_catch_up=spec.max_catch_up,
            description=spec.description,
            next_fire_at=next_tick(spec.cron, spec.timezone, now) if spec.enabled else None,
            created_by=access.principal.name,
            created_at=now,
            updated_at=now,
        )
    )
    details = {"workflow": spec.workflow, "cron": spec.cron, "timezone": spec.timezone}
    await audit.record(conn, access, "schedule.created", str(schedule_id), details)
    return schedule_id


async def update(
    conn: AsyncConnection,
    access: Access,
    schedule_id: uuid.UUID,
    changes: dict[str, Any],
    now: datetime,
) -> bool:
    """Apply ``changes`` (fields of ``ScheduleSpec``); False if there is no such schedule.
    Changing when it ticks, or resuming it, counts ticks from now: none is fired for the
    time it was paused."""
    current = await get(conn, access, schedule_id)
    if current is None:
        return False
    merged = ScheduleSpec(
        workflow=changes.get("workflow", current["workflow"]["name"]),
        version=changes.get("version", current["workflow"]["version"]),
        cron=changes.get("cron", current["cron"]),
        timezone=changes.get("timezone", current["timezone"]),
        inputs=changes.get("inputs", current["inputs"]),
        enabled=changes.get("enabled", current["enabled"]),
        missed=changes.get("missed", current["missed"]),
        max_catch_up=changes.get("max_catch_up", current["max_catch_up"]),
        description=changes.get("description", current["description"]),
    )
    workflow_id = await _checked_workflow(conn, access, merged)
    values: dict[str, Any] = {
        "workflow_id": workflow_id,
        "version": merged.version,
        "cron": merged.cron,
        "timezone": merged.timezone,
        "inputs": merged.inputs,
        "enabled": merged.enabled,
        "missed": merged.missed,
        "max_catch_up": merged.max_catch_up,
        "description": merged.description,
        "updated_at": now,
    }
    timing = {"cron", "timezone", "enabled"} & set(changes)
    if not merged.enabled:
        values["next_fire_at"] = None
    elif timing or current["next_fire_at"] is None:
        values["next_fire_at"] = next_tick(merged.cron, merged.timezone, now)
    await conn.execute(
        sa.update(t.schedules)
        .where(_s.id == schedule_id, _s.org_id == access.org_id)
        .values(**values)
    )
    if set(changes) == {"enabled"}:
        action = "schedule.resumed" if merged.enabled else "schedule.paused"
    else:
        action = "schedule.updated"
    details = {k: v for k, v in changes.items() if k != "inputs"}
    await audit.record(conn, access, action, str(schedule_id), details)
    return True


async def delete(conn: AsyncConnection, access: Access, schedule_id: uuid.UUID) -> bool:
    deleted = await conn.execute(
        sa.delete(t.schedules).where(
            _s.id == schedule_id,
            _s.org_id == access.org_id,
            _s.project_id == access.project_id,
        )
    )
    if deleted.rowcount == 0:
        return False
    await audit.record(conn, access, "schedule.deleted", str(schedule_id))
    return True
