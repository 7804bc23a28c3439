"""The first credential of an installation.

Embedded mode makes a local admin (an owner of the default organization) and an API key
for it, written to an owner-only file in the data directory: the CLI on the same machine
finds it there, so `raikoo run` against a local `raikoo up` needs no extra step, and the
key is printed once for other clients. A deployment gives its gateway an owner key to
create instead (``RAIKOO_BOOTSTRAP_ADMIN_KEY``).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_gateway.auth import keys
from raikoo_gateway.service.tenancy import Tenant, insert_organization

LOCAL_ADMIN_FILE = "local-admin.key"
LOCAL_ADMIN_NAME = "local admin"


async def ensure_local_admin(engine: AsyncEngine, tenant: Tenant, data_dir: Path) -> str | None:
    """The local admin's key, made (and written to ``data_dir``) when there is none that
    works; returns the key when it was just made (to be shown once), else None."""
    path = data_dir / LOCAL_ADMIN_FILE
    if path.exists() and await _works(engine, path.read_text().strip()):
        return None
    made = keys.new_key()
    async with engine.begin() as conn:
        user_id = await _local_admin_user(conn, tenant)
        await insert_key(conn, tenant, made, name=LOCAL_ADMIN_NAME, role="owner", by=str(user_id))
    _write_owner_only(path, made.value + "\n")
    return made.value


def _write_owner_only(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    temporary.replace(path)


async def ensure_key(engine: AsyncEngine, tenant: Tenant, value: str, *, name: str) -> None:
    """Make ``value`` an owner key of ``tenant``'s organization unless it is one already."""
    parts = keys.split(value)
    if parts is None:
        raise ValueError(
            f"{name}: not an API key (rk_<prefix>_<secret>); use `raikoo keys generate`"
        )
    prefix, secret = parts
    async with engine.begin() as conn:
        exists = await conn.scalar(sa.select(t.api_keys.c.id).where(t.api_keys.c.prefix == prefix))
        if exists is None:
            made = keys.NewKey(value, prefix, keys.digest(secret))
            await insert_key(conn, tenant, made, name=name, role="owner", by="bootstrap")


async def organization_with_owner_key(
    engine: AsyncEngine, slug: str, name: str, *, key_name: str
) -> tuple[Tenant, str]:
    """A new organization (and its default project) with an owner key; returns the tenant
    and the whole key (shown once). Tests make a second organization with it."""
    made = keys.new_key()
    async with engine.begin() as conn:
        tenant = await insert_organization(conn, slug, name)
        await insert_key(conn, tenant, made, name=key_name, role="owner", by="bootstrap")
    return tenant, made.value


async def insert_key(
    conn: AsyncConnection,
    tenant: Tenant,
    made: keys.NewKey,
    *,
    name: str,
    role: str,
    by: str,
    project_id: uuid.UUID | None = None,
    expires_at: object = None,
) -> uuid.UUID:
    key_id = uuid.uuid4()
    await conn.execute(
        sa.insert(t.api_keys).values(
            id=key_id,
            org_id=tenant.org_id,
            project_id=project_id,
            name=name,
            role=role,
            prefix=made.prefix,
            secret_hash=made.secret_hash,
            created_by=by,
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )
    return key_id


async def _works(engine: AsyncEngine, value: str) -> bool:
    parts = keys.split(value)
    if parts is None:
        return False
    k = t.api_keys.c
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                sa.select(k.secret_hash, k.revoked_at, k.expires_at).where(k.prefix == parts[0])
            )
        ).first()
    return bool(
        row is not None
        and row.revoked_at is None
        and (row.expires_at is None or row.expires_at > utcnow())
        and keys.matches(parts[1], row.secret_hash)
    )


async def _local_admin_user(conn: AsyncConnection, tenant: Tenant) -> uuid.UUID:
    u, m = t.users.c, t.memberships.c
    found = await conn.scalar(
        sa.select(u.id)
        .join(t.memberships, m.user_id == u.id)
        .where(u.name == LOCAL_ADMIN_NAME, u.issuer.is_(None), m.org_id == tenant.org_id)
    )
    if found is not None:
        return found  # type: ignore[no-any-return]
    user_id, now = uuid.uuid4(), utcnow()
    await conn.execute(sa.insert(t.users).values(id=user_id, name=LOCAL_ADMIN_NAME, created_at=now))
    await conn.execute(
        sa.insert(t.memberships).values(
            org_id=tenant.org_id, user_id=user_id, role="owner", created_at=now
        )
    )
    return user_id
