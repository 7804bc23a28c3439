"""Inbound hooks, managed by the project's editors (viewers read them; never their
secrets). Their calls are in ``hook_calls``."""

import uuid
from typing import Any

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.api.hooks import Hook, HookWithSecret
from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.problems import Problem
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import hooks as service
from raikoo_gateway.service import transactions
from raikoo_gateway.service.pages import INT4_MAX, Cursor, CursorQuery, Limit, PageOut

router = Routes(prefix="/v1/hooks", tags=["hooks"])

NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
_MAPPING_DESCRIPTION = (
    "Run inputs as templates of the workflow language over `body` (parsed JSON, a form's "
    "fields, or text), `headers` (lower-case names) and `query`; null: a JSON object body "
    "is the inputs as it is"
)


def _valid_mapping(value: dict[str, Any] | None) -> dict[str, Any] | None:
    service.check_mapping(value)
    return value


class HookCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "github-push",
                    "workflow": "triage-feedback",
                    "mapping": {"repo": "{{ body.repository.full_name }}"},
                }
            ]
        },
    )

    name: str = Field(pattern=NAME)
    workflow: str = Field(max_length=128, description="A stored workflow of the project")
    version: int | None = Field(
        default=None, ge=1, le=INT4_MAX, description="Pinned version; null: the latest at each call"
    )
    mapping: dict[str, Any] | None = Field(default=None, description=_MAPPING_DESCRIPTION)

    _mapping = field_validator("mapping")(_valid_mapping)


class HookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"enabled": False}]})

    name: str | None = Field(default=None, pattern=NAME)
    workflow: str | None = Field(default=None, max_length=128)
    version: int | None = Field(default=None, ge=1, le=INT4_MAX)
    mapping: dict[str, Any] | None = Field(default=None, description=_MAPPING_DESCRIPTION)
    enabled: bool | None = None

    _mapping = field_validator("mapping")(_valid_mapping)


@router.post("", status_code=201)
async def create_hook(
    body: HookCreate, response: Response, context: ContextDep, access: EditorAccess
) -> HookWithSecret:
    """A hook of a stored workflow; its secret is in this answer only."""

    async def create(conn: AsyncConnection) -> tuple[dict[str, Any], str]:
        return await service.create(
            conn,
            access,
            name=body.name,
            workflow=body.workflow,
            version=body.version,
            mapping=body.mapping,
        )

    view, secret = await transactions.write(context.engine, create)
    response.headers["Location"] = view["url"]
    return HookWithSecret(**view, secret=secret)


@router.get("")
async def list_hooks(
    context: ContextDep, access: ViewerAccess, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Hook]:
    """The project's hooks, by name (never their secrets)."""
    async with read_only(context.engine) as conn:
        page = await service.page(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[Hook].of(page)


@router.get("/{hook_id}")
async def get_hook(hook_id: uuid.UUID, context: ContextDep, access: ViewerAccess) -> Hook:
    async with read_only(context.engine) as conn:
        return Hook(**await service.get(conn, access, hook_id))


@router.patch("/{hook_id}")
async def update_hook(
    hook_id: uuid.UUID, body: HookUpdate, context: ContextDep, access: EditorAccess
) -> Hook:
    """Change a hook (``enabled: false`` stops it answering: calls get 404)."""
    changes = body.model_dump(exclude_unset=True)
    for field in ("name", "workflow", "enabled"):
        if field in changes and changes[field] is None:
            raise Problem(
                422,
                "Invalid request",
                f"{field} may not be null",
                "invalid-request",
                errors=[{"path": field, "message": "may not be null"}],
            )
    async with context.engine.begin() as conn:
        return Hook(**await service.update(conn, access, hook_id, changes))


@router.delete("/{hook_id}", status_code=204)
async def delete_hook(hook_id: uuid.UUID, context: ContextDep, access: EditorAccess) -> Response:
    async with context.engine.begin() as conn:
        await service.delete(conn, access, hook_id)
    return Response(status_code=204)


@router.post("/{hook_id}/rotate-secret")
async def rotate_hook_secret(
    hook_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> HookWithSecret:
    """A new secret, shown this once; the replaced one stays valid for
    ``RAIKOO_HOOK_PREVIOUS_SECRET_SECONDS`` (a day by default)."""
    grace = context.settings.hook_previous_secret_seconds
    async with context.engine.begin() as conn:
        view, secret = await service.rotate(conn, access, hook_id, grace)
    return HookWithSecret(**view, secret=secret)
