"""The embedded stack behind a real HTTP server, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from raikoo.embedded import EmbeddedRaikoo
from tests.integration._api import Api


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)],
)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    database_url = None
    if request.param == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        database_url = make()
    raikoo = EmbeddedRaikoo(data_dir=tmp_path, port=0, database_url=database_url)
    base_url = await raikoo.start()
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            yield Api(base_url, http)
    finally:
        await raikoo.stop()
