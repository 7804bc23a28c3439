"""Embed tokens: made, listed and revoked by a project's editors; used by the run widget to
start runs of their one workflow and to read the runs they started (gateway-owned)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.outbox import OutboxOwner
from raikoo_gateway.auth import keys
from raikoo_gateway.auth.policy import EmbedCaller
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit
from raikoo_gateway.service.hooks import stored_workflow_id
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.runs import RunCreated, request_run
from raikoo_gateway.service.workflows import StoredVersion, find_version

TRIGGER = "embed"

TOKEN_FIELDS = (
    "id",
    "name",
    "prefix",
    "workflow",
    "version",
    "origins",
    "created_by",
    "created_at",
    "expires_at",
    "revoked_at",
)


async def create_token(
    conn: AsyncConnection,
    access: Access,
    *,
    name: str,
    workflow: str,
    version: int | None,
    origins: list[str],
    expires_at: datetime | None,
) -> tuple[dict[str, Any], str]:
    """A new token for ``workflow`` of the caller's project; returns its view and the
    whole token (shown this once)."""
    if expires_at is not None and expires_at <= utcnow():
        raise Problem(
            422,
            "Invalid request",
            "expires_at is in the past",
            "invalid-request",
            errors=[{"path": "expires_at", "message": "must be in the future"}],
        )
    made = keys.new_key(keys.EMBED_START)
    token_id = uuid.uuid4()
    await conn.execute(
        sa.insert(t.embed_tokens).values(
            id=token_id,
            org_id=access.org_id,
            project_id=access.project_id,
            name=name,
            workflow_id=await stored_workflow_id(conn, access, workflow, version),
            version=version,
            origins=origins,
            prefix=made.prefix,
            secret_hash=made.secret_hash,
            created_by=access.principal.name,
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )
    details = {"name": name, "workflow": workflow, "origins": origins}
    await audit.record(conn, access, "embed_token.created", made.prefix, details)
    view = (await list_tokens(conn, access, limit=1, cursor=None, token_id=token_id)).items[0]
    return view, made.value


async def list_tokens(
    conn: AsyncConnection,
    access: Access,
    *,
    limit: int,
    cursor: Cursor | None,
    token_id: uuid.UUID | None = None,
) -> Page[dict[str, Any]]:
    """The project's embed tokens, newest first."""
    e = t.embed_tokens.c
    query = (
        sa.select(
            e.id,
            e.name,
            e.prefix,
            t.workflows.c.name.label("workflow"),
            e.version,
            e.origins,
            e.created_by,
            e.created_at,
            e.expires_at,
            e.revoked_at,
        )
        .join(t.workflows, t.workflows.c.id == e.workflow_id)
        .where(e.org_id == access.org_id, e.project_id == access.project_id)
    )
    if token_id is not None:
        query = query.where(e.id == token_id)
    rows, after = await keyset_page(
        conn, query, [e.created_at, e.id], limit=limit, cursor=cursor, descending=True
    )
    return Page([{name: row._mapping[name] for name in TOKEN_FIELDS} for row in rows], after)


async def revoke_token(conn: AsyncConnection, access: Access, token_id: uuid.UUID) -> str:
    """Revoke a token of the caller's project; returns its prefix."""
    e = t.embed_tokens.c
    row = (
        await conn.execute(
            sa.select(e.prefix, e.revoked_at).where(
                e.id == token_id, e.org_id == access.org_id, e.project_id == access.project_id
            )
        )
    ).first()
    if row is None:
        raise not_found("embed token", token_id)
    if row.revoked_at is None:
        await conn.execute(
            sa.update(t.embed_tokens).where(e.id == token_id).values(revoked_at=utcnow())
        )
        await audit.record(conn, access, "embed_token.revoked", row.prefix)
    return str(row.prefix)


# -- what a token's bearer does ----------------------------------------------------------


async def embedded_version(conn: AsyncConnection, caller: EmbedCaller) -> StoredVersion:
    """The version of the token's workflow a run started now runs (pinned, or the latest)."""
    grant = caller.grant
    w = t.workflows.c
    name = await conn.scalar(
        sa.select(w.name).where(
            w.id == grant.workflow_id, w.org_id == caller.org_id, w.project_id == caller.project_id
        )
    )
    found = await find_version(conn, caller, name, grant.version) if name is not None else None
    if found is None:
        raise not_found("the embedded workflow", f"of token {grant.prefix}_…")
    return found


async def start_run(
    conn: AsyncConnection,
    caller: EmbedCaller,
    inputs: Mapping[str, Any],
    outbox_owner: OutboxOwner,
) -> RunCreated:
    """A run of the token's workflow, recorded as the token's (the only runs it reads)."""
    version = await embedded_version(conn, caller)
    created = await request_run(
        conn,
        caller,
        version,
        inputs,
        idempotency_key=None,
        trigger=TRIGGER,
        outbox_owner=outbox_owner,
    )
    await conn.execute(
        sa.insert(t.embed_runs).values(
            run_id=created.run_id,
            token_id=caller.grant.id,
            org_id=caller.org_id,
            created_at=utcnow(),
        )
    )
    details = {"workflow": version.name, "version": version.version, "trigger": TRIGGER}
    await audit.record(conn, caller, "run.started", str(created.run_id), details)
    return created


async def require_own_run(conn: AsyncConnection, caller: EmbedCaller, run_id: uuid.UUID) -> None:
    """404 unless the token started ``run_id``: any other run, of its workflow or not, is
    indistinguishable from a missing one."""
    r = t.embed_runs.c
    found = await conn.scalar(
        sa.select(r.run_id).where(
            r.run_id == run_id, r.token_id == caller.grant.id, r.org_id == caller.org_id
        )
    )
    if found is None:
        raise not_found("run", run_id)
