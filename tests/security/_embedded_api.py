"""An embedded Raikoo behind a real HTTP server, for the security regression tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from tests._embedded import embedded_client


@asynccontextmanager
async def embedded_api(data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a fresh embedded instance (settings from the environment, port 0)."""
    async with embedded_client(data_dir) as (_, http):
        yield http
