"""The services as separate OS processes over RabbitMQ and PostgreSQL, for end-to-end tests.

Every process of one ``Stack`` shares a fresh database and a bus prefix of its own, so
nothing it does can mix with another test's queues. Each incarnation of a service writes
its output to its own file; ``report()`` gathers them for failure messages.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
from sqlalchemy.engine import make_url

from raikoo_common.messages import Channel
from raikoo_gateway.auth.keys import new_key
from tests._budget import WAIT_SECONDS

MODULES = {
    "gateway": "raikoo_gateway",
    "scheduler": "raikoo_scheduler",
    "op-runner": "raikoo_op_runner",
}
OPTIONAL_MODULES = {"secrets-proxy": "raikoo_secrets_proxy", "ai-runner": "raikoo_ai_runner"}
"""Started by the tests that need them, with ``stack.start``."""
SECRETS_PROXY_TOKEN = "e2e-secrets-proxy-token"
READY_TIMEOUT = WAIT_SECONDS
TERMINAL = frozenset({"succeeded", "failed", "cancelled"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Process:
    service: str
    incarnation: int
    popen: subprocess.Popen[bytes]
    log_path: Path
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


@dataclass
class Stack:
    root: Path
    database_url: str
    amqp_url: str
    prefix: str
    blob_url: str
    blob_connection_string: str
    admin_key: str = field(default_factory=lambda: new_key().value)
    """The owner key the gateway bootstraps (RAIKOO_BOOTSTRAP_ADMIN_KEY), for the tests."""
    settings: dict[str, str] = field(default_factory=dict)
    """Extra RAIKOO_* settings for every process (must agree across processes)."""
    processes: list[Process] = field(default_factory=list)
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    async def up(self) -> Api:
        """Start gateway, scheduler and op-runner; return the API once all are ready."""
        started = [self.start(service) for service in MODULES]
        await self.ready(*started)
        return self.api()

    def api(self) -> Api:
        http = httpx.AsyncClient(
            base_url=self.current("gateway").url,
            timeout=30.0,
            headers={"Authorization": f"Bearer {self.admin_key}"},
        )
        self._clients.append(http)
        return Api(self, http)

    async def close(self) -> None:
        try:
            self.kill_all()
        finally:
            for http in self._clients:
                await http.aclose()
            await self.delete_broker_objects()

    # -- processes ----------------------------------------------------------------------

    def env(self, port: int, extra: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAIKOO_")}
        env.update(
            PYTHONUNBUFFERED="1",
            RAIKOO_DATABASE_URL=self.database_url,
            RAIKOO_BUS_URL=self.amqp_url,
            RAIKOO_BUS_PREFIX=self.prefix,
            RAIKOO_PORT=str(port),
            RAIKOO_HEALTH_PORT=str(port),
            RAIKOO_LOG_FORMAT="json",
            RAIKOO_LOG_LEVEL="info",
            RAIKOO_SCHEDULER_TICK_SECONDS="0.1",
            # A killed process's unpublished (or published but not yet deleted) outbox
            # rows are adopted once its lease is over: keep that wait short here.
            RAIKOO_OUTBOX_LEASE_SECONDS="2",
            RAIKOO_DATA_DIR=str(self.root / "data"),
            RAIKOO_BLOB_URL=self.blob_url,
            RAIKOO_BLOB_CONNECTION_STRING=self.blob_connection_string,
            RAIKOO_SECRETS_PROXY_TOKEN=SECRETS_PROXY_TOKEN,
            RAIKOO_BOOTSTRAP_ADMIN_KEY=self.admin_key,
            # The load tests start hundreds of runs with one key within seconds.
            RAIKOO_RATE_LIMIT_PER_KEY="0",
            RAIKOO_RATE_LIMIT_PER_ORG="0",
        )
        env.update(self.settings)
        env.update(extra)
        return env

    def start(self, service: str, **extra: str) -> Process:
        """Start one more incarnation of ``service``; ``await ready(p)`` before relying on it."""
        incarnation = sum(1 for p in self.processes if p.service == service) + 1
        port = free_port()
        log_path = self.root / f"{service}-{incarnation}.log"
        with log_path.open("wb") as log:
            popen = subprocess.Popen(
                [sys.executable, "-m", {**MODULES, **OPTIONAL_MODULES}[service]],
                env=self.env(port, extra),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C of pytest must not reach them first
            )
        process = Process(service, incarnation, popen, log_path, port)
        self.processes.append(process)
        return process

    async def ready(self, *processes: Process, timeout: float = READY_TIMEOUT) -> None:
        """Wait until each process answers 200 on /readyz (fail early if one died)."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=1.0) as http:
            for process in processes:
                while True:
                    if not process.alive:
                        raise AssertionError(
                            f"{process.service}#{process.incarnation} exited with "
                            f"{process.popen.returncode} before it was ready\n{self.report()}"
                        )
                    try:
                        response = await http.get(f"{process.url}/readyz")
                        if response.status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline:
                        raise AssertionError(
                            f"{process.service}#{process.incarnation} not ready within "
                            f"{timeout}s\n{self.report()}"
                        )
                    await asyncio.sleep(0.05)

    def current(self, service: str) -> Process:
        found = [p for p in self.processes if p.service == service and p.alive]
        assert found, f"no live {service}\n{self.report()}"
        return found[-1]

    def kill(self, process: Process) -> None:
        """SIGKILL: no graceful shutdown, in-flight work is simply cut off."""
        if process.alive:
            os.kill(process.popen.pid, signal.SIGKILL)
        process.popen.wait(timeout=10)

    def kill_all(self) -> None:
        for process in self.processes:
            self.kill(process)

    def report(self, tail: int = 60) -> str:
        """The last lines of every process's output, for a failure message."""
        parts = []
        for p in self.processes:
            state = "running" if p.alive else f"exit {p.popen.returncode}"
            lines = p.log_text().splitlines()[-tail:]
            parts.append(
                f"----- {p.service}#{p.incarnation} ({state}) {p.log_path} -----\n"
                + "\n".join(lines)
            )
        return "\n".join(parts)

    def logs(self, service: str) -> str:
        return "\n".join(p.log_text() for p in self.processes if p.service == service)

    # -- broker -------------------------------------------------------------------------

    def queue_names(self) -> list[str]:
        names = []
        for channel in Channel:
            names += [
                f"{self.prefix}.{channel}",
                f"{self.prefix}.{channel}.dead",
                f"{self.prefix}.{channel}.parked",
            ]
        return names

    async def publish_raw(self, queue: str, body: bytes) -> None:
        """Put bytes straight onto a queue (default exchange), bypassing every producer."""
        connection = await aio_pika.connect(self.amqp_url)
        async with connection:
            amqp = await connection.channel(publisher_confirms=True)
            await amqp.default_exchange.publish(
                aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=queue,
                mandatory=True,
            )

    async def queue_depth(self, queue: str) -> int:
        """Messages ready in a queue (passive declare: creates nothing, consumes nothing)."""
        connection = await aio_pika.connect(self.amqp_url)
        async with connection:
            amqp = await connection.channel()
            declared = await amqp.declare_queue(queue, passive=True)
            count = declared.declaration_result.message_count
            return int(count or 0)

    async def delete_broker_objects(self) -> None:
        connection = await aio_pika.connect(self.amqp_url)
        async with connection:
            for name in self.queue_names():
                amqp = await connection.channel()
                await amqp.queue_delete(name)
                await amqp.close()
            amqp = await connection.channel()
            await amqp.exchange_delete(self.prefix)

    # -- database -----------------------------------------------------------------------

    async def query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        dsn = make_url(self.database_url).set(drivername="postgresql")
        connection = await asyncpg.connect(dsn.render_as_string(hide_password=False))
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()


class Api:
    """The gateway's REST API, with the waits the tests need."""

    def __init__(self, stack: Stack, http: httpx.AsyncClient) -> None:
        self.stack = stack
        self.http = http

    async def create_run(self, definition: dict[str, Any], **body: Any) -> str:
        response = await self.http.post("/v1/runs", json={"definition": definition, **body})
        assert response.status_code == 201, f"{response.status_code} {response.text}"
        run_id: str = response.json()["id"]
        return run_id

    async def run(self, run_id: str) -> dict[str, Any]:
        response = await self.http.get(f"/v1/runs/{run_id}")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def operations(self, run_id: str) -> dict[str, dict[str, Any]]:
        response = await self.http.get(f"/v1/runs/{run_id}/operations")
        assert response.status_code == 200, response.text
        return {op["key"]: op for op in response.json()["items"]}

    async def wait_finished(self, run_id: str, timeout: float = WAIT_SECONDS) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            run = await self.run(run_id)
            if run["state"] in TERMINAL:
                return run
            if time.monotonic() > deadline:
                ops = await self.operations(run_id)
                states = {key: op["state"] for key, op in ops.items()}
                raise AssertionError(
                    f"run {run_id} still {run['state']} after {timeout}s; operations: "
                    f"{states}\n{self.stack.report()}"
                )
            await asyncio.sleep(0.1)
