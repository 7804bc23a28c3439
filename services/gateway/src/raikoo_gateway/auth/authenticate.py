"""From a request's credentials to a ``Principal``: an API key (``Authorization: Bearer
rk_…`` or ``X-Api-Key``) or a sign-in session cookie.

Looking a key up costs a database read, so what a lookup found is kept for a few seconds:
a revoked key stops working on this replica at once and on the others within that time.
When a key was last used is written at most once a minute per key, in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import structlog
from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_common.event_loop import stop_task
from raikoo_common.workflow.control import Role
from raikoo_gateway.auth import keys
from raikoo_gateway.auth.principal import Principal
from raikoo_gateway.auth.sessions import SESSION_COOKIE, session_principal
from raikoo_gateway.problems import Problem

log = structlog.get_logger(__name__)

CACHE_SECONDS = 10.0
"""How long a looked-up key is trusted: a revocation reaches other replicas within it."""


@dataclass(frozen=True)
class _KeyRow:
    id: uuid.UUID
    org_id: uuid.UUID
    project_id: uuid.UUID | None
    name: str
    role: Role
    secret_hash: str
    expires_at: datetime | None
    revoked_at: datetime | None


def unauthenticated(detail: str) -> Problem:
    return Problem(
        401,
        "Not authenticated",
        detail,
        "unauthenticated",
        headers={"WWW-Authenticate": 'Bearer realm="raikoo"'},
    )


class Authenticator:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._keys: dict[str, tuple[float, _KeyRow | None]] = {}
        self._used: dict[uuid.UUID, datetime] = {}
        self._written: dict[uuid.UUID, datetime] = {}
        self._task: asyncio.Task[None] | None = None

    async def principal(self, request: Request) -> Principal:
        token = _bearer(request) or request.headers.get("x-api-key")
        if token and token.strip().startswith(keys.EMBED_START):
            raise Problem(
                403,
                "Embed token",
                "an embed token only starts and reads runs of its own workflow "
                "(/v1/embed/…); this route takes an API key or a session",
                "forbidden",
            )
        if token:
            return await self.from_key(token.strip())
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            return await session_principal(self._engine, request, cookie)
        raise unauthenticated(
            "no credentials: send an API key (Authorization: Bearer rk_…, or X-Api-Key) or "
            "sign in (the console's session cookie)"
        )

    async def from_key(self, value: str) -> Principal:
        parts = keys.split(value)
        if parts is None:
            raise unauthenticated("the API key is malformed: keys look like rk_<prefix>_<secret>")
        prefix, secret = parts
        row = await self._row(prefix)
        if row is None or not keys.matches(secret, row.secret_hash):
            raise unauthenticated(f"unknown API key {prefix}_…")
        now = utcnow()
        if row.revoked_at is not None:
            raise unauthenticated(f"API key {prefix}_… was revoked")
        if row.expires_at is not None and row.expires_at <= now:
            raise unauthenticated(f"API key {prefix}_… expired at {row.expires_at.isoformat()}")
        self._used[row.id] = now
        return Principal("key", row.id, row.name, row.org_id, row.role, row.project_id)

    def forget(self, prefix: str) -> None:
        """A key changed here (revoked): stop trusting what was cached of it."""
        self._keys.pop(prefix, None)

    async def _row(self, prefix: str) -> _KeyRow | None:
        cached = self._keys.get(prefix)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        k = t.api_keys.c
        query = sa.select(
            k.id, k.org_id, k.project_id, k.name, k.role, k.secret_hash, k.expires_at, k.revoked_at
        ).where(k.prefix == prefix)
        async with read_only(self._engine) as conn:
            found = (await conn.execute(query)).first()
        row = _KeyRow(*found) if found is not None else None
        if len(self._keys) > 10_000:
            self._keys.clear()
        self._keys[prefix] = (time.monotonic() + CACHE_SECONDS, row)
        return row

    async def start(self) -> None:
        self._task = asyncio.create_task(self._note_use_forever(), name="api-keys-last-used")

    async def stop(self) -> None:
        await stop_task(self._task)
        with contextlib.suppress(Exception):
            await self._note_use()

    async def _note_use_forever(self) -> None:
        while True:
            await asyncio.sleep(5)
            try:
                await self._note_use()
            except Exception:
                log.warning("could not record when API keys were used", exc_info=True)

    async def _note_use(self) -> None:
        due = {
            key_id: at
            for key_id, at in self._used.items()
            if key_id not in self._written or (at - self._written[key_id]).total_seconds() >= 60
        }
        self._used = {k: v for k, v in self._used.items() if k not in due}
        if not due:
            return
        async with self._engine.begin() as conn:
            for key_id, at in due.items():
                await conn.execute(
                    sa.update(t.api_keys).where(t.api_keys.c.id == key_id).values(last_used_at=at)
                )
        self._written.update(due)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise unauthenticated("the Authorization header must be `Bearer <API key>`")
    return value
