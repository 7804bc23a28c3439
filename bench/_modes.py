"""Bring Raikoo up in one mode, hand back its URL and processes, and clean up after.

* embedded: ``_embedded_server.py`` (EmbeddedRaikoo: API, scheduler, runners in one
  process, in-memory bus, SQLite in a temporary directory); the API key is the local admin
  key it writes to its data directory;
* distributed: ``python -m raikoo_gateway`` / ``raikoo_scheduler`` / ``raikoo_op_runner``
  as three processes over RabbitMQ and a fresh PostgreSQL database; afterwards the
  database is dropped and every queue and the exchange under the unique prefix deleted.
  The API key is a fresh owner key the gateway is given (``RAIKOO_BOOTSTRAP_ADMIN_KEY``),
  and rate limits are off (0: requests are still counted and shared, never refused), since
  a benchmark makes far more requests a minute than the default limits allow.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
import asyncpg

from _procs import BENCH_DIR, Child, free_port, python, wait_http
from raikoo.credentials import local_admin_key
from raikoo_gateway.auth.keys import new_key

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
CHANNELS = (
    "runs.requested",
    "ops.ready.programmatic",
    "ops.ready.ai",
    "ops.finished",
    "ops.progress",
    "ops.control",
    "runs.events",
)


@dataclass
class Deployment:
    mode: str
    base_url: str
    api_key: str
    """An owner key of the default organization, for ``Authorization: Bearer``."""
    processes: dict[str, Child] = field(default_factory=dict)
    details: dict[str, str] = field(default_factory=dict)


@asynccontextmanager
async def embedded(
    *, profile: Path | None = None, profiler: str = "cprofile"
) -> AsyncIterator[Deployment]:
    with tempfile.TemporaryDirectory(prefix="raikoo-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        args = ["--data-dir", str(data_dir)]
        if profile is not None:
            args += ["--profile", str(profile), "--profiler", profiler]
        server = Child(
            "embedded",
            python(str(BENCH_DIR / "_embedded_server.py"), *args),
            log_dir=Path(tmp),
            stdout=subprocess.PIPE,
            env={"RAIKOO_LOG_LEVEL": "warning"},
        )
        try:
            assert server.popen.stdout is not None
            line = await asyncio.wait_for(asyncio.to_thread(server.popen.stdout.readline), 60)
            url = line.decode().strip()
            key = local_admin_key(data_dir)
            if not url.startswith("http") or key is None:
                raise RuntimeError(f"embedded server did not start:\n{server.log_tail()}")
            yield Deployment(
                "embedded", url, key, {"embedded": server}, {"database": "SQLite (WAL)"}
            )
        finally:
            code = server.stop()
            if code not in (0, None):
                print(f"warning: embedded server exited {code}:\n{server.log_tail()}")


@asynccontextmanager
async def distributed(
    *,
    profile_dir: Path | None = None,
    profiler: str = "cprofile",
    workers: bool = True,
    ai: bool = False,
) -> AsyncIterator[Deployment]:
    """``profile_dir``: run each service under ``_profiled_service.py`` (a profiler switched by
    SIGUSR1/SIGUSR2), writing ``<service>.prof`` there. ``workers=False``: the gateway
    alone (no scheduler or op-runner: runs are requested, never executed). ``ai``: an
    ai-runner too (its provider from the RAIKOO_AI_* variables of this process)."""
    tag = uuid.uuid4().hex[:10]
    api_key = new_key().value
    database = f"raikoo_bench_{tag}"
    prefix = f"raikoo-bench-{tag}"
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()
    children: dict[str, Child] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="raikoo-bench-") as tmp:
            env = {
                "RAIKOO_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
                "RAIKOO_BUS_URL": AMQP_URL,
                "RAIKOO_BUS_PREFIX": prefix,
                "RAIKOO_LOG_LEVEL": "warning",
                "RAIKOO_DATA_DIR": str(Path(tmp) / "data"),
                # One directory every process of this machine sees.
                "RAIKOO_BLOB_URL": (Path(tmp) / "artifacts").as_uri(),
                "RAIKOO_BOOTSTRAP_ADMIN_KEY": api_key,
                "RAIKOO_RATE_LIMIT_PER_KEY": "0",
                "RAIKOO_RATE_LIMIT_PER_ORG": "0",
            }

            def command(name: str, module: str) -> list[str]:
                if profile_dir is None:
                    return [*python("-m", module)]
                wrapper = str(BENCH_DIR / "_profiled_service.py")
                return [*python(wrapper, module, str(profile_dir / f"{name}.prof"), profiler)]

            api_port = free_port()
            children["gateway"] = Child(
                "gateway",
                command("gateway", "raikoo_gateway"),
                env={**env, "RAIKOO_PORT": str(api_port), "RAIKOO_HOST": "127.0.0.1"},
                log_dir=Path(tmp),
            )
            base_url = f"http://127.0.0.1:{api_port}"
            # The gateway migrates the fresh database; the others then find it current.
            await asyncio.to_thread(wait_http, f"{base_url}/readyz", children["gateway"])
            services = [("scheduler", "raikoo_scheduler"), ("op-runner", "raikoo_op_runner")]
            if ai:
                services.append(("ai-runner", "raikoo_ai_runner"))
            for name, module in services if workers else ():
                port = free_port()
                children[name] = Child(
                    name,
                    command(name, module),
                    env={**env, "RAIKOO_HEALTH_PORT": str(port)},
                    log_dir=Path(tmp),
                )
                await asyncio.to_thread(
                    wait_http, f"http://127.0.0.1:{port}/readyz", children[name]
                )
            try:
                yield Deployment(
                    "distributed",
                    base_url,
                    api_key,
                    children,
                    {"database": database, "bus_prefix": prefix},
                )
            finally:
                for name in ("gateway", "scheduler", "op-runner", "ai-runner"):
                    child = children.get(name)
                    if child is not None:
                        code = child.stop()
                        if code not in (0, None, -15):
                            print(f"warning: {name} exited {code}:\n{child.log_tail()}")
    finally:
        for child in children.values():
            with suppress(Exception):
                child.stop(5)
        await drop_database(database)
        await delete_bus_objects(prefix)


async def drop_database(database: str) -> None:
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await admin.close()


async def delete_bus_objects(prefix: str) -> list[str]:
    """Delete every queue named ``<prefix>.…`` and the exchange ``<prefix>``.

    The names come from ``rabbitmqctl list_queues`` when it is at hand (so queue kinds added
    later are found too), plus the work, dead-letter and parked queue of every channel.
    """
    names = {
        f"{prefix}.{channel}{suffix}" for channel in CHANNELS for suffix in ("", ".dead", ".parked")
    }
    names |= await asyncio.to_thread(_listed_queues, prefix)
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel()
        for queue in sorted(names):
            await channel.queue_delete(queue)
        await channel.exchange_delete(prefix)
    finally:
        await connection.close()
    left = await asyncio.to_thread(_listed_queues, prefix)
    if left:
        print(f"warning: queues left under {prefix}: {sorted(left)}")
    return sorted(names)


def _listed_queues(prefix: str) -> set[str]:
    if shutil.which("rabbitmqctl") is None:
        return set()
    try:
        listed = subprocess.run(
            ["rabbitmqctl", "list_queues", "--quiet", "--no-table-headers", "name"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return set()
    return {name for name in listed.split() if name.startswith(f"{prefix}.")}
