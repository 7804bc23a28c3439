"""Running one service as a process: start, serve HTTP (API or health), stop on signal."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from raikoo_common import event_loop
from raikoo_common.bus import Bus
from raikoo_common.logging import configure_logging
from raikoo_common.settings import ServiceSettings

log = structlog.get_logger(__name__)
run = event_loop.run
"""The services' entry points run through it (it lives apart, free of this module's imports)."""
_T = TypeVar("_T")


def health_app(name: str, ready: Callable[[], bool]) -> Starlette:
    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "service": name})

    async def readyz(_: Request) -> JSONResponse:
        ok = ready()
        return JSONResponse(
            {"status": "ok" if ok else "starting", "service": name}, status_code=200 if ok else 503
        )

    return Starlette(routes=[Route("/healthz", healthz), Route("/readyz", readyz)])


KEEP_ALIVE_SECONDS = 75
"""Idle keep-alive connections live longer than clients keep them (httpx: 5 s, browsers and
load balancers up to 60 s): when the server closed first, at the moment a client reused
the connection, the client's request failed with a read error."""


def http_server(app: Any, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    return uvicorn.Server(config)


async def until_signalled() -> None:
    """Wait for SIGTERM/SIGINT. The handlers stay installed, so a second signal (process
    managers and ``uv run`` both forward one) cannot kill a graceful shutdown half-way."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def freeze_startup_heap() -> None:
    """Call once a process has started: move everything allocated so far (modules, catalogs,
    schemas, pools) out of the garbage collector's reach. Otherwise each full collection
    walks those long-lived objects again, a pause of tens of milliseconds that stalled a
    1,000-operation fan-out by a fifth, one run in two (docs/benchmarks.md). Once per
    process: a second call (another embedded instance) changes nothing. Ends the collector's
    start-up pause (``event_loop.pause_collection``).

    No collection first: the few cycles a start leaves behind (the gateway's: ~1,800
    objects, 1.5 MiB) are frozen with the rest, where finding them took a full collection
    of the whole start-up heap, ~0.18 s of CPU at every start (the pattern Python documents
    for ``gc.freeze``: collector off early, freeze, collector back on)."""
    if not gc.get_freeze_count():
        gc.freeze()
    event_loop.resume_collection()


def thaw_startup_heap() -> None:
    """Undo ``freeze_startup_heap`` when what started stops but the process goes on (an
    embedded instance in a library or a test): frozen objects are never collected, so
    whatever the stopped instance left in reference cycles would stay for good."""
    gc.unfreeze()


async def serve(
    name: str,
    settings: ServiceSettings,
    bus: Bus | None,
    start: Callable[[], Awaitable[None]] | None = None,
    stop: Callable[[], Awaitable[None]] | None = None,
    *,
    app: Any = None,
    host: str | None = None,
    port: int | None = None,
) -> None:
    """Start a service, serve ``app`` (or a health app) and stop gracefully on SIGTERM/SIGINT."""
    # Every service process passes here; embedded mode (one process, no shared secrets) not.
    settings.refuse_placeholder_secrets(name)
    configure_logging(settings.log_level, settings.log_format)
    started = False
    if bus is not None:
        await bus.start()
    if start is not None:
        await start()
    freeze_startup_heap()
    started = True
    port = port if port is not None else settings.health_port
    server = None
    server_task = None
    if port:
        server = http_server(
            app or health_app(name, lambda: started), host or settings.health_host, port
        )
        server_task = asyncio.create_task(server.serve())
    log.info("service started", service=name, port=port or None)
    try:
        await until_signalled()
    finally:
        log.info("service stopping", service=name)
        if server is not None and server_task is not None:
            server.should_exit = True
            with contextlib.suppress(Exception):
                await server_task
        if bus is not None:
            await bus.stop()
        if stop is not None:
            await stop()
        log.info("service stopped", service=name)
