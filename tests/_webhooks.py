"""Signing requests as a Standard Webhooks sender does, with the reference library, and a
Raikoo whose outbound webhooks may reach a local sink."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from standardwebhooks import Webhook


def signed(
    secret: str,
    body: bytes,
    *,
    message_id: str | None = None,
    age: timedelta = timedelta(0),
    content_type: str = "application/json",
) -> dict[str, str]:
    """Headers the reference library makes for ``body`` (``age``: sent that long ago)."""
    message_id = message_id or f"msg_{uuid.uuid4().hex}"
    at = datetime.now(UTC) - age
    return {
        "content-type": content_type,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


async def project_run_count(http: httpx.AsyncClient) -> int:
    runs = (await http.get("/v1/runs", params={"limit": 500})).json()
    return len(runs["items"])
