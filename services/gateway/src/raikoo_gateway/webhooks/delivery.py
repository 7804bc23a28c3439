"""Sending deliveries: claim the due ones (``FOR UPDATE SKIP LOCKED``, so replicas share
the work), mark each leased — due again after the lease, should this process die while
sending — then send, signed, through the SSRF guard, and record what happened.

At least once: a delivery is marked done only after its receiver answered 2xx, so a crash
in between sends it again, with the same ``webhook-id`` (its receiver deduplicates on it).
A failure is retried after the configured pauses, then fails for good; a subscription
whose attempts have all failed for ``disable_after`` is disabled.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_common.net import AllowList, BlockedDestination, EgressGuard
from raikoo_gateway.webhooks.signature import signature_header

if TYPE_CHECKING:
    import httpx

log = structlog.get_logger(__name__)

USER_AGENT = "Raikoo-Webhooks/1"
_ERROR_MAX = 500


@dataclass(frozen=True)
class DeliveryPolicy:
    retry_seconds: Sequence[float]
    disable_after: float
    timeout: float
    lease: float
    retention: timedelta = timedelta(days=30)


@dataclass(frozen=True)
class Claimed:
    id: uuid.UUID
    org_id: uuid.UUID
    subscription_id: uuid.UUID
    attempts: int
    payload: dict[str, Any]
    url: str
    secrets: list[str]


@dataclass(frozen=True)
class Outcome:
    status: int | None
    latency_ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def message_id(delivery_id: uuid.UUID) -> str:
    return f"msg_{delivery_id.hex}"


def body_of(payload: dict[str, Any]) -> bytes:
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


async def claim(engine: AsyncEngine, policy: DeliveryPolicy, limit: int) -> list[Claimed]:
    d, s = t.webhook_deliveries.c, t.webhook_subscriptions.c
    now = utcnow()
    async with read_only(engine) as conn:  # an idle round takes no lock
        waiting = (
            sa.select(d.id)
            .join(t.webhook_subscriptions, s.id == d.subscription_id)
            .where(d.state == "pending", d.next_attempt_at <= now, s.enabled.is_(True))
        )
        if await conn.scalar(waiting.limit(1)) is None:
            return []
    async with engine.begin() as conn:
        due = (
            sa.select(d.id)
            .join(t.webhook_subscriptions, s.id == d.subscription_id)
            .where(d.state == "pending", d.next_attempt_at <= now, s.enabled.is_(True))
            .order_by(d.next_attempt_at, d.event_id)
            .limit(limit)
            .with_for_update(of=t.webhook_deliveries, skip_locked=True)
        )
        ids = list(await conn.scalars(due))
        if not ids:
            return []
        lease_end = now + timedelta(seconds=policy.lease)
        await conn.execute(
            sa.update(t.webhook_deliveries).where(d.id.in_(ids)).values(next_attempt_at=lease_end)
        )
        rows = await conn.execute(
            sa.select(
                d.id,
                d.org_id,
                d.subscription_id,
                d.attempts,
                d.payload,
                s.url,
                s.secret,
                s.previous_secret,
                s.previous_expires_at,
            )
            .join(t.webhook_subscriptions, s.id == d.subscription_id)
            .where(d.id.in_(ids))
        )
        return [
            Claimed(
                row.id,
                row.org_id,
                row.subscription_id,
                row.attempts,
                row.payload,
                row.url,
                secrets_in_force(row.secret, row.previous_secret, row.previous_expires_at, now),
            )
            for row in rows
        ]


def secrets_in_force(
    secret: str, previous: str | None, previous_expires_at: datetime | None, now: datetime
) -> list[str]:
    if previous is not None and previous_expires_at is not None and previous_expires_at > now:
        return [secret, previous]
    return [secret]


class Senders:
    """One HTTP client per organization (its allow list decides its guard), kept between
    rounds so connections to a receiver are reused."""

    def __init__(self, allow: Callable[[uuid.UUID], AllowList], timeout: float) -> None:
        self._allow = allow
        self._timeout = timeout
        self._clients: dict[uuid.UUID, tuple[EgressGuard, httpx.AsyncClient]] = {}

    def client(self, org_id: uuid.UUID) -> tuple[EgressGuard, httpx.AsyncClient]:
        found = self._clients.get(org_id)
        if found is None:
            # Imported on the first delivery: the gateway starts without the HTTP client.
            import httpx

            from raikoo_common.net import GuardedTransport

            guard = EgressGuard(self._allow(org_id))
            # trust_env=False: an environment proxy would get its own transport, past the guard.
            client = httpx.AsyncClient(
                transport=GuardedTransport(guard),
                trust_env=False,
                follow_redirects=False,
                timeout=httpx.Timeout(self._timeout),
            )
            found = self._clients[org_id] = (guard, client)
        return found

    async def close(self) -> None:
        clients, self._clients = self._clients, {}
        for _, client in clients.values():
            await client.aclose()


async def send(claimed: Claimed, senders: Senders) -> Outcome:
    body = body_of(claimed.payload)
    timestamp = int(utcnow().timestamp())
    msg_id = message_id(claimed.id)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(claimed.secrets, msg_id, timestamp, body),
    }
    guard, client = senders.client(claimed.org_id)
    import httpx  # loaded with the client just above

    started = time.perf_counter()
    try:
        url = guard.check_url(claimed.url)
        response = await client.post(url, content=body, headers=headers)
    except BlockedDestination as exc:
        return Outcome(None, _since(started), f"refused by the SSRF guard: {exc}"[:_ERROR_MAX])
    except httpx.HTTPError as exc:
        return Outcome(None, _since(started), f"{type(exc).__name__}: {exc}"[:_ERROR_MAX])
    error = None
    if not 200 <= response.status_code < 300:
        error = f"the receiver answered {response.status_code}"
        if 300 <= response.status_code < 400:
            error += " (redirects are not followed: give the final URL)"
    return Outcome(response.status_code, _since(started), error)


def _since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


async def record(
    conn: AsyncConnection, policy: DeliveryPolicy, claimed: Claimed, outcome: Outcome
) -> None:
    d, s = t.webhook_deliveries.c, t.webhook_subscriptions.c
    now = utcnow()
    attempts = claimed.attempts + 1
    values: dict[str, Any] = {
        "attempts": attempts,
        "last_attempt_at": now,
        "last_status": outcome.status,
        "last_latency_ms": outcome.latency_ms,
        "last_error": outcome.error,
    }
    if outcome.ok:
        values.update(state="succeeded", next_attempt_at=None, delivered_at=now)
        await conn.execute(
            sa.update(t.webhook_subscriptions)
            .where(s.id == claimed.subscription_id, s.failing_since.is_not(None))
            .values(failing_since=None)
        )
    else:
        if attempts <= len(policy.retry_seconds):
            pause = policy.retry_seconds[attempts - 1]
            values.update(next_attempt_at=now + timedelta(seconds=pause))
        else:
            values.update(state="failed", next_attempt_at=None)
        await _note_failure(conn, policy, claimed.subscription_id, now)
    await conn.execute(sa.update(t.webhook_deliveries).where(d.id == claimed.id).values(**values))


async def _note_failure(
    conn: Any, policy: DeliveryPolicy, subscription_id: uuid.UUID, now: datetime
) -> None:
    s = t.webhook_subscriptions.c
    await conn.execute(
        sa.update(t.webhook_subscriptions)
        .where(s.id == subscription_id, s.failing_since.is_(None))
        .values(failing_since=now)
    )
    cutoff = now - timedelta(seconds=policy.disable_after)
    disabled = await conn.execute(
        sa.update(t.webhook_subscriptions)
        .where(s.id == subscription_id, s.enabled.is_(True), s.failing_since <= cutoff)
        .values(
            enabled=False,
            updated_at=now,
            disabled_reason=(
                f"every delivery attempt failed for {policy.disable_after:.0f} s; "
                "re-enable with PATCH enabled=true once the receiver answers"
            ),
        )
    )
    if disabled.rowcount:
        log.warning(
            "webhook subscription disabled after persistent failure", id=str(subscription_id)
        )


async def deliver_once(
    engine: AsyncEngine, policy: DeliveryPolicy, senders: Senders, limit: int
) -> int:
    """Claim a batch, send it concurrently and record the answers in one transaction; the
    number sent. Dying before that transaction commits sends the batch again later."""
    batch = await claim(engine, policy, limit)
    if not batch:
        return 0
    outcomes = await asyncio.gather(*(send(claimed, senders) for claimed in batch))
    async with engine.begin() as conn:
        for claimed, outcome in zip(batch, outcomes, strict=True):
            await record(conn, policy, claimed, outcome)
    return len(batch)


async def forget_deliveries_before(conn: AsyncConnection, before: datetime) -> None:
    """The delivery log keeps finished deliveries for the retention period."""
    d = t.webhook_deliveries.c
    await conn.execute(
        sa.delete(t.webhook_deliveries).where(
            d.created_at < before, d.state.in_(["succeeded", "failed"])
        )
    )
