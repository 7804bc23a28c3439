"""Where a command reaches the API: the server at ``--server`` when one answers there,
otherwise Raikoo started in this process on its data directory (raises ``DataDirInUse``
when another process holds that)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from raikoo.client import RaikooClient, server_alive
from raikoo.console import say
from raikoo.datadir import DataDirInUse
from raikoo.exit_codes import Exit


@dataclass(frozen=True)
class Session:
    client: RaikooClient
    base_url: str
    in_process: bool
    data_dir: Path | None = None
    """The data directory the user named (its local admin key reaches a local server)."""


@asynccontextmanager
async def api_session(server: str, data_dir: Path | None) -> AsyncIterator[Session]:
    if await server_alive(server):
        _interrupt_cancels_the_command()
        async with RaikooClient(server, data_dir=data_dir) as client:
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
        async with RaikooClient(base_url, api_key=raikoo.local_admin_key) as client:
            yield Session(client, base_url, in_process=True, data_dir=data_dir)
    finally:
        await raikoo.stop()


async def in_session(
    server: str, data_dir: Path | None, go: Callable[[Session], Awaitable[Exit]]
) -> Exit:
    """``go`` with a session on the API, and its exit code; a data directory in use, or
    an API lost on the way, said and turned into one."""
    try:
        async with api_session(server, data_dir) as session:
            return await go(session)
    except DataDirInUse as exc:
        say(str(exc), style="red")
        return Exit.DATA_DIR_IN_USE
    except httpx.HTTPError as exc:
        say(f"lost the Raikoo API: {exc}", style="red")
        return Exit.FAILED


def _interrupt_cancels_the_command() -> None:
    """Ctrl-C (or SIGTERM) cancels the command — and so the run it follows. Installed here
    rather than left to asyncio: the in-process API's HTTP server installs handlers of its
    own, which would stop the API under the command (the command would lose it rather than
    cancel its run), and a process started in the background of a script ignores SIGINT."""
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    if task is not None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
