"""An embedded Raikoo behind a real HTTP server, for the security regression tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from raikoo.embedded import EmbeddedRaikoo


@asynccontextmanager
async def embedded_api(data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a fresh embedded instance (settings from the environment, port 0)."""
    raikoo = EmbeddedRaikoo(data_dir=data_dir, port=0)
    base_url = await raikoo.start()
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            yield http
    finally:
        await raikoo.stop()
