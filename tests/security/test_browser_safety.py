"""A web page cannot drive the API: writes take only JSON and YAML, foreign origins and
hosts are refused, every response carries the security headers, and /docs works offline.

Each test runs against an embedded Raikoo behind its real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import re
from base64 import b64encode
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from raikoo_gateway.settings import GatewaySettings
from tests.security._embedded_api import embedded_api

DEFINITION = "name: csrf\noperations:\n  a: {uses: noop}\n"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
}


@pytest.fixture
async def http(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    for name in ("RAIKOO_TRUSTED_HOSTS", "RAIKOO_ALLOWED_ORIGINS", "RAIKOO_HOST"):
        monkeypatch.delenv(name, raising=False)
    async with embedded_api(tmp_path) as client:
        yield client


def own_origin(http: httpx.AsyncClient) -> str:
    return str(http.base_url).rstrip("/")


async def assert_not_stored(http: httpx.AsyncClient) -> None:
    assert (await http.get("/v1/workflows/csrf")).status_code == 404


# --- media types -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
        "application/jsonx",
    ],
)
async def test_writes_with_other_media_types_are_refused_with_415(
    http: httpx.AsyncClient, content_type: str
) -> None:
    response = await http.post(
        "/v1/workflows", content=DEFINITION, headers={"content-type": content_type}
    )
    assert response.status_code == 415, response.text
    assert response.json()["type"].endswith("/unsupported-media-type")
    assert "application/json" in response.json()["detail"]
    await assert_not_stored(http)


async def test_a_body_without_a_content_type_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.post("/v1/workflows", content=DEFINITION)
    assert response.status_code == 415
    assert "needs a Content-Type" in response.json()["detail"]
    await assert_not_stored(http)


@pytest.mark.parametrize(
    "content_type",
    ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml; charset=utf-8"],
)
async def test_yaml_media_types_are_accepted(http: httpx.AsyncClient, content_type: str) -> None:
    response = await http.post(
        "/v1/workflows", content=DEFINITION, headers={"content-type": content_type}
    )
    assert response.status_code == 201, response.text


async def test_json_and_its_suffix_types_are_accepted_and_bodyless_writes_need_no_type(
    http: httpx.AsyncClient,
) -> None:
    body = '{"name": "csrf", "operations": {"a": {"uses": "noop"}}}'
    for content_type in ("application/json", "application/merge-patch+json"):
        response = await http.post(
            "/v1/workflows", content=body, headers={"content-type": content_type}
        )
        assert response.status_code in (200, 201), response.text
    run = await http.post("/v1/runs", json={"workflow": "csrf"})
    cancelled = await http.post(f"/v1/runs/{run.json()['id']}/cancel")
    assert cancelled.status_code != 415


async def test_only_a_signed_hook_call_is_let_through_with_any_body_and_origin(
    http: httpx.AsyncClient,
) -> None:
    """A hook call proves itself by its signature (checked by its route, which answers 404
    for an unknown hook and 401 for a bad signature); everything else keeps the checks,
    including a route other than a hook's call that carries the same header."""
    signed = {"webhook-signature": "v1,AAAA", "origin": "https://evil.example"}
    hook = "/v1/hooks/00000000-0000-0000-0000-000000000000"
    reached = await http.post(
        hook,
        content=b"a=b",
        headers={**signed, "content-type": "application/x-www-form-urlencoded"},
    )
    assert reached.status_code == 404, reached.text
    for path, content_type in (
        (hook, "text/plain"),  # no signature header
        ("/v1/workflows", "text/plain"),
        (f"{hook}/rotate-secret", "text/plain"),
    ):
        headers = {"content-type": content_type}
        if path != hook:
            headers["webhook-signature"] = "v1,AAAA"
        refused = await http.post(path, content=b"x", headers=headers)
        assert refused.status_code == 415, (path, refused.text)
    foreign = await http.post(
        "/v1/workflows", content=DEFINITION, headers={**signed, "content-type": "application/yaml"}
    )
    assert foreign.status_code == 403
    await assert_not_stored(http)


# --- origins ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1:1", "https://localhost.evil"]
)
async def test_a_foreign_origin_is_refused_before_anything_is_stored(
    http: httpx.AsyncClient, origin: str
) -> None:
    # The attack as reproduced: a page on another origin stores a new version, then runs it.
    response = await http.post(
        "/v1/workflows",
        content=DEFINITION,
        headers={"content-type": "application/yaml", "origin": origin},
    )
    assert response.status_code == 403, response.text
    assert response.json()["type"].endswith("/origin-refused")
    assert "RAIKOO_ALLOWED_ORIGINS" in response.json()["detail"]
    await assert_not_stored(http)
    run = await http.post("/v1/runs", json={"workflow": "csrf"}, headers={"origin": origin})
    assert run.status_code == 403


async def test_the_apis_own_origin_is_accepted(http: httpx.AsyncClient) -> None:
    origin = own_origin(http)
    response = await http.post(
        "/v1/workflows",
        content=DEFINITION,
        headers={"content-type": "application/yaml", "origin": origin},
    )
    assert response.status_code == 201, response.text
    localhost = origin.replace("127.0.0.1", "localhost")
    listed = await http.get(
        "/v1/runs", headers={"origin": localhost, "host": localhost.split("//")[1]}
    )
    assert listed.status_code == 200


async def test_a_configured_origin_is_allowed_with_cors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = "https://console.example"
    monkeypatch.setenv("RAIKOO_ALLOWED_ORIGINS", f'["{console}"]')
    async with embedded_api(tmp_path) as http:
        preflight = await http.options(
            "/v1/workflows",
            headers={
                "origin": console,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == console
        stored = await http.post(
            "/v1/workflows",
            content=DEFINITION,
            headers={"content-type": "application/yaml", "origin": console},
        )
        assert stored.status_code == 201, stored.text
        assert stored.headers["access-control-allow-origin"] == console
        other = await http.get("/v1/runs", headers={"origin": "https://other.example"})
        assert other.status_code == 403


# --- hosts -----------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "rebind.attacker.test:8000", "", "10.0.0.1"])
async def test_an_untrusted_host_is_refused(http: httpx.AsyncClient, host: str) -> None:
    response = await http.get("/v1/runs", headers={"host": host})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/untrusted-host")
    assert "RAIKOO_TRUSTED_HOSTS" in response.json()["detail"]


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "LOCALHOST", "[::1]:9"])
async def test_localhost_names_are_trusted(http: httpx.AsyncClient, host: str) -> None:
    assert (await http.get("/v1/runs", headers={"host": host})).status_code == 200


async def test_health_checks_answer_any_host(http: httpx.AsyncClient) -> None:
    # Probes address a container by IP; these endpoints tell nothing worth rebinding for.
    assert (await http.get("/healthz", headers={"host": "10.1.2.3:8000"})).status_code == 200


async def test_trusted_hosts_can_be_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAIKOO_TRUSTED_HOSTS", '["raikoo.example", "*.internal.example"]')
    async with embedded_api(tmp_path) as http:
        for host, status in [
            ("raikoo.example", 200),
            ("api.internal.example:443", 200),
            ("internal.example", 400),
            ("localhost", 400),
        ]:
            assert (await http.get("/v1/runs", headers={"host": host})).status_code == status


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, ["localhost", "127.0.0.1", "[::1]", "127.0.0.1"]),
        ({"host": "::1"}, ["localhost", "127.0.0.1", "[::1]", "[::1]"]),
        ({"host": "raikoo.lan"}, ["localhost", "127.0.0.1", "[::1]", "raikoo.lan"]),
        ({"host": "0.0.0.0"}, ["localhost", "127.0.0.1", "[::1]"]),
        ({"host": "0.0.0.0", "bus_url": "amqp://rabbit/"}, ["*"]),
        ({"host": "0.0.0.0", "trusted_hosts": ["a.example"]}, ["a.example"]),
    ],
)
def test_the_default_trusted_hosts(settings: dict[str, object], expected: list[str]) -> None:
    assert GatewaySettings(**settings).resolved_trusted_hosts() == expected  # type: ignore[arg-type]


# --- headers and /docs -----------------------------------------------------------------


async def test_every_response_carries_the_security_headers(http: httpx.AsyncClient) -> None:
    responses = [
        await http.get("/healthz"),
        await http.get("/v1/runs"),
        await http.get("/openapi.json"),
        await http.get("/v1/runs/00000000-0000-0000-0000-000000000000"),  # 404
        await http.post("/v1/workflows", content="x", headers={"content-type": "text/plain"}),
        await http.post(
            "/v1/workflows",
            content="x" * (2 * 1024 * 1024),
            headers={"content-type": "application/yaml"},
        ),
        await http.get("/v1/runs", headers={"host": "evil.example"}),
        await http.get("/v1/runs", headers={"origin": "http://evil.example"}),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 404, 415, 413, 400, 403]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.url, name)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp


async def test_docs_work_offline_with_a_policy_naming_their_own_scripts(
    http: httpx.AsyncClient,
) -> None:
    page = await http.get("/docs")
    assert page.status_code == 200
    html = page.text
    # Every asset the page loads is served by the API itself: no CDN.
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/"), url
        asset = await http.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000
    assert "SwaggerUIBundle" in (await http.get("/docs/assets/swagger-ui-bundle.js")).text
    assert (await http.get("/openapi.json")).json()["info"]["title"] == "Raikoo"
    # The policy allows the page's inline script by its hash, and nothing from elsewhere.
    csp = page.headers["content-security-policy"]
    [script] = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    digest = b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in csp
    assert "unsafe-inline" not in csp
    assert "connect-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    for name, value in SECURITY_HEADERS.items():
        assert page.headers[name] == value


async def test_redoc_is_not_served(http: httpx.AsyncClient) -> None:
    assert (await http.get("/redoc")).status_code == 404
