"""Organizations, their members, invitations, projects and API keys (gateway-owned)."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.workflow.control import ROLE_RANK, Role
from raikoo_gateway.auth import keys
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit
from raikoo_gateway.service.bootstrap import insert_key
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.tenancy import insert_organization

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")
INVITATION_LIFETIME = timedelta(days=7)


def check_slug(slug: str, what: str) -> None:
    if not SLUG.match(slug):
        raise Problem(
            422,
            "Invalid request",
            f"{what} {slug!r}: use lowercase letters, digits and -, up to 63 characters",
            "invalid-request",
            errors=[{"path": "slug", "message": "lowercase letters, digits and -"}],
        )


def may_grant(access: Access, role: Role) -> None:
    """No one hands out more than they hold (an admin cannot make an owner)."""
    if not access.principal.at_least(role):
        raise Problem(
            403,
            "Role too low",
            f"{access.principal.name} is {access.principal.role!r} and cannot grant {role!r}",
            "forbidden",
            required_role=role,
        )


PROJECT_FIELDS = ("id", "slug", "name", "created_at")
MEMBER_FIELDS = ("user_id", "name", "email", "role", "created_at")
INVITATION_FIELDS = ("id", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at")
KEY_FIELDS = (
    "id",
    "name",
    "role",
    "prefix",
    "project",
    "created_by",
    "created_at",
    "expires_at",
    "revoked_at",
    "last_used_at",
)


def _fields(row: sa.Row[Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The row's named fields (a page's rows also hold its position columns)."""
    mapping = row._mapping
    return {name: mapping[name] for name in names}


# -- organization ---------------------------------------------------------------------


async def create_organization(
    conn: AsyncConnection, user_id: uuid.UUID, slug: str, name: str
) -> dict[str, Any]:
    """A new organization (with its default project) owned by the signed-in person."""
    check_slug(slug, "organization")
    o = t.organizations.c
    if await conn.scalar(sa.select(o.id).where(o.slug == slug)) is not None:
        raise Problem(409, "Organization exists", f"the slug {slug!r} is taken", "conflict")
    tenant = await insert_organization(conn, slug, name)
    await conn.execute(
        sa.insert(t.memberships).values(
            org_id=tenant.org_id, user_id=user_id, role="owner", created_at=utcnow()
        )
    )
    person = await conn.scalar(sa.select(t.users.c.name).where(t.users.c.id == user_id))
    actor = (str(person), f"user:{user_id}")
    await audit.record_as(conn, tenant.org_id, None, actor, "organization.created", slug)
    row = (
        await conn.execute(
            sa.select(o.id, o.slug, o.name, o.created_at).where(o.id == tenant.org_id)
        )
    ).one()
    return dict(row._mapping)


async def organizations_of(
    conn: AsyncConnection, user_id: uuid.UUID, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    """The organizations a person belongs to, by slug, with their role in each."""
    o, m = t.organizations.c, t.memberships.c
    query = (
        sa.select(o.id, o.slug, o.name, o.created_at, m.role)
        .join(t.memberships, m.org_id == o.id)
        .where(m.user_id == user_id)
    )
    rows, after = await keyset_page(conn, query, [o.slug], limit=limit, cursor=cursor)
    return Page([_fields(row, ("id", "slug", "name", "created_at", "role")) for row in rows], after)


async def organization(conn: AsyncConnection, access: Access) -> dict[str, Any]:
    o = t.organizations.c
    row = (
        await conn.execute(
            sa.select(o.id, o.slug, o.name, o.created_at).where(o.id == access.org_id)
        )
    ).one()
    return dict(row._mapping)


async def rename_organization(conn: AsyncConnection, access: Access, name: str) -> None:
    await conn.execute(
        sa.update(t.organizations).where(t.organizations.c.id == access.org_id).values(name=name)
    )
    await audit.record(conn, access, "organization.renamed", None, {"name": name})


# -- projects -------------------------------------------------------------------------


async def list_projects(
    conn: AsyncConnection, access: Access, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    """The organization's projects by slug (a project key sees its own only)."""
    p = t.projects.c
    query = sa.select(p.id, p.slug, p.name, p.created_at).where(p.org_id == access.org_id)
    if access.principal.project_id is not None:
        query = query.where(p.id == access.principal.project_id)
    rows, after = await keyset_page(conn, query, [p.slug], limit=limit, cursor=cursor)
    return Page([_fields(row, PROJECT_FIELDS) for row in rows], after)


async def create_project(
    conn: AsyncConnection, access: Access, slug: str, name: str
) -> dict[str, Any]:
    check_slug(slug, "project")
    p = t.projects.c
    exists = await conn.scalar(sa.select(p.id).where(p.org_id == access.org_id, p.slug == slug))
    if exists is not None:
        raise Problem(409, "Project exists", f"project {slug!r} exists already", "conflict")
    project = {"id": uuid.uuid4(), "slug": slug, "name": name, "created_at": utcnow()}
    await conn.execute(sa.insert(t.projects).values(org_id=access.org_id, **project))
    await audit.record(conn, access, "project.created", slug)
    return project


# -- members and invitations ----------------------------------------------------------


async def members(
    conn: AsyncConnection, access: Access, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    """The organization's members by name."""
    m, u = t.memberships.c, t.users.c
    query = (
        sa.select(u.id.label("user_id"), u.name, u.email, m.role, m.created_at)
        .join(t.users, u.id == m.user_id)
        .where(m.org_id == access.org_id)
    )
    rows, after = await keyset_page(conn, query, [u.name, u.id], limit=limit, cursor=cursor)
    return Page([_fields(row, MEMBER_FIELDS) for row in rows], after)


async def change_member(
    conn: AsyncConnection, access: Access, user_id: uuid.UUID, role: Role | None
) -> None:
    """A new role for a member, or (None) removal. The last owner stays."""
    m = t.memberships.c
    current = await conn.scalar(
        sa.select(m.role).where(m.org_id == access.org_id, m.user_id == user_id).with_for_update()
        if conn.dialect.name == "postgresql"
        else sa.select(m.role).where(m.org_id == access.org_id, m.user_id == user_id)
    )
    if current is None:
        raise not_found("member", user_id)
    may_grant(access, current)  # an admin cannot demote or remove an owner
    if role is not None:
        may_grant(access, role)
    if current == "owner" and role != "owner":
        owners = await conn.scalar(
            sa.select(sa.func.count()).where(m.org_id == access.org_id, m.role == "owner")
        )
        if int(owners or 0) <= 1:
            raise Problem(
                409, "Last owner", "an organization keeps at least one owner", "last-owner"
            )
    where = sa.and_(m.org_id == access.org_id, m.user_id == user_id)
    if role is None:
        await conn.execute(sa.delete(t.memberships).where(where))
        await audit.record(conn, access, "member.removed", str(user_id))
    else:
        await conn.execute(sa.update(t.memberships).where(where).values(role=role))
        await audit.record(conn, access, "member.role_changed", str(user_id), {"role": role})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def invite(
    conn: AsyncConnection, access: Access, email: str, role: Role
) -> tuple[dict[str, Any], str]:
    may_grant(access, role)
    token, now = secrets.token_urlsafe(24), utcnow()
    invitation = {
        "id": uuid.uuid4(),
        "email": email.lower(),
        "role": role,
        "invited_by": access.principal.name,
        "created_at": now,
        "expires_at": now + INVITATION_LIFETIME,
        "accepted_at": None,
    }
    await conn.execute(
        sa.insert(t.invitations).values(
            org_id=access.org_id, token_hash=_token_hash(token), **invitation
        )
    )
    await audit.record(conn, access, "member.invited", email.lower(), {"role": role})
    return invitation, token


async def invitations(
    conn: AsyncConnection, access: Access, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    """The organization's invitations, newest first."""
    i = t.invitations.c
    query = sa.select(
        i.id, i.email, i.role, i.invited_by, i.created_at, i.expires_at, i.accepted_at
    ).where(i.org_id == access.org_id)
    rows, after = await keyset_page(
        conn, query, [i.created_at, i.id], limit=limit, cursor=cursor, descending=True
    )
    return Page([_fields(row, INVITATION_FIELDS) for row in rows], after)


async def withdraw_invitation(
    conn: AsyncConnection, access: Access, invitation_id: uuid.UUID
) -> None:
    i = t.invitations.c
    done = await conn.execute(
        sa.delete(t.invitations).where(i.id == invitation_id, i.org_id == access.org_id)
    )
    if done.rowcount == 0:
        raise not_found("invitation", invitation_id)
    await audit.record(conn, access, "invitation.withdrawn", str(invitation_id))


async def accept_invitation(conn: AsyncConnection, user_id: uuid.UUID, token: str) -> uuid.UUID:
    """Make the user a member; returns the organization's id."""
    i = t.invitations.c
    found = (
        await conn.execute(
            sa.select(i.id, i.org_id, i.role, i.expires_at, i.accepted_at).where(
                i.token_hash == _token_hash(token)
            )
        )
    ).first()
    if found is None or found.accepted_at is not None or found.expires_at <= utcnow():
        raise Problem(404, "Not found", "no open invitation has this token", "not-found")
    await _join(conn, found, user_id)
    return uuid.UUID(str(found.org_id))


async def accept_invitation_by_email(conn: AsyncConnection, user_id: uuid.UUID, email: str) -> None:
    """A person signing in with a verified email joins every organization that invited it."""
    i = t.invitations.c
    rows = await conn.execute(
        sa.select(i.id, i.org_id, i.role).where(
            i.email == email.lower(), i.accepted_at.is_(None), i.expires_at > utcnow()
        )
    )
    for row in rows.all():
        await _join(conn, row, user_id)


async def _join(conn: AsyncConnection, invitation: Any, user_id: uuid.UUID) -> None:
    """Accept an open invitation: its role for the user, unless they are a member already."""
    i, m = t.invitations.c, t.memberships.c
    member = await conn.scalar(
        sa.select(m.role).where(m.org_id == invitation.org_id, m.user_id == user_id)
    )
    if member is None:
        await conn.execute(
            sa.insert(t.memberships).values(
                org_id=invitation.org_id, user_id=user_id, role=invitation.role, created_at=utcnow()
            )
        )
    await conn.execute(
        sa.update(t.invitations)
        .where(i.id == invitation.id)
        .values(accepted_at=utcnow(), accepted_by=user_id)
    )
    name = await conn.scalar(sa.select(t.users.c.name).where(t.users.c.id == user_id))
    await audit.record_as(
        conn,
        invitation.org_id,
        None,
        (str(name), f"user:{user_id}"),
        "member.joined",
        str(user_id),
        {"role": invitation.role, "invitation": str(invitation.id)},
    )


# -- API keys -------------------------------------------------------------------------


async def create_key(
    conn: AsyncConnection,
    access: Access,
    *,
    name: str,
    role: Role,
    project: str | None,
    expires_at: datetime | None,
) -> tuple[dict[str, Any], str]:
    may_grant(access, role)
    project_id = access.principal.project_id
    if project is not None:
        p = t.projects.c
        found = await conn.scalar(
            sa.select(p.id).where(p.org_id == access.org_id, p.slug == project)
        )
        if found is None:
            raise not_found("project", repr(project))
        if project_id is not None and found != project_id:
            raise Problem(
                403, "Project not allowed", "a project key makes keys of its project", "forbidden"
            )
        project_id = found
    if expires_at is not None and expires_at <= utcnow():
        raise Problem(
            422,
            "Invalid request",
            "expires_at is in the past",
            "invalid-request",
            errors=[{"path": "expires_at", "message": "must be in the future"}],
        )
    made = keys.new_key()
    key_id = await insert_key(
        conn,
        access,
        made,
        name=name,
        role=role,
        by=access.principal.name,
        project_id=project_id,
        expires_at=expires_at,
    )
    await audit.record(conn, access, "key.created", made.prefix, {"name": name, "role": role})
    view = (await list_keys(conn, access, limit=1, cursor=None, key_id=key_id)).items[0]
    return view, made.value


async def list_keys(
    conn: AsyncConnection,
    access: Access,
    *,
    limit: int,
    cursor: Cursor | None,
    key_id: uuid.UUID | None = None,
) -> Page[dict[str, Any]]:
    k, p = t.api_keys.c, t.projects.c
    query = (
        sa.select(
            k.id,
            k.name,
            k.role,
            k.prefix,
            p.slug.label("project"),
            k.created_by,
            k.created_at,
            k.expires_at,
            k.revoked_at,
            k.last_used_at,
        )
        .outerjoin(t.projects, p.id == k.project_id)
        .where(k.org_id == access.org_id)
    )
    if key_id is not None:
        query = query.where(k.id == key_id)
    if access.principal.project_id is not None:  # a project's key sees its project's keys
        query = query.where(k.project_id == access.principal.project_id)
    rows, after = await keyset_page(conn, query, [k.prefix], limit=limit, cursor=cursor)
    return Page([_fields(row, KEY_FIELDS) for row in rows], after)


async def revoke_key(conn: AsyncConnection, access: Access, key_id: uuid.UUID) -> str:
    """Revoke a key of the organization; returns its prefix."""
    k = t.api_keys.c
    row = (
        await conn.execute(
            sa.select(k.prefix, k.role, k.revoked_at, k.project_id).where(
                k.id == key_id, k.org_id == access.org_id
            )
        )
    ).first()
    bound = access.principal.project_id
    if row is None or (bound is not None and row.project_id != bound):
        raise not_found("API key", key_id)  # a project's key reaches its project's keys only
    may_grant(access, row.role)
    if row.revoked_at is None:
        await conn.execute(sa.update(t.api_keys).where(k.id == key_id).values(revoked_at=utcnow()))
        await audit.record(conn, access, "key.revoked", row.prefix)
    return str(row.prefix)


def role_rank(role: str) -> int:
    return ROLE_RANK.get(role, -1)
