"""Rotating the signing secret of an inbound hook or an outbound webhook subscription: the
new secret is shown once; the one it replaces stays valid for a grace period, so that the
other side can switch over (Standard Webhooks: two valid secrets at once)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_gateway.webhooks.signature import new_secret


async def rotate_secret(
    conn: AsyncConnection,
    table: sa.Table,
    row_id: uuid.UUID,
    org_id: uuid.UUID,
    grace_seconds: float,
) -> str:
    """Give row ``row_id`` of ``table`` (with ``secret``, ``previous_secret`` and
    ``previous_expires_at`` columns) a new secret, keeping the old one for
    ``grace_seconds``; the new secret."""
    c = table.c
    secret, now = new_secret(), utcnow()
    await conn.execute(
        sa.update(table)
        .where(c.id == row_id, c.org_id == org_id)
        .values(
            previous_secret=c.secret,
            previous_expires_at=now + timedelta(seconds=grace_seconds),
            secret=secret,
            updated_at=now,
        )
    )
    return secret
