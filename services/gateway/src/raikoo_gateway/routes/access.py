"""Tenancy and access: who am I, the organization, its projects, members, invitations, API
keys and audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.api.access import (
    AuditEvent,
    Invitation,
    InvitationCreated,
    Key,
    KeyCreated,
    Me,
    Member,
    Membership,
    Organization,
    Project,
)
from raikoo_common.db.engine import read_only
from raikoo_common.workflow.control import Role
from raikoo_gateway.auth.policy import (
    AdminAccess,
    OrganizationAdminAccess,
    OrganizationOwnerAccess,
    SignedIn,
    ViewerAccess,
)
from raikoo_gateway.context import ContextDep
from raikoo_gateway.problems import Problem
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import access as service
from raikoo_gateway.service import audit
from raikoo_gateway.service.pages import Cursor, CursorQuery, Limit, PageOut
from raikoo_gateway.service.transactions import write

router = Routes(prefix="/v1", tags=["access"])


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganizationIn(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"slug": "acme", "name": "Acme Corp"}]}
    )

    slug: str = Field(min_length=1, max_length=63, description="lowercase letters, digits, -")
    name: str = Field(min_length=1, max_length=200)


class OrganizationPatch(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "Acme Corporation"}]}
    )

    name: str = Field(min_length=1, max_length=200)


class ProjectIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"slug": "billing", "name": "Billing automations"}]},
    )

    slug: str = Field(min_length=1, max_length=63)
    name: str = Field(min_length=1, max_length=200)


class MemberPatch(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "admin"}]})

    role: Role


class InvitationIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"email": "ada@example.com", "role": "editor"}]},
    )

    email: str = Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    role: Role


class KeyIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "ci-deploy",
                    "role": "editor",
                    "project": "billing",
                    "expires_at": "2027-06-30T00:00:00Z",
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    role: Role = Field(description="At most the creator's own role")
    project: str | None = Field(default=None, description="Bind the key to this project (slug)")
    expires_at: datetime | None = None


@router.get("/me")
async def me(access: ViewerAccess, context: ContextDep) -> Me:
    """Who the credentials belong to, in which organization and project."""
    async with read_only(context.engine) as conn:
        org = await service.organization(conn, access)
    principal = access.principal
    return Me(
        kind=principal.kind,
        id=principal.id,
        name=principal.name,
        role=principal.role,
        organization=org["slug"],
        project=access.project_id,
        project_bound=principal.project_id is not None,
    )


@router.get("/organizations")
async def my_organizations(
    user_id: SignedIn, context: ContextDep, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Membership]:
    """The organizations the signed-in person belongs to, with their role in each (name one
    in the Raikoo-Organization header to act in it)."""
    async with read_only(context.engine) as conn:
        page = await service.organizations_of(
            conn, user_id, limit=limit, cursor=Cursor.decode(cursor)
        )
    return PageOut[Membership].of(page)


@router.post("/organizations", status_code=201)
async def create_organization(
    body: OrganizationIn, user_id: SignedIn, context: ContextDep
) -> Organization:
    """A new organization, with a default project, owned by the signed-in person."""
    if not context.settings.allow_org_creation:
        raise Problem(
            403,
            "Organizations are made by an administrator",
            "this Raikoo does not let people create organizations (RAIKOO_ALLOW_ORG_CREATION)",
            "forbidden",
        )
    created = await write(
        context.engine,
        lambda conn: service.create_organization(conn, user_id, body.slug, body.name),
    )
    return Organization(**created)


@router.get("/organization")
async def get_organization(access: ViewerAccess, context: ContextDep) -> Organization:
    async with read_only(context.engine) as conn:
        return Organization(**await service.organization(conn, access))


@router.patch("/organization")
async def rename_organization(
    body: OrganizationPatch, access: OrganizationOwnerAccess, context: ContextDep
) -> Organization:
    async with context.engine.begin() as conn:
        await service.rename_organization(conn, access, body.name)
        return Organization(**await service.organization(conn, access))


@router.get("/projects")
async def list_projects(
    access: ViewerAccess, context: ContextDep, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Project]:
    """The organization's projects by slug (a project-bound key sees its own)."""
    async with read_only(context.engine) as conn:
        page = await service.list_projects(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[Project].of(page)


@router.post("/projects", status_code=201)
async def create_project(
    body: ProjectIn, access: OrganizationAdminAccess, context: ContextDep
) -> Project:
    async def create(conn: Any) -> dict[str, Any]:
        return await service.create_project(conn, access, body.slug, body.name)

    created = await write(context.engine, create)
    context.projects.forget(access.org_id)
    return Project(**created)


@router.get("/members")
async def list_members(
    access: ViewerAccess, context: ContextDep, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Member]:
    """The organization's members by name."""
    async with read_only(context.engine) as conn:
        page = await service.members(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[Member].of(page)


@router.patch("/members/{user_id}", status_code=204)
async def change_member(
    user_id: uuid.UUID, body: MemberPatch, access: OrganizationAdminAccess, context: ContextDep
) -> Response:
    async with context.engine.begin() as conn:
        await service.change_member(conn, access, user_id, body.role)
    return Response(status_code=204)


@router.delete("/members/{user_id}", status_code=204)
async def remove_member(
    user_id: uuid.UUID, access: OrganizationAdminAccess, context: ContextDep
) -> Response:
    async with context.engine.begin() as conn:
        await service.change_member(conn, access, user_id, None)
    return Response(status_code=204)


@router.get("/invitations")
async def list_invitations(
    access: AdminAccess, context: ContextDep, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Invitation]:
    """The organization's invitations, newest first (their tokens are never shown again)."""
    async with read_only(context.engine) as conn:
        page = await service.invitations(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[Invitation].of(page)


@router.post("/invitations", status_code=201)
async def invite(
    body: InvitationIn, access: OrganizationAdminAccess, context: ContextDep
) -> InvitationCreated:
    """Invite someone by email to a role; they accept after signing in (POST
    /v1/auth/invitations/accept with the token)."""
    async with context.engine.begin() as conn:
        invitation, token = await service.invite(conn, access, body.email, body.role)
    return InvitationCreated(**invitation, token=token)


@router.delete("/invitations/{invitation_id}", status_code=204)
async def withdraw_invitation(
    invitation_id: uuid.UUID, access: OrganizationAdminAccess, context: ContextDep
) -> Response:
    async with context.engine.begin() as conn:
        await service.withdraw_invitation(conn, access, invitation_id)
    return Response(status_code=204)


@router.get("/keys")
async def list_keys(
    access: AdminAccess, context: ContextDep, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Key]:
    async with read_only(context.engine) as conn:
        page = await service.list_keys(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[Key].of(page)


@router.post("/keys", status_code=201)
async def create_key(body: KeyIn, access: AdminAccess, context: ContextDep) -> KeyCreated:
    """A new API key: the whole key is in this answer only."""
    async with context.engine.begin() as conn:
        view, value = await service.create_key(
            conn,
            access,
            name=body.name,
            role=body.role,
            project=body.project,
            expires_at=body.expires_at,
        )
    return KeyCreated(**view, key=value)


@router.delete("/keys/{key_id}", status_code=204)
async def revoke_key(key_id: uuid.UUID, access: AdminAccess, context: ContextDep) -> Response:
    """Revoke a key: refused at once by this gateway, within seconds by the others."""
    async with context.engine.begin() as conn:
        prefix = await service.revoke_key(conn, access, key_id)
    context.auth.forget(prefix)
    return Response(status_code=204)


@router.get("/audit")
async def audit_log(
    access: AdminAccess,
    context: ContextDep,
    limit: Limit = 100,
    cursor: CursorQuery = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> PageOut[AuditEvent]:
    """Who did what in the organization, newest first."""
    async with read_only(context.engine) as conn:
        page = await audit.events(
            conn, access, limit=limit, cursor=Cursor.decode(cursor), action=action
        )
    return PageOut[AuditEvent].of(page)
