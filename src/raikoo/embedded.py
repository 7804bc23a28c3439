"""Embedded mode: gateway, scheduler and runners in ONE process over the in-memory bus,
SQLite in a data directory, serving the API on a local port."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from raikoo.credentials import local_admin_key
from raikoo.datadir import DataDirInUse, DataDirLock
from raikoo.run_log import RunLog
from raikoo_ai_runner.app import build_ai_runner
from raikoo_ai_runner.runtime import close_clients as close_ai_clients
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.bus import InMemoryBus
from raikoo_common.db.budgets import SqlBudgetLedger
from raikoo_common.db.prepare import prepared_engine
from raikoo_common.runtime import (
    freeze_startup_heap,
    http_server,
    thaw_startup_heap,
)
from raikoo_common.secrets import local_secret_store
from raikoo_common.storage import Artifacts, artifacts_from
from raikoo_gateway.app import Gateway
from raikoo_gateway.catalog import full_catalog
from raikoo_gateway.settings import GatewaySettings
from raikoo_op_runner.app import build_op_runner
from raikoo_op_runner.settings import OpRunnerSettings
from raikoo_op_runner.workers import close_shared_pool
from raikoo_scheduler.app import build_scheduler
from raikoo_scheduler.settings import SchedulerSettings

__all__ = ["DataDirInUse", "EmbeddedRaikoo"]


class EmbeddedRaikoo:
    def __init__(
        self,
        *,
        data_dir: Path | None = None,
        host: str | None = None,
        port: int | None = None,
        database_url: str | None = None,
        log_runs: bool = False,
        console: bool = False,
        console_dir: Path | None = None,
    ) -> None:
        """``log_runs``: log a line as each run starts and ends (``raikoo up``).
        ``console``: serve the web console, from ``console_dir``, RAIKOO_CONSOLE_DIR or else
        this checkout's ``web/out`` when it is built."""
        self.log_runs = log_runs
        overrides: dict[str, Any] = {"bus_url": "memory://"}
        if data_dir is not None:
            overrides["data_dir"] = data_dir
        if database_url is not None:
            overrides["database_url"] = database_url
        self.gateway_settings = _unlimited_unless_set(GatewaySettings(**overrides))
        if host is not None or port is not None:
            self.gateway_settings = self.gateway_settings.model_copy(
                update={k: v for k, v in (("host", host), ("port", port)) if v is not None}
            )
        if console_dir is None and console and self.gateway_settings.console_dir is None:
            console_dir = built_console()
        if console_dir is not None:
            self.gateway_settings = self.gateway_settings.model_copy(
                update={"console_dir": console_dir}
            )
        self.scheduler_settings = SchedulerSettings(**overrides)
        self.op_runner_settings = OpRunnerSettings(**overrides)
        self.ai_runner_settings = AiRunnerSettings(**overrides)
        self.bus = InMemoryBus(
            redelivery_backoff=self.scheduler_settings.bus_redelivery_backoff_seconds
        )
        self.gateway: Gateway | None = None
        """The gateway once started: its context holds the engine and stores (for tests)."""
        self._engine: Any = None
        self._artifacts: Artifacts | None = None
        self._server: Any = None
        self._server_task: asyncio.Task[None] | None = None
        self._stoppers: list[Any] = []
        self._lock: DataDirLock | None = None
        self.base_url = ""
        self.local_admin_key: str | None = None
        """The key of the local admin (an owner), kept in the data directory."""
        self.new_local_admin_key = False
        """Whether this start made that key (``raikoo up`` shows it once)."""

    async def start(self) -> str:
        """Start everything; returns the API's base URL."""
        self._lock = DataDirLock(self.gateway_settings.data_dir)
        self._lock.acquire()
        self._engine = await prepared_engine(self.gateway_settings)
        # One store for every part: a directory under the data dir unless RAIKOO_BLOB_URL says.
        self._artifacts = artifacts = artifacts_from(self.gateway_settings)
        # The local encrypted secret store: written by the API, read by the runners only.
        secrets = local_secret_store(self.gateway_settings)
        self.gateway = gateway = Gateway(
            self.gateway_settings,
            self._engine,
            self.bus,
            full_catalog(),
            artifacts,
            secrets,
            exclusive=True,
        )
        scheduler = build_scheduler(
            self.scheduler_settings,
            self._engine,
            self.bus,
            bus_keeps_messages=False,
            artifacts=artifacts,
        )
        build_op_runner(
            self.op_runner_settings, self.bus, artifacts, secrets, bus_keeps_messages=False
        )
        build_ai_runner(
            self.ai_runner_settings,
            self.bus,
            artifacts,
            secrets,
            bus_keeps_messages=False,
            budgets=SqlBudgetLedger(self._engine),
        )
        if self.log_runs:
            RunLog(self.bus, self._engine, self.gateway_settings.bus_max_deliveries)
        await self.bus.start()
        await gateway.start()
        self.new_local_admin_key = gateway.new_local_admin_key is not None
        self.local_admin_key = local_admin_key(self.gateway_settings.data_dir)
        await scheduler.start()
        self._stoppers = [scheduler.stop, gateway.stop]
        settings = self.gateway_settings
        self._server = http_server(gateway.asgi(), settings.host, settings.port)
        self._server_task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._server_task.done():
                await self._server_task
                raise RuntimeError(f"the API could not listen on {settings.host}:{settings.port}")
            await asyncio.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://{settings.host}:{port}"
        self._lock.announce(self.base_url)
        freeze_startup_heap()
        return self.base_url

    async def stop(self) -> None:
        if self._server is not None and self._server_task is not None:
            self._server.should_exit = True
            with contextlib.suppress(Exception):
                await self._server_task
        await self.bus.stop()
        for stop in self._stoppers:
            await stop()
        await close_shared_pool()  # the op-runner's worker processes, if any started
        await close_ai_clients()  # the AI providers' connection pools
        if self._engine is not None:
            await self._engine.dispose()
        if self._artifacts is not None:
            await self._artifacts.store.close()
        if self._lock is not None:
            self._lock.release()
        thaw_startup_heap()


def built_console() -> Path | None:
    """This checkout's console static export (``web/out``), when it was built."""
    out = Path(__file__).resolve().parents[2] / "web" / "out"
    return out if (out / "index.html").is_file() else None


def _unlimited_unless_set(settings: GatewaySettings) -> GatewaySettings:
    """Embedded mode serves one person on this machine (it binds to a loopback address and
    its one key is the local admin's): rate limits would only throttle their own scripts
    and watch loops, so they are off unless set (RAIKOO_RATE_LIMIT_PER_KEY, _PER_ORG)."""
    unset = {"rate_limit_per_key", "rate_limit_per_org"} - settings.model_fields_set
    return settings.model_copy(update=dict.fromkeys(unset, 0)) if unset else settings
