"""The embedded stack behind a real HTTP server, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from tests._embedded import embedded_client
from tests.integration._api import Api
from tests.unit.net._servers import Hit, LocalServer, Reply


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


def _weather(hit: Hit) -> Reply:
    return Reply(200, [("content-type", "application/json")], b'{"celsius": 21}')


@pytest.fixture
def weather_tool() -> Iterator[LocalServer]:
    """An HTTP tool on loopback: GET /weather/paris answers {"celsius": 21}."""
    server = LocalServer({"/weather/paris": _weather}).start()
    yield server
    server.stop()
