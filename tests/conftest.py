"""Service fixtures for the whole suite: RabbitMQ and PostgreSQL, found or started on demand.

Each service comes from an environment URL, else a local default that answers, else a
testcontainers container when a Docker engine is reachable. Without any of these the
tests that need it are skipped, except on CI (``CI=true``), where that is a failure.
All fixtures are lazy: a test that does not ask for a service never waits for one.
"""

from __future__ import annotations

import asyncio
import compileall
import os
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import asyncpg
import pytest
from sqlalchemy.engine import make_url

_DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
_DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"

_T = TypeVar("_T")


def _run(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine from a synchronous fixture without touching the test's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _unavailable(service: str, env: str) -> NoReturn:
    message = f"{service} unavailable: set {env}, run it locally, or provide a Docker engine"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _docker_available() -> bool:
    # A plain socket check: the docker client leaks a socket when the engine is absent.
    endpoint = urlsplit(os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"))
    if endpoint.scheme == "unix":
        try:
            with socket.socket(socket.AF_UNIX) as engine:
                engine.settimeout(1)
                engine.connect(endpoint.path)
        except OSError:
            return False
        return True
    return endpoint.hostname is not None and _port_open(endpoint.hostname, endpoint.port or 2375)


_PROJECT_SOURCES = ("libs", "services", "src")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the project's own modules before any test starts a process. The suite starts
    hundreds of service and worker processes; where ``PYTHONDONTWRITEBYTECODE`` is set (as
    on this project's machines) none of them writes the bytecode it compiles, so each one
    compiled the project's sources again. Third-party packages are compiled at install
    (``uv sync --compile-bytecode``, the README's test command)."""
    root = Path(session.config.rootpath)
    for folder in _PROJECT_SOURCES:
        compileall.compile_dir(root / folder, quiet=1)


_FASTAPI_CALLABLE_CACHES = (
    "_is_gen_callable_cached",
    "_is_async_gen_callable_cached",
    "_is_coroutine_callable_cached",
)


@pytest.fixture(autouse=True)
def _forget_fastapi_callable_caches() -> Iterator[None]:
    """FastAPI caches how it classifies each endpoint and dependency callable, up to 4,096
    of them per cache (``fastapi.dependencies.models``). A closure an app made for itself
    (the offline docs' pages) keeps that whole app reachable from the cache: ~29,000
    objects. A service process builds one app; this suite builds over a thousand, and the
    heap they kept made every garbage collection, so every later test, slower — a 1 s
    embedded start took 6 s by the end of a full run. Forgotten after each test."""
    yield
    from fastapi.dependencies import models

    for name in _FASTAPI_CALLABLE_CACHES:
        cached = getattr(models, name, None)
        if cached is not None:
            cached.cache_clear()


@pytest.fixture(scope="session")
def amqp_url() -> Iterator[str]:
    if url := os.environ.get("RAIKOO_TEST_AMQP_URL"):
        yield url
        return
    if _port_open("127.0.0.1", 5672):
        yield _DEFAULT_AMQP_URL
        return
    if not _docker_available():
        _unavailable("RabbitMQ", "RAIKOO_TEST_AMQP_URL")
    from testcontainers.community.rabbitmq import RabbitMqContainer

    with RabbitMqContainer("rabbitmq:3.13-alpine") as rabbit:
        host = rabbit.get_container_host_ip()
        port = rabbit.get_exposed_port(rabbit.port)
        yield f"amqp://{rabbit.username}:{rabbit.password}@{host}:{port}/"


async def _answers(url: str) -> bool:
    try:
        connection = await asyncpg.connect(_asyncpg_dsn(url), timeout=3)
    except Exception:
        return False
    await connection.close()
    return True


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A ``postgresql+asyncpg://`` URL of a server where tests may create databases."""
    if url := os.environ.get("RAIKOO_TEST_DATABASE_URL"):
        yield url
        return
    if _run(_answers(_DEFAULT_DATABASE_URL)):
        yield _DEFAULT_DATABASE_URL
        return
    if not _docker_available():
        _unavailable("PostgreSQL", "RAIKOO_TEST_DATABASE_URL")
    from testcontainers.community.postgres import PostgresContainer

    with PostgresContainer("postgres:16-alpine", driver="asyncpg") as postgres:
        yield postgres.get_connection_url()


async def _execute(admin_url: str, statement: str) -> None:
    connection = await asyncpg.connect(_asyncpg_dsn(admin_url), timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _drop_databases(admin_url: str, names: list[str]) -> None:
    """Dropped all at once: one after the other, a session's databases took 17 s."""
    gate = asyncio.Semaphore(8)

    async def drop(name: str) -> None:
        async with gate:
            await _execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    results = await asyncio.gather(*(drop(name) for name in names), return_exceptions=True)
    failures = [result for result in results if isinstance(result, BaseException)]
    if failures:  # every drop was tried; say what the first that failed said
        raise failures[0]


@pytest.fixture(scope="session")
def make_postgres_database(postgres_admin_url: str) -> Iterator[Callable[[], str]]:
    """Call it for the URL of a fresh, empty database; all are dropped at session end."""
    names: list[str] = []

    def make() -> str:
        name = f"raikoo_test_{uuid.uuid4().hex[:16]}"
        _run(_execute(postgres_admin_url, f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)

    try:
        yield make
    finally:
        _run(_drop_databases(postgres_admin_url, names))


@pytest.fixture(scope="session")
def postgres_url(make_postgres_database: Callable[[], str]) -> str:
    """A database of this test session, shared by the tests that use it."""
    return make_postgres_database()


_AZURITE_BIN = Path(__file__).resolve().parent.parent / "node_modules" / ".bin" / "azurite-blob"
# Azurite's fixed development account; the key is public, documented by Microsoft.
_AZURITE_ACCOUNT = "devstoreaccount1"
_AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _azurite_unavailable(reason: str) -> NoReturn:
    message = (
        f"Azurite unavailable ({reason}): run `npm ci` in the repository root, or set "
        "RAIKOO_TEST_AZURITE_CONNECTION_STRING"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def azurite_connection_string(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A connection string for Azurite's blob service: RAIKOO_TEST_AZURITE_CONNECTION_STRING,
    else a private Azurite started from node_modules (``npm ci``) for this session."""
    if connection_string := os.environ.get("RAIKOO_TEST_AZURITE_CONNECTION_STRING"):
        yield connection_string
        return
    if not _AZURITE_BIN.exists():
        _azurite_unavailable(f"{_AZURITE_BIN} is missing")
    location = tmp_path_factory.mktemp("azurite")
    port = _free_port()
    with (location / "azurite.log").open("wb") as log:
        try:
            azurite = subprocess.Popen(
                [
                    str(_AZURITE_BIN), "--blobHost", "127.0.0.1", "--blobPort", str(port),
                    "--location", str(location), "--skipApiVersionCheck", "--loose",
                    "--disableTelemetry",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        except OSError as exc:  # e.g. no `node` on PATH
            _azurite_unavailable(f"cannot run {_AZURITE_BIN}: {exc}")
    try:
        deadline = time.monotonic() + 30
        while not _port_open("127.0.0.1", port):
            if azurite.poll() is not None or time.monotonic() > deadline:
                output = (location / "azurite.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"Azurite did not start on port {port}:\n{output}")
            time.sleep(0.1)
        yield (
            f"DefaultEndpointsProtocol=http;AccountName={_AZURITE_ACCOUNT};"
            f"AccountKey={_AZURITE_KEY};"
            f"BlobEndpoint=http://127.0.0.1:{port}/{_AZURITE_ACCOUNT};"
        )
    finally:
        azurite.terminate()
        try:
            azurite.wait(timeout=10)
        except subprocess.TimeoutExpired:
            azurite.kill()
            azurite.wait()
