"""The secret store contract (raikoo_common/secrets/port.py), run against the local
encrypted store and against the secrets-proxy's client talking to the real proxy app over
HTTP: organization-wide secrets, project secrets that override them in that project's runs
only, and listings per scope."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from pydantic import SecretStr

from raikoo_common.runtime import http_server
from raikoo_common.secrets import (
    LocalSecretStore,
    SecretsProxyClient,
    SecretStore,
    SecretUnavailable,
)
from raikoo_secrets_proxy.app import create_app
from raikoo_secrets_proxy.settings import SecretsProxySettings
from tests._budget import WAIT_SECONDS

TOKEN = "contract-proxy-token-0123456789"
ORG = uuid.uuid4()
ALPHA, BETA = uuid.uuid4(), uuid.uuid4()


@asynccontextmanager
async def served_proxy(store: SecretStore) -> AsyncIterator[str]:
    """The secrets-proxy app on a real HTTP server bound to a free port: its base URL."""
    settings = SecretsProxySettings(secrets_proxy_token=SecretStr(TOKEN))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = http_server(create_app(settings, store), "127.0.0.1", 0)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(WAIT_SECONDS):
            while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
                await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@pytest.fixture(params=["local", "proxy"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SecretStore]:
    local = LocalSecretStore(tmp_path)
    if request.param == "local":
        yield local
        return
    async with served_proxy(local) as url:
        client = SecretsProxyClient(url, TOKEN)
        try:
            yield client
        finally:
            await client.close()


async def test_an_organization_secret_is_seen_by_every_project(store: SecretStore) -> None:
    await store.put(ORG, "TOKEN", "org-wide-value", project_id=None)
    for project in (ALPHA, BETA, None):
        assert await store.values(ORG, ["TOKEN"], project_id=project) == {"TOKEN": "org-wide-value"}
    with pytest.raises(SecretUnavailable, match="TOKEN"):
        await store.values(uuid.uuid4(), ["TOKEN"], project_id=ALPHA)


async def test_a_project_secret_wins_in_its_project_and_is_invisible_elsewhere(
    store: SecretStore,
) -> None:
    await store.put(ORG, "TOKEN", "org-wide-value", project_id=None)
    await store.put(ORG, "TOKEN", "alpha-own-value", project_id=ALPHA)
    await store.put(ORG, "ONLY_ALPHA", "alpha-only-value", project_id=ALPHA)
    assert await store.values(ORG, ["TOKEN", "ONLY_ALPHA"], project_id=ALPHA) == {
        "TOKEN": "alpha-own-value",
        "ONLY_ALPHA": "alpha-only-value",
    }
    assert await store.values(ORG, ["TOKEN"], project_id=BETA) == {"TOKEN": "org-wide-value"}
    assert await store.values(ORG, ["TOKEN"], project_id=None) == {"TOKEN": "org-wide-value"}
    with pytest.raises(SecretUnavailable) as elsewhere:
        await store.values(ORG, ["ONLY_ALPHA"], project_id=BETA)
    with pytest.raises(SecretUnavailable) as nowhere:
        await store.values(ORG, ["NEVER_WRITTEN"], project_id=BETA)
    assert str(elsewhere.value) == str(nowhere.value).replace("NEVER_WRITTEN", "ONLY_ALPHA"), (
        "another project's secret reads exactly as a missing one"
    )
    with pytest.raises(SecretUnavailable, match="ONLY_ALPHA"):
        await store.values(ORG, ["ONLY_ALPHA"], project_id=None)


async def test_every_missing_name_is_named(store: SecretStore) -> None:
    await store.put(ORG, "HERE", "present-value", project_id=ALPHA)
    with pytest.raises(SecretUnavailable, match="A_GONE, B_GONE"):
        await store.values(ORG, ["HERE", "B_GONE", "A_GONE"], project_id=ALPHA)


async def test_listings_and_deletes_are_per_scope(store: SecretStore) -> None:
    for name in ("C", "A", "B"):
        await store.put(ORG, name, f"org-value-{name}", project_id=None)
    await store.put(ORG, "A", "alpha-value-a", project_id=ALPHA)
    organization = await store.entries(ORG, project_id=None)
    assert [(e.name, e.project_id) for e in organization] == [("A", None), ("B", None), ("C", None)]
    assert all(e.updated_at is not None for e in organization)
    [alpha] = await store.entries(ORG, project_id=ALPHA)
    assert (alpha.name, alpha.project_id) == ("A", ALPHA)
    assert await store.entries(ORG, project_id=BETA) == []
    second = await store.entries(ORG, project_id=None, after="A", limit=1)
    assert [e.name for e in second] == ["B"]

    assert not await store.delete(ORG, "B", project_id=ALPHA), "B is the organization's"
    assert await store.delete(ORG, "A", project_id=ALPHA)
    assert await store.values(ORG, ["A"], project_id=ALPHA) == {"A": "org-value-A"}
    assert not await store.delete(ORG, "A", project_id=ALPHA)
    assert await store.delete(ORG, "A", project_id=None)
    assert [e.name for e in await store.entries(ORG, project_id=None)] == ["B", "C"]


async def test_a_name_that_is_not_one_is_refused(store: SecretStore) -> None:
    with pytest.raises(ValueError, match="not a secret name"):
        await store.put(ORG, "bad name", "value-of-it", project_id=ALPHA)


async def test_the_proxy_refuses_a_caller_without_its_token(tmp_path: Path) -> None:
    local = LocalSecretStore(tmp_path)
    await local.put(ORG, "TOKEN", "org-wide-value", project_id=None)
    async with served_proxy(local) as url:
        stranger = SecretsProxyClient(url, "not-the-token")
        try:
            with pytest.raises(SecretUnavailable, match="bearer token"):
                await stranger.values(ORG, ["TOKEN"], project_id=None)
        finally:
            await stranger.close()
