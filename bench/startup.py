"""Start-up: how long a fresh process takes, wall clock and CPU, for the CLI and each service.

    uv run --frozen python bench/startup.py [--repeat 7] [--only TEXT] [--json PATH]

Every target is a fresh process, run `--repeat` times after one warm-up run (so the file
cache is warm, as on a machine in use); the figures are medians and minimums of the wall
time from spawn to exit and of the CPU time (user + system) the process and its children
spent. The commands run from the virtual environment directly, not through `uv run`, which
adds its own start-up. Prints a table (and the machine's load, which inflates wall times);
asserts nothing. See docs/benchmarks.md, "Start-up".

A target is anything with a name and a `run_once()` giving a Sample: a command that runs
to its end (`UntilExit`), or a service process measured from spawn until its /readyz
answers 200 (`UntilReady`: distributed mode against the local PostgreSQL and RabbitMQ,
a database migrated beforehand, as after a crash; the CPU is the process's own at that
moment).

Bytecode is compiled first (site-packages and the project's sources, `compileall`: quick
when it is up to date), as the container image does at build (`UV_COMPILE_BYTECODE=1`):
where `PYTHONDONTWRITEBYTECODE` is set, an uncompiled environment compiles every module
again in every process, which about doubles each start.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

import psutil

from _stats import median

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RAIKOO = str(Path(sys.executable).with_name("raikoo"))


@dataclass(frozen=True)
class Sample:
    wall_s: float
    cpu_s: float


class Target(Protocol):
    @property
    def name(self) -> str: ...

    def run_once(self) -> Sample: ...


@dataclass(frozen=True)
class UntilExit:
    """A command run to its end; it must exit 0."""

    name: str
    argv: tuple[str, ...]

    def run_once(self) -> Sample:
        started = time.perf_counter()
        child = subprocess.Popen(
            self.argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert child.stderr is not None
        errors = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stderr.close()
        if child.returncode != 0:
            raise RuntimeError(f"{self.name} exited {child.returncode}: {errors.decode()[-2000:]}")
        # wait4 counts the process and the children it waited for.
        return Sample(wall, usage.ru_utime + usage.ru_stime)


PG_ADMIN = os.environ.get("RAIKOO_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP = os.environ.get("RAIKOO_BENCH_AMQP", "amqp://guest:guest@127.0.0.1:5672/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Installation:
    """What a service process needs to start: a migrated PostgreSQL database of its own, a
    bus prefix, a shared artifact directory and a proxy token."""

    def __init__(self) -> None:
        self.name = f"raikoo_startup_{uuid.uuid4().hex[:10]}"
        self.prefix = f"bench-{uuid.uuid4().hex[:8]}"
        self.blob_dir = tempfile.mkdtemp(prefix="raikoo-startup-")
        self.token = secrets.token_hex(24)
        asyncio.run(self._create())

    @property
    def database_url(self) -> str:
        return PG_ADMIN.rsplit("/", 1)[0] + "/" + self.name

    async def _create(self) -> None:
        import asyncpg

        from raikoo_common.db import create_engine
        from raikoo_common.db.migrate import upgrade

        admin = await asyncpg.connect(PG_ADMIN)
        try:
            await admin.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await admin.close()
        engine = create_engine(self.database_url)
        await upgrade(engine)
        await engine.dispose()

    def drop(self) -> None:
        """The database, and the queues and exchange the services declared on the broker."""

        async def go() -> None:
            import asyncpg

            from _modes import delete_bus_objects

            admin = await asyncpg.connect(PG_ADMIN)
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            finally:
                await admin.close()
            await delete_bus_objects(self.prefix)

        asyncio.run(go())

    def env(self, port: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAIKOO_")}
        env.update(
            RAIKOO_DATABASE_URL=self.database_url,
            RAIKOO_BUS_URL=AMQP,
            RAIKOO_BUS_PREFIX=self.prefix,
            RAIKOO_BLOB_URL=f"file://{self.blob_dir}",
            RAIKOO_SECRETS_PROXY_TOKEN=self.token,
            RAIKOO_PORT=str(port),
            RAIKOO_HEALTH_PORT=str(port),
            RAIKOO_DATA_DIR=self.blob_dir,
            RAIKOO_LOG_LEVEL="warning",
        )
        return env


@dataclass(frozen=True)
class UntilReady:
    """A service started as its own process, until its /readyz answers 200."""

    name: str
    module: str
    installation: Installation

    def run_once(self) -> Sample:
        port = _free_port()
        started = time.perf_counter()
        child = subprocess.Popen(
            (PYTHON, "-m", self.module),
            cwd=ROOT,
            env=self.installation.env(port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        process = psutil.Process(child.pid)
        try:
            while True:
                if child.poll() is not None:
                    assert child.stderr is not None
                    raise RuntimeError(f"{self.name} exited: {child.stderr.read()[-2000:]!r}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                        break  # 200: urlopen raises on 503
                except OSError:
                    time.sleep(0.01)
            wall = time.perf_counter() - started
            cpu = process.cpu_times()
            return Sample(wall, cpu.user + cpu.system)
        finally:
            child.terminate()
            child.wait(timeout=30)


SERVICE_APPS = {
    "gateway": "raikoo_gateway.app",
    "scheduler": "raikoo_scheduler.app",
    "op-runner": "raikoo_op_runner.app",
    "ai-runner": "raikoo_ai_runner.app",
    "secrets-proxy": "raikoo_secrets_proxy.app",
}

TARGETS: list[Target] = [
    UntilExit("raikoo --help", (RAIKOO, "--help")),
    UntilExit(
        "raikoo validate examples/quickstart.yaml",
        (RAIKOO, "validate", "examples/quickstart.yaml"),
    ),
    *(
        UntilExit(f"import {module} ({service})", (PYTHON, "-c", f"import {module}"))
        for service, module in SERVICE_APPS.items()
    ),
]
SERVICES_READY = {service: module.removesuffix(".app") for service, module in SERVICE_APPS.items()}


@dataclass(frozen=True)
class Figures:
    name: str
    runs: int
    wall_median_s: float
    wall_min_s: float
    cpu_median_s: float
    cpu_min_s: float


def measure(target: Target, repeat: int) -> Figures:
    target.run_once()  # warm-up: the file cache, .pyc files
    samples = [target.run_once() for _ in range(repeat)]
    walls = [sample.wall_s for sample in samples]
    cpus = [sample.cpu_s for sample in samples]
    return Figures(target.name, repeat, median(walls), min(walls), median(cpus), min(cpus))


def report(figures: Sequence[Figures]) -> str:
    width = max(len(f.name) for f in figures)
    lines = [
        f"{'target':<{width}}  wall median (min)  CPU median (min)",
        f"{'-' * width}  -----------------  ----------------",
    ]
    lines += [
        f"{f.name:<{width}}  {f.wall_median_s:6.2f} s ({f.wall_min_s:4.2f})"
        f"   {f.cpu_median_s:6.2f} s ({f.cpu_min_s:4.2f})"
        for f in figures
    ]
    return "\n".join(lines)


def compile_bytecode() -> float:
    """Compile site-packages and the project's sources where they are not yet; seconds taken."""
    started = time.perf_counter()
    folders = [Path(sysconfig.get_paths()["purelib"])]
    folders += [ROOT / folder for folder in ("libs", "services", "src")]
    for folder in folders:
        if not compileall.compile_dir(folder, quiet=2, workers=0):
            print(f"warning: some modules under {folder} did not compile", file=sys.stderr)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="measured runs per target")
    parser.add_argument("--only", help="only the targets whose name contains this text")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    print(f"bytecode compiled or up to date in {compile_bytecode():.1f} s", file=sys.stderr)
    installation = Installation()
    targets = [
        *TARGETS,
        *(
            UntilReady(f"{service} ready to serve", module, installation)
            for service, module in SERVICES_READY.items()
        ),
    ]
    chosen = [t for t in targets if args.only is None or args.only in t.name]
    load_before = os.getloadavg()
    figures = []
    try:
        for target in chosen:
            figures.append(measure(target, args.repeat))
            print(f"measured {target.name}", file=sys.stderr)
    finally:
        installation.drop()
    load_after = os.getloadavg()
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} → {load_after[0]:.2f}"
    )
    print(machine)
    print(report(figures))
    if args.json:
        document = {"machine": machine, "figures": [asdict(f) for f in figures]}
        args.json.write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
