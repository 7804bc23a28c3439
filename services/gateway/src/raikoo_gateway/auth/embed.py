"""Embed tokens as credentials: ``Authorization: Bearer rke_<prefix>_<secret>``, sent by the
run widget a third-party page embeds.

A token names one workflow of one project and the browser origins that may use it. It is
no API key: ``Authenticator.principal`` refuses it on every route, and only the routes that
take ``EmbedAccess`` (``/v1/embed/…``) accept it. What a lookup found is kept for a few
seconds, as for API keys: a revocation reaches the other replicas within that time.
"""

from __future__ import annotations

import ipaddress
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_gateway.auth import keys
from raikoo_gateway.auth.authenticate import CACHE_SECONDS, unauthenticated

_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_ORIGINS = 20


def origin_of(value: str) -> str:
    """The origin ``value`` names, as browsers send it (``https://shop.example.com:8443``),
    or ValueError saying what is wrong. https only; http for loopback hosts (a developer's
    page); no path, query, fragment, credentials or wildcard."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError("an origin is https://host[:port]")
    if "*" in text:
        raise ValueError("wildcards are not allowed: list each origin")
    if parts.username is not None or parts.password is not None:
        raise ValueError("an origin has no user name or password")
    if parts.path not in ("", "/") or parts.query or parts.fragment or text.endswith("?"):
        raise ValueError("an origin has no path, query or fragment")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("the port is not a number from 0 to 65535") from None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise ValueError("use https (http only for localhost, 127.x.x.x or [::1])")
    shown_port = "" if port in (None, _DEFAULT_PORTS[parts.scheme]) else f":{port}"
    return f"{parts.scheme}://{host}{shown_port}"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def same_origin(origin: str) -> str | None:
    """A request's ``Origin`` header as ``origin_of`` writes it; None when it names none
    (``null``, a malformed value)."""
    try:
        return origin_of(origin)
    except ValueError:
        return None


EMBED_CORS = "raikoo.embed_cors"
"""The scope key where ``BrowserGate`` leaves a cross-origin embed request's ``EmbedCors``."""


@dataclass
class EmbedCors:
    """A request to ``/v1/embed/…`` from another origin than the API's own: answered with
    CORS headers once its token is found to list ``origin``."""

    origin: str
    allowed: bool = False


@dataclass(frozen=True)
class EmbedGrant:
    """What an embed token lets its bearer do."""

    id: uuid.UUID
    org_id: uuid.UUID
    project_id: uuid.UUID
    workflow_id: uuid.UUID
    version: int | None
    """The pinned version it starts; None: the workflow's latest at each start."""
    name: str
    prefix: str
    origins: tuple[str, ...]
    secret_hash: str
    expires_at: datetime | None
    revoked_at: datetime | None

    def live(self) -> bool:
        now = utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class EmbedTokens:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._grants: dict[str, tuple[float, EmbedGrant | None]] = {}
        self._listed: tuple[float, frozenset[str]] | None = None

    async def grant(self, value: str) -> EmbedGrant:
        """The live token ``value`` is, or 401 saying why not."""
        parts = keys.split(value, keys.EMBED_START)
        if parts is None:
            raise unauthenticated("the embed token is malformed: they look like rke_<prefix>_<…>")
        prefix, secret = parts
        grant = await self._grant(prefix)
        if grant is None or not keys.matches(secret, grant.secret_hash):
            raise unauthenticated(f"unknown embed token {prefix}_…")
        if grant.revoked_at is not None:
            raise unauthenticated(f"embed token {prefix}_… was revoked")
        if not grant.live():
            raise unauthenticated(f"embed token {prefix}_… expired")
        return grant

    async def frame_ancestors(self, prefix: str) -> tuple[str, ...]:
        """The origins whose pages may frame the widget of the token with ``prefix`` (none
        for a token unknown, revoked or expired). The prefix is no secret: it only picks
        whose allow list the page is served with."""
        grant = await self._grant(prefix) if prefix.startswith(keys.EMBED_START) else None
        return grant.origins if grant is not None and grant.live() else ()

    async def listed(self, origin: str) -> bool:
        """Whether a live token lists ``origin``: a CORS preflight carries no token, so it
        is answered for the origins some token allows (the request itself is checked
        against its own token's list)."""
        if self._listed is None or self._listed[0] <= time.monotonic():
            e = t.embed_tokens.c
            query = sa.select(e.origins, e.expires_at).where(e.revoked_at.is_(None))
            async with read_only(self._engine) as conn:
                rows = (await conn.execute(query)).all()
            now = utcnow()
            origins = frozenset(
                str(o)
                for row in rows
                if row.expires_at is None or row.expires_at > now
                for o in row.origins
            )
            self._listed = (time.monotonic() + CACHE_SECONDS, origins)
        return origin in self._listed[1]

    def forget(self, prefix: str) -> None:
        """A token changed here (made or revoked): stop trusting what was cached of it."""
        self._grants.pop(prefix, None)
        self._listed = None

    async def _grant(self, prefix: str) -> EmbedGrant | None:
        cached = self._grants.get(prefix)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        e = t.embed_tokens.c
        query = sa.select(
            e.id,
            e.org_id,
            e.project_id,
            e.workflow_id,
            e.version,
            e.name,
            e.prefix,
            e.origins,
            e.secret_hash,
            e.expires_at,
            e.revoked_at,
        ).where(e.prefix == prefix)
        async with read_only(self._engine) as conn:
            row = (await conn.execute(query)).first()
        grant = None
        if row is not None:
            values = row._asdict() | {"origins": tuple(row.origins)}
            grant = EmbedGrant(**values)
        if len(self._grants) > 10_000:
            self._grants.clear()
        self._grants[prefix] = (time.monotonic() + CACHE_SECONDS, grant)
        return grant
