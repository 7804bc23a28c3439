"""An embedded Raikoo behind a real HTTP server, and a client of its API signed in as the
local admin (the owner key embedded mode keeps in its data directory)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from raikoo.embedded import EmbeddedRaikoo


@asynccontextmanager
async def embedded_client(
    data_dir: Path, *, database_url: str | None = None, timeout: float = 30
) -> AsyncIterator[tuple[EmbeddedRaikoo, httpx.AsyncClient]]:
    raikoo = EmbeddedRaikoo(data_dir=data_dir, port=0, database_url=database_url)
    base_url = await raikoo.start()
    try:
        async with httpx.AsyncClient(
            base_url=base_url, timeout=timeout, headers=auth_headers(raikoo.local_admin_key)
        ) as http:
            yield raikoo, http
    finally:
        await raikoo.stop()


def auth_headers(api_key: str | None) -> dict[str, str]:
    assert api_key, "embedded mode made no local admin key"
    return {"Authorization": f"Bearer {api_key}"}
