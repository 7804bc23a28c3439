"""Cron schedules of a project's workflows: ``/v1/schedules``."""

import uuid
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.api.schedules import Schedule
from raikoo_common.clock import utcnow
from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import not_found
from raikoo_gateway.routing import Routes
from raikoo_gateway.schedules import store
from raikoo_gateway.schedules.cron import MissedPolicy, check_cron, check_timezone
from raikoo_gateway.service import transactions
from raikoo_gateway.service.pages import INT4_MAX, Cursor, CursorQuery, Limit, PageOut
from raikoo_gateway.service.tenancy import Tenant

router = Routes(prefix="/v1/schedules", tags=["schedules"])

MAX_CATCH_UP = 1000
_EXAMPLE: dict[str, Any] = {
    "workflow": "nightly-report",
    "cron": "0 6 * * 1-5",
    "timezone": "Europe/Paris",
    "inputs": {"region": "eu"},
    "missed": "catch_up",
    "max_catch_up": 3,
}


class _Timing(BaseModel):
    @field_validator("cron", check_fields=False)
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        return None if value is None else check_cron(value)

    @field_validator("timezone", check_fields=False)
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return None if value is None else check_timezone(value)


class ScheduleCreate(_Timing):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    workflow: str = Field(max_length=128, description="Name of a stored workflow")
    version: int | None = Field(
        default=None, ge=1, le=INT4_MAX, description="Default: the latest version at each tick"
    )
    cron: str = Field(
        max_length=200, description="5 fields: minute hour day-of-month month day-of-week"
    )
    timezone: str = Field(default="UTC", max_length=64, description="An IANA time zone name")
    inputs: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True
    missed: MissedPolicy = Field(
        default="skip",
        description="Ticks missed while no ticker ran: skip them, or catch up (the most "
        "recent max_catch_up of them)",
    )
    max_catch_up: int = Field(default=10, ge=0, le=MAX_CATCH_UP)
    description: str | None = Field(default=None, max_length=500)


class ScheduleChange(_Timing):
    """Only the fields given change."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"cron": "0 7 * * 1-5"}]}
    )

    workflow: str | None = Field(default=None, max_length=128)
    version: int | None = Field(default=None, ge=1, le=INT4_MAX)
    cron: str | None = Field(default=None, max_length=200)
    timezone: str | None = Field(default=None, max_length=64)
    inputs: dict[str, Any] | None = None
    enabled: bool | None = None
    missed: MissedPolicy | None = None
    max_catch_up: int | None = Field(default=None, ge=0, le=MAX_CATCH_UP)
    description: str | None = Field(default=None, max_length=500)

    @field_validator("workflow", "cron", "timezone", "inputs", "enabled", "missed", "max_catch_up")
    @classmethod
    def _given(cls, value: Any) -> Any:
        # Validators run only on fields the body gives: these may be left out, not nulled.
        if value is None:
            raise ValueError("cannot be null (leave the field out to keep it)")
        return value


@router.post("", status_code=201)
async def create_schedule(
    body: ScheduleCreate, response: Response, context: ContextDep, access: EditorAccess
) -> Schedule:
    """Run a stored workflow on a cron schedule, in a time zone, with fixed inputs."""
    spec = store.ScheduleSpec(**body.model_dump())

    async def create(conn: AsyncConnection) -> uuid.UUID:
        try:
            return await store.create(conn, access, spec, utcnow())
        except store.WorkflowMissing as exc:
            raise not_found("workflow", exc.what) from None

    schedule_id = await transactions.write(context.engine, create)
    response.headers["Location"] = f"/v1/schedules/{schedule_id}"
    return await _require(context, access, schedule_id)


@router.get("")
async def list_schedules(
    context: ContextDep,
    access: ViewerAccess,
    limit: Limit = 100,
    cursor: CursorQuery = None,
    workflow: Annotated[
        str | None, Query(max_length=128, description="Only this workflow's schedules")
    ] = None,
) -> PageOut[Schedule]:
    """The project's schedules, newest first."""
    async with read_only(context.engine) as conn:
        found = await store.page(
            conn, access, limit=limit, cursor=Cursor.decode(cursor), workflow=workflow
        )
    return PageOut[Schedule].of(found)


@router.get("/{schedule_id}")
async def get_schedule(
    schedule_id: uuid.UUID, context: ContextDep, access: ViewerAccess
) -> Schedule:
    return await _require(context, access, schedule_id)


@router.patch("/{schedule_id}")
async def change_schedule(
    schedule_id: uuid.UUID, body: ScheduleChange, context: ContextDep, access: EditorAccess
) -> Schedule:
    """Change some of a schedule's fields. A new cron expression or time zone counts its
    ticks from now."""
    return await _change(context, access, schedule_id, body.model_dump(exclude_unset=True))


@router.post("/{schedule_id}/pause")
async def pause_schedule(
    schedule_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> Schedule:
    """Stop firing until resumed."""
    return await _change(context, access, schedule_id, {"enabled": False})


@router.post("/{schedule_id}/resume")
async def resume_schedule(
    schedule_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> Schedule:
    """Fire again from the next tick after now: ticks that fell while paused do not fire."""
    return await _change(context, access, schedule_id, {"enabled": True})


@router.delete("/{schedule_id}", status_code=204)
async def delete_schedule(
    schedule_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> Response:
    async def delete(conn: AsyncConnection) -> bool:
        return await store.delete(conn, access, schedule_id)

    if not await transactions.write(context.engine, delete):
        raise not_found("schedule", schedule_id)
    return Response(status_code=204)


async def _change(
    context: GatewayContext, access: Access, schedule_id: uuid.UUID, changes: dict[str, Any]
) -> Schedule:
    async def change(conn: AsyncConnection) -> bool:
        try:
            return await store.update(conn, access, schedule_id, changes, utcnow())
        except store.WorkflowMissing as exc:
            raise not_found("workflow", exc.what) from None

    if not await transactions.write(context.engine, change):
        raise not_found("schedule", schedule_id)
    return await _require(context, access, schedule_id)


async def _require(context: GatewayContext, tenant: Tenant, schedule_id: uuid.UUID) -> Schedule:
    async with read_only(context.engine) as conn:
        found = await store.get(conn, tenant, schedule_id)
    if found is None:
        raise not_found("schedule", schedule_id)
    return Schedule.model_validate(found)
