"""The gateway rides through database faults: connections the server terminated are never
a 500 when running the request again succeeds, and readiness says when the database is
down. On PostgreSQL, whose server can terminate a session (pg_terminate_backend)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests._embedded import embedded_client

pytestmark = pytest.mark.integration

WORKFLOW = {"name": "hello", "operations": {"greet": {"uses": "set", "with": {"x": 1}}}}


@pytest.fixture
async def served(
    make_postgres_database: Callable[[], str], tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    url = make_postgres_database()
    async with embedded_client(tmp_path, database_url=url) as (_, http):
        yield http, url


async def _terminate_sessions(url: str) -> int:
    """Terminate every other session on the database, as a restart or an operator would."""
    parsed = make_url(url)
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        killed = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            parsed.database,
        )
    finally:
        await conn.close()
    return len(killed)


async def test_requests_after_the_database_dropped_every_connection_succeed(
    served: tuple[httpx.AsyncClient, str],
) -> None:
    http, url = served
    stored = await http.post("/v1/workflows", json=WORKFLOW)
    assert stored.status_code == 201, stored.text
    first = await http.post("/v1/runs", json={"workflow": "hello"})
    assert first.status_code == 201, first.text

    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/v1/runs", {}),
        ("GET", f"/v1/runs/{first.json()['id']}", {}),
        ("GET", "/v1/workflows/hello", {}),
        (
            "POST",
            "/v1/runs",
            {"json": {"workflow": "hello"}, "headers": {"Idempotency-Key": str(uuid.uuid4())}},
        ),
        ("POST", "/v1/runs", {"json": {"workflow": "hello", "idempotency_key": "k-1"}}),
    ]
    for method, path, options in requests:
        assert await _terminate_sessions(url) > 0
        response = await http.request(method, path, **options)
        assert response.status_code in (200, 201), response.text


async def test_a_write_that_cannot_be_repeated_answers_503_not_500(
    served: tuple[httpx.AsyncClient, str],
) -> None:
    http, url = served
    assert (await http.post("/v1/workflows", json=WORKFLOW)).status_code == 201
    await _terminate_sessions(url)
    response = await http.post("/v1/runs", json={"workflow": "hello"})  # no idempotency key
    # It may find a fresh connection (the pool was refilled) or fail on a dead one: either
    # way never a 500, and a 503 says to try again.
    assert response.status_code in (201, 503), response.text
    if response.status_code == 503:
        assert response.headers["retry-after"]
        assert response.json()["type"].endswith("/unavailable")
