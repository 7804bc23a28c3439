"""What the routes of provider connections, personas and tools share: their views, the
scope a request acts on, and the reads and writes over ``service.ai_objects``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Query, Response
from pydantic import BaseModel, Field

from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.context import GatewayContext
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import ai_objects, transactions
from raikoo_gateway.service.ai_objects import Scope, StoredObject, Where
from raikoo_gateway.service.ai_specs import ObjectKind
from raikoo_gateway.service.pages import INT4_MAX, Cursor, Page

ObjectT = TypeVar("ObjectT", bound="StoredView")
NAME_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$"
Name = Annotated[str, Field(pattern=NAME_PATTERN)]
VersionNumber = Annotated[int, Field(ge=1, le=INT4_MAX)]
ScopeQuery = Annotated[
    Scope | None,
    Query(
        description="organization: the organization-wide connections; project: the request's "
        "project's own, which override one of the same name there. Reads without it find "
        "the project's, else the organization's; writes without it act on the organization's"
    ),
]


class StoredView(BaseModel):
    id: str
    name: str
    version: int = Field(description="Raised on every change; workflow versions pin one")
    scope: Scope
    description: str | None
    created_at: datetime
    updated_at: datetime = Field(description="When this version was written")

    @classmethod
    def of(cls: type[ObjectT], stored: StoredObject) -> ObjectT:
        return cls.model_validate(
            {
                "id": str(stored.id),
                "name": stored.name,
                "version": stored.version,
                "scope": stored.scope,
                "description": stored.description,
                "spec": stored.spec,
                "created_at": stored.created_at,
                "updated_at": stored.updated_at,
            }
        )

    @classmethod
    def page(cls: type[ObjectT], found: Page[StoredObject]) -> dict[str, Any]:
        return {
            "items": [cls.of(stored) for stored in found.items],
            "next_cursor": found.next.encode() if found.next else None,
        }


def where(kind: ObjectKind, access: Access, scope: Scope | None, *, write: bool) -> Where:
    """Personas and tools are the project's; a connection is the organization's unless the
    request says ``scope=project``. A key bound to a project may read the organization's
    connections (its runs use them) but not change them."""
    if kind != "provider" or scope == "project":
        return Where(kind, access.org_id, access.project_id)
    principal = access.principal
    if write and principal.project_id is not None:
        raise Problem(
            403,
            "Project-bound key",
            f"{principal.name} is bound to one project: it may write that project's "
            "connections (scope=project), not the organization's, which every project uses",
            "forbidden",
            required_scope="organization",
        )
    return Where(kind, access.org_id, None)


async def listed(
    context: GatewayContext, place: Where, limit: int, cursor: str | None
) -> Page[StoredObject]:
    async with read_only(context.engine) as conn:
        return await ai_objects.page(conn, place, limit=limit, cursor=Cursor.decode(cursor))


async def found(
    context: GatewayContext, kind: ObjectKind, access: Access, scope: Scope | None, name: str
) -> StoredObject:
    async with read_only(context.engine) as conn:
        if scope is None:
            org, project = access.org_id, access.project_id
            stored = await ai_objects.effective(conn, kind, org, project, name)
        else:
            stored = await ai_objects.find(conn, where(kind, access, scope, write=False), name)
    if stored is None:
        raise not_found(kind, repr(name))
    return stored


async def version(context: GatewayContext, place: Where, name: str, number: int) -> StoredObject:
    async with read_only(context.engine) as conn:
        stored = await ai_objects.find_version(conn, place, name, number)
    if stored is None:
        raise not_found(f"{place.kind} version", f"{name!r} {number}")
    return stored


async def versions(
    context: GatewayContext, place: Where, name: str, limit: int, cursor: str | None
) -> Page[StoredObject]:
    async with read_only(context.engine) as conn:
        page = await ai_objects.versions(
            conn, place, name, limit=limit, cursor=Cursor.decode(cursor)
        )
    if page is None:
        raise not_found(place.kind, repr(name))
    return page


async def written(
    context: GatewayContext,
    access: Access,
    place: Where,
    name: str,
    spec: BaseModel,
    response: Response,
    path: str,
    *,
    own_description: bool = True,
) -> StoredObject:
    """Create or replace (201 when created); an identical body changes nothing.
    ``own_description``: the description is the platform's, not part of the spec (a
    tool's is told to the model, so it stays in the spec)."""
    document = spec.model_dump(mode="json", exclude_none=True)
    description = document.pop("description", None) if own_description else None
    if not own_description:
        description = document.get("description") or None
    stored, created = await transactions.write(
        context.engine,
        lambda conn: ai_objects.put(conn, access, place, name, document, description),
    )
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"{path}/{name}"
    return stored


async def deleted(context: GatewayContext, access: Access, place: Where, name: str) -> Response:
    async with context.engine.begin() as conn:
        if not await ai_objects.delete(conn, access, place, name):
            raise not_found(place.kind, repr(name))
    return Response(status_code=204)
