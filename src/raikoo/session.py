"""Where a command reaches the API: the server at ``--server`` when one answers there,
otherwise Raikoo started in this process on its data directory (raises ``DataDirInUse``
when another process holds that)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from raikoo.client import RaikooClient, server_alive


@dataclass(frozen=True)
class Session:
    client: RaikooClient
    base_url: str
    in_process: bool


@asynccontextmanager
async def api_session(server: str, data_dir: Path | None) -> AsyncIterator[Session]:
    if await server_alive(server):
        async with RaikooClient(server) as client:
            yield Session(client, server, in_process=False)
        return
    # Embedded mode loads every service: only a command that needs it pays for that.
    from raikoo.embedded import EmbeddedRaikoo
    from raikoo_common.logging import configure_logging

    configure_logging(level="warning")
    raikoo = EmbeddedRaikoo(data_dir=data_dir, port=0)
    base_url = await raikoo.start()
    try:
        async with RaikooClient(base_url) as client:
            yield Session(client, base_url, in_process=True)
    finally:
        await raikoo.stop()
