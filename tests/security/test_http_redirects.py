"""http.request on a redirect to another origin: credentials and the body stay behind.

Real loopback servers, each its own origin (same host, another port), opened for these
tests by the SSRF allow list; one run goes through the executor with a stored secret."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from raikoo_common.messages import OperationReady, OperationSucceeded
from raikoo_common.net.credentials import CredentialHeaders, for_redirect, origin
from raikoo_common.runner import OperationError
from raikoo_common.secrets import LocalSecretStore
from raikoo_common.secrets.refs import reference
from raikoo_op_runner.kinds import catalog
from raikoo_op_runner.kinds._http_config import HttpRequestConfig, HttpResponseOutput
from raikoo_op_runner.kinds.http_request import execute
from raikoo_op_runner.settings import current_settings
from tests.unit.kinds._run import context
from tests.unit.kinds.test_http_request import Make, allow
from tests.unit.net._servers import Hit, LocalServer, Reply, redirect_to, server_factory
from tests.unit.runner._once import run_once

CREDENTIALS = {
    "Authorization": "Bearer a-token",
    "Proxy-Authorization": "Basic cHJveHk6cHc=",
    "Cookie": "session=abc",
    "X-Api-Key": "key-1",
    "Api-Key": "key-2",
    "X-Auth-Token": "tok-3",
    "X-Shopify-Access-Token": "tok-4",  # on no list: its name says what it is
    "X-Signature": "sig-5",
}
PLAIN = {"X-Trace": "t-1", "Accept": "application/json"}
SECRET = "Sup3r-Secret-Value-42"


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("RAIKOO_HTTP_ALLOW_HOSTS", "RAIKOO_HTTP_CREDENTIAL_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    current_settings.cache_clear()
    yield
    current_settings.cache_clear()


@pytest.fixture
def make() -> Iterator[Make]:
    """Starts loopback servers; each is an origin of its own (another port)."""
    with server_factory() as start:
        yield start


def ok(hit: Hit) -> Reply:
    return Reply(200, [("content-type", "application/json")], b'{"ok": true}')


def two_origins(
    make: Make, monkeypatch: pytest.MonkeyPatch, status: int = 302
) -> tuple[LocalServer, LocalServer]:
    """``first`` redirects /go to ``second``'s /landing (another port: another origin)."""
    second = make({"/landing": ok})
    first = make({"/go": redirect_to(second.url("/landing"), status)})
    allow(monkeypatch, first, second)
    return first, second


async def call(**config: Any) -> HttpResponseOutput:
    return await execute(HttpRequestConfig.model_validate(config), context("fetch"))


async def test_a_cross_origin_redirect_drops_every_credential_header(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_origins(make, monkeypatch)
    out = await call(url=first.url("/go"), headers={**CREDENTIALS, **PLAIN})
    assert out.status == 200
    assert out.redirects == [first.url("/go")]
    sent = first.hits[0].headers
    assert all(sent[name.lower()] == value for name, value in CREDENTIALS.items())
    [landed] = second.hits
    assert not {name.lower() for name in CREDENTIALS} & set(landed.headers)
    assert landed.headers["x-trace"] == "t-1"
    assert landed.headers["accept"] == "application/json"


async def test_a_same_origin_redirect_keeps_them(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/landing": ok})
    server.routes["/go"] = redirect_to("/landing", 302)
    allow(monkeypatch, server)
    await call(url=server.url("/go"), headers={"X-Api-Key": "key-1", "Authorization": "Bearer t"})
    landed = server.hits[1].headers
    assert (landed["x-api-key"], landed["authorization"]) == ("key-1", "Bearer t")


async def test_returning_to_the_first_origin_does_not_bring_credentials_back(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make({"/landing": ok})
    second = make({"/bounce": redirect_to(first.url("/landing"))})
    first.routes["/go"] = redirect_to(second.url("/bounce"))
    allow(monkeypatch, first, second)
    await call(url=first.url("/go"), headers={"X-Api-Key": "key-1"})
    assert [("x-api-key" in hit.headers) for hit in first.hits + second.hits] == [
        True,
        False,
        False,
    ]


async def test_the_credential_list_is_configurable(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_origins(make, monkeypatch)
    monkeypatch.setenv("RAIKOO_HTTP_CREDENTIAL_HEADERS", '["X-Tenant"]')
    current_settings.cache_clear()
    await call(url=first.url("/go"), headers={"X-Tenant": "acme", "X-Trace": "t"})
    assert "x-tenant" not in second.hits[0].headers
    assert second.hits[0].headers["x-trace"] == "t"


@pytest.mark.parametrize(
    ("status", "method", "body"),
    [
        (307, "POST", {"json": {"amount": 100}}),
        (308, "PUT", {"body": "signed payload"}),
        (307, "PATCH", {"form": {"a": "1"}}),
        (301, "PUT", {"json": [1]}),  # 301 keeps methods other than POST
    ],
)
async def test_a_body_is_never_sent_to_another_origin(
    make: Make, monkeypatch: pytest.MonkeyPatch, status: int, method: str, body: dict[str, Any]
) -> None:
    first, second = two_origins(make, monkeypatch, status)
    with pytest.raises(OperationError) as caught:
        await call(url=first.url("/go"), method=method, **body)
    error = caught.value
    assert (error.kind, error.retryable) == ("redirect_refused", False)
    assert f"another origin, {second.url('')}" in str(error)
    assert "follow_redirects: false" in str(error)
    assert second.hits == []


@pytest.mark.parametrize("status", [307, 308])
async def test_307_and_308_keep_method_and_body_within_the_origin(
    make: Make, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    server = make({"/landing": ok})
    server.routes["/go"] = redirect_to("/landing", status)
    allow(monkeypatch, server)
    await call(url=server.url("/go"), method="POST", json={"amount": 100}, headers=CREDENTIALS)
    landed = server.hits[1]
    assert (landed.method, json.loads(landed.body)) == ("POST", {"amount": 100})
    assert landed.headers["x-api-key"] == "key-1"


@pytest.mark.parametrize("status", [301, 302, 303])
async def test_a_post_turned_get_follows_without_body_or_credentials(
    make: Make, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    first, second = two_origins(make, monkeypatch, status)
    out = await call(url=first.url("/go"), method="POST", json={"a": 1}, headers=CREDENTIALS)
    assert out.status == 200
    [landed] = second.hits
    assert (landed.method, landed.body) == ("GET", b"")
    assert not {name.lower() for name in CREDENTIALS} & set(landed.headers)


async def test_a_header_that_held_a_secret_is_dropped_whatever_its_name(
    make: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Through the executor, as a run does it: the header holds a reference, resolved from
    # the organisation's store just before the operation runs.
    first, second = two_origins(make, monkeypatch)
    org = uuid.uuid4()
    store = LocalSecretStore(tmp_path)
    await store.put(org, "TOKEN", SECRET, project_id=None)
    headers = {"X-Partner": f"id={reference('TOKEN')}", "X-Plain": "visible"}
    ready = OperationReady(
        op_run_id=uuid.uuid4(),
        run_id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        op_key="fetch",
        attempt=1,
        kind="http.request",
        config={"url": first.url("/go"), "headers": headers},
        timeout_seconds=30,
    )
    result = await run_once(catalog(), ready, org, secrets=store, wait=30)
    assert isinstance(result, OperationSucceeded), result
    assert first.hits[0].headers["x-partner"] == f"id={SECRET}"
    [landed] = second.hits
    assert "x-partner" not in landed.headers
    assert landed.headers["x-plain"] == "visible"
    assert SECRET not in json.dumps([hit.headers for hit in second.hits])


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("http://api.example/a", "http://api.example:80/b", True),
        ("https://api.example/a", "https://api.example:443/b?x", True),
        ("http://api.example/a", "https://api.example/a", False),  # an upgrade too
        ("https://api.example/a", "https://api.example:8443/a", False),
        ("https://api.example/a", "https://API.example/a", True),
        ("https://api.example/a", "https://evil.example/a", False),
    ],
)
def test_an_origin_is_scheme_host_and_port(before: str, after: str, same: bool) -> None:
    assert (origin(httpx.URL(before)) == origin(httpx.URL(after))) is same
    previous = httpx.Request("GET", before, headers={"Authorization": "Bearer t"})
    following = httpx.Request("GET", after, headers={"Authorization": "Bearer t"})
    followed = for_redirect(previous, following, CredentialHeaders([], []))
    assert ("authorization" in followed.headers) is same
