"""The embedded stack behind a real HTTP server, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests._embedded import embedded_client
from tests.integration._api import Api


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)],
)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    database_url = None
    if request.param == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        database_url = make()
    async with embedded_client(tmp_path, database_url=database_url) as (raikoo, http):
        yield Api(raikoo.base_url, http, raikoo.local_admin_key)
