"""Where a command reaches the API: the server at ``--server`` when one answers there,
otherwise Raikoo started in this process on its data directory (raises ``DataDirInUse``
when another process holds that)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from raikoo.sdk import AsyncClient


@dataclass(frozen=True)
class Session:
    client: AsyncClient
    base_url: str
    in_process: bool
    data_dir: Path | None = None
    """The data directory the user named (its local admin key reaches a local server)."""


@asynccontextmanager
async def api_session(server: str, data_dir: Path | None) -> AsyncIterator[Session]:
    if await server_alive(server):
        _interrupt_cancels_the_command()
        async with AsyncClient(server, data_dir=data_dir) as client:
            yield Session(client, server, in_process=False, data_dir=data_dir)
        return
    # Embedded mode loads every service: only a command that needs it pays for that.
    from raikoo.embedded import EmbeddedRaikoo
    from raikoo_common.logging import configure_logging

    configure_logging(level="warning")
    raikoo = EmbeddedRaikoo(data_dir=data_dir, port=0)
    base_url = await raikoo.start()
    _interrupt_cancels_the_command()
    try:
        async with AsyncClient(base_url, api_key=raikoo.local_admin_key) as client:
            yield Session(client, base_url, in_process=True, data_dir=data_dir)
    finally:
        await raikoo.stop()


async def server_alive(base_url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=0.5) as http:
            response = await http.get(f"{base_url.rstrip('/')}/healthz")
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def _interrupt_cancels_the_command() -> None:
    """Ctrl-C (or SIGTERM) cancels the command — and so the run it follows. Installed here
    rather than left to asyncio: the in-process API's HTTP server installs handlers of its
    own, which would stop the API under the command (the command would lose it rather than
    cancel its run), and a process started in the background of a script ignores SIGINT."""
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    if task is not None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
