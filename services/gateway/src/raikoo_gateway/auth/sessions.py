"""Sign-in sessions of the web console: a random token in an HttpOnly cookie (stored
hashed), and a CSRF token that a cookie-authenticated write must echo in ``X-CSRF-Token``
(double submit: the console reads it from a second, script-readable cookie)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.principal import Principal
from raikoo_gateway.problems import Problem

SESSION_COOKIE = "raikoo_session"
CSRF_COOKIE = "raikoo_csrf"
CSRF_HEADER = "x-csrf-token"
ORG_HEADER = "raikoo-organization"
SESSION_LIFETIME = timedelta(hours=12)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class NewSession:
    id: uuid.UUID
    token: str
    csrf: str


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def create_session(conn: AsyncConnection, user_id: uuid.UUID) -> NewSession:
    token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(24), utcnow()
    session_id = uuid.uuid4()
    await conn.execute(
        sa.insert(t.sessions).values(
            id=session_id,
            user_id=user_id,
            token_hash=_hash(token),
            csrf_hash=_hash(csrf),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return NewSession(session_id, token, csrf)


def set_session_cookies(response: Response, session: NewSession, *, secure: bool) -> None:
    age = int(SESSION_LIFETIME.total_seconds())
    response.set_cookie(
        SESSION_COOKIE, session.token, max_age=age, httponly=True, secure=secure, samesite="lax"
    )
    response.set_cookie(
        CSRF_COOKIE, session.csrf, max_age=age, httponly=False, secure=secure, samesite="strict"
    )


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)


async def revoke_session(conn: AsyncConnection, token: str) -> None:
    await conn.execute(
        sa.update(t.sessions)
        .where(t.sessions.c.token_hash == _hash(token), t.sessions.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


@dataclass(frozen=True)
class _Signed:
    session_id: uuid.UUID
    user_id: uuid.UUID
    name: str


async def _session(conn: AsyncConnection, request: Request, token: str) -> _Signed:
    """The session's user; for a write, only with the session's CSRF token."""
    from raikoo_gateway.auth.authenticate import unauthenticated

    s, u = t.sessions.c, t.users.c
    found = (
        await conn.execute(
            sa.select(s.id, s.csrf_hash, s.expires_at, s.revoked_at, u.id.label("user_id"), u.name)
            .join(t.users, u.id == s.user_id)
            .where(s.token_hash == _hash(token))
        )
    ).first()
    if found is None or found.revoked_at is not None or found.expires_at <= utcnow():
        raise unauthenticated("the session expired or was signed out: sign in again")
    if request.method in UNSAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(_hash(sent), found.csrf_hash):
            raise Problem(
                403,
                "CSRF token missing",
                f"a write signed in with a session cookie must send the {CSRF_COOKIE} "
                f"cookie's value in the {CSRF_HEADER} header",
                "csrf",
            )
    return _Signed(found.id, found.user_id, found.name)


async def signed_in_user(engine: AsyncEngine, request: Request) -> uuid.UUID:
    """The signed-in person of this request (a member of an organization or not)."""
    from raikoo_gateway.auth.authenticate import unauthenticated

    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise unauthenticated("sign in first (this needs a signed-in person, not an API key)")
    async with read_only(engine) as conn:
        return (await _session(conn, request, token)).user_id


async def session_principal(engine: AsyncEngine, request: Request, token: str) -> Principal:
    m, o = t.memberships.c, t.organizations.c
    async with read_only(engine) as conn:
        found = await _session(conn, request, token)
        memberships = (
            await conn.execute(
                sa.select(m.org_id, m.role, o.slug)
                .join(t.organizations, o.id == m.org_id)
                .where(m.user_id == found.user_id)
            )
        ).all()
    chosen = request.headers.get(ORG_HEADER)
    if chosen:
        picked = [row for row in memberships if chosen in (row.slug, str(row.org_id))]
    else:
        picked = list(memberships) if len(memberships) == 1 else []
    if not picked:
        if not memberships:
            raise Problem(403, "No organization", "you are a member of no organization", "no-org")
        names = ", ".join(sorted(row.slug for row in memberships))
        raise Problem(
            400,
            "Organization required",
            f"name the organization in the {ORG_HEADER} header (yours: {names})",
            "organization-required",
        )
    org = picked[0]
    return Principal(
        "user", found.user_id, found.name, org.org_id, org.role, None, found.session_id
    )
