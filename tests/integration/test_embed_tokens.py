"""Embed tokens (the run widget's credential): made, listed and revoked by a project's
editors; a token starts runs of its one workflow and reads only the runs it started, from
the origins it lists; its widget page may be framed by those origins only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from raikoo.embedded import EmbeddedRaikoo
from tests._embedded import auth_headers
from tests.integration.test_console_served import export

SHOP = "https://shop.example.com"
GREET = {
    "name": "greet",
    "inputs": {"who": {"type": "string", "default": "world"}},
    "operations": {"hello": {"uses": "set", "with": {"text": "Hello, {{ inputs.who }}!"}}},
    "outputs": {"text": "{{ ops.hello.output.text }}"},
}
OTHER = {"name": "other", "operations": {"a": {"uses": "noop"}}}


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """An embedded Raikoo serving a console export; the client is the local admin."""
    raikoo = EmbeddedRaikoo(
        data_dir=tmp_path / "data", port=0, console_dir=export(tmp_path / "out")
    )
    (tmp_path / "out" / "embed" / "run").mkdir(parents=True)
    (tmp_path / "out" / "embed" / "run" / "index.html").write_bytes(b"<!DOCTYPE html><p>widget")
    (tmp_path / "out" / "embed.js").write_text("customElements.define('raikoo-run', class {})")
    base_url = await raikoo.start()
    try:
        headers = auth_headers(raikoo.local_admin_key)
        async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=headers) as http:
            for definition in (GREET, OTHER):
                assert (await http.post("/v1/workflows", json=definition)).status_code == 201
            yield http
    finally:
        await raikoo.stop()


async def _token(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "shop", "workflow": "greet", "origins": [SHOP]} | fields
    made = await http.post("/v1/embed-tokens", json=body)
    assert made.status_code == 201, made.text
    return dict(made.json())


def _as(http: httpx.AsyncClient, token: str, origin: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} | ({"Origin": origin} if origin else {})
    return httpx.AsyncClient(base_url=http.base_url, headers=headers, timeout=30)


async def _finished(client: httpx.AsyncClient, run_id: str) -> dict[str, Any]:
    """The run once its event stream ended (the stream ends after the final state)."""
    async with client.stream("GET", f"/v1/embed/runs/{run_id}/events") as events:
        assert events.status_code == 200
        async for _ in events.aiter_lines():
            pass
    run = await client.get(f"/v1/embed/runs/{run_id}")
    assert run.status_code == 200
    return dict(run.json())


async def test_a_token_is_shown_once_listed_by_prefix_and_audited(
    gateway: httpx.AsyncClient,
) -> None:
    made = await _token(gateway, origins=["https://Shop.Example.com:443/", "http://127.0.0.2:8"])
    assert made["token"].startswith(made["prefix"] + "_")
    assert made["prefix"].startswith("rke_")
    assert made["origins"] == [SHOP, "http://127.0.0.2:8"]
    assert made["workflow"] == "greet"
    assert made["version"] is None
    listed = (await gateway.get("/v1/embed-tokens", params={"limit": 1})).json()
    assert [t["id"] for t in listed["items"]] == [made["id"]]
    assert "token" not in listed["items"][0]
    assert made["token"] not in str(listed)
    actions = {e["action"] for e in (await gateway.get("/v1/audit")).json()["items"]}
    assert "embed_token.created" in actions


@pytest.mark.parametrize(
    ("origin", "why"),
    [
        ("http://shop.example.com", "use https"),
        ("https://*.example.com", "wildcards"),
        ("https://shop.example.com/page", "no path"),
        ("https://user@shop.example.com", "no user name"),
        ("shop.example.com", "https://host[:port]"),
        ("https://shop.example.com:99999", "port"),
        ("http://127.evil.example", "use https"),
    ],
)
async def test_a_bad_origin_is_refused_naming_it(
    gateway: httpx.AsyncClient, origin: str, why: str
) -> None:
    body = {"name": "x", "workflow": "greet", "origins": [SHOP, origin]}
    refused = await gateway.post("/v1/embed-tokens", json=body)
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["path"] == "body.origins[1]"
    assert origin in error["message"]
    assert why in error["message"]


async def test_a_token_for_an_unknown_workflow_or_past_expiry_is_refused(
    gateway: httpx.AsyncClient,
) -> None:
    body = {"name": "x", "workflow": "nope", "origins": [SHOP]}
    assert (await gateway.post("/v1/embed-tokens", json=body)).status_code == 404
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    expired = await gateway.post(
        "/v1/embed-tokens", json=body | {"workflow": "greet", "expires_at": past}
    )
    assert expired.status_code == 422


async def test_a_token_starts_its_workflow_and_reads_the_runs_it_started(
    gateway: httpx.AsyncClient,
) -> None:
    made = await _token(gateway)
    async with _as(gateway, made["token"]) as widget:
        form = (await widget.get("/v1/embed/workflow")).json()
        assert form["name"] == "greet"
        assert form["version"] == 1
        assert form["inputs"]["who"]["default"] == "world"
        assert form["operations"] == [{"key": "hello", "uses": "set"}]
        assert form["outputs"] == ["text"]
        started = await widget.post("/v1/embed/runs", json={"inputs": {"who": "Ada"}})
        assert started.status_code == 201, started.text
        assert started.headers["location"] == f"/v1/embed/runs/{started.json()['id']}"
        run = await _finished(widget, started.json()["id"])
        assert run["state"] == "succeeded"
        assert run["outputs"] == {"text": "Hello, Ada!"}
        assert run["trigger"] == "embed"
        bad = await widget.post("/v1/embed/runs", json={"inputs": {"who": 3, "extra": 1}})
        assert bad.status_code == 422


async def test_a_token_reaches_nothing_else(gateway: httpx.AsyncClient) -> None:
    made = await _token(gateway)
    other_token = (await _token(gateway, name="second"))["token"]
    by_key = (await gateway.post("/v1/runs", json={"workflow": "greet"})).json()
    async with _as(gateway, other_token) as second:
        by_second = (await second.post("/v1/embed/runs", json={})).json()
    async with _as(gateway, made["token"]) as widget:
        # Runs it did not start, of its own workflow too, are missing to it.
        for run_id in (by_key["id"], by_second["id"]):
            assert (await widget.get(f"/v1/embed/runs/{run_id}")).status_code == 404
            assert (await widget.get(f"/v1/embed/runs/{run_id}/events")).status_code == 404
        # Nothing but the widget's routes: not another workflow, not the project's lists.
        for method, path, body in [
            ("POST", "/v1/runs", {"workflow": "other"}),
            ("POST", "/v1/runs", {"workflow": "greet"}),
            ("GET", "/v1/workflows", None),
            ("GET", "/v1/workflows/greet", None),
            ("GET", f"/v1/runs/{by_second['id']}", None),
            ("GET", "/v1/embed-tokens", None),
            ("POST", "/v1/keys", {"name": "k", "role": "viewer"}),
            ("DELETE", f"/v1/embed-tokens/{made['id']}", None),
        ]:
            answer = await widget.request(method, path, json=body)
            assert answer.status_code == 403, f"{method} {path}: {answer.text}"
            assert "embed token" in answer.json()["detail"]
    # An API key is no embed token.
    assert (await gateway.get("/v1/embed/workflow")).status_code == 401


async def test_a_pinned_version_is_the_one_started(gateway: httpx.AsyncClient) -> None:
    changed = GREET | {"operations": {"hello": {"uses": "set", "with": {"text": "Hi"}}}}
    assert (await gateway.put("/v1/workflows/greet", json=changed)).status_code in (200, 201)
    pinned = await _token(gateway, version=1)
    latest = await _token(gateway)
    async with _as(gateway, pinned["token"]) as first, _as(gateway, latest["token"]) as newest:
        assert (await first.get("/v1/embed/workflow")).json()["version"] == 1
        assert (await newest.get("/v1/embed/workflow")).json()["version"] == 2
        run = await _finished(first, (await first.post("/v1/embed/runs", json={})).json()["id"])
        assert run["outputs"] == {"text": "Hello, world!"}


async def test_a_revoked_or_expired_token_is_refused_with_401(gateway: httpx.AsyncClient) -> None:
    made = await _token(gateway)
    async with _as(gateway, made["token"]) as widget:
        assert (await widget.get("/v1/embed/workflow")).status_code == 200
        assert (await gateway.delete(f"/v1/embed-tokens/{made['id']}")).status_code == 204
        refused = await widget.get("/v1/embed/workflow")
        assert refused.status_code == 401
        assert "revoked" in refused.json()["detail"]
    assert (await gateway.delete(f"/v1/embed-tokens/{made['id']}")).status_code == 204
    listed = (await gateway.get("/v1/embed-tokens")).json()["items"]
    assert next(t for t in listed if t["id"] == made["id"])["revoked_at"] is not None
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    short = await _token(gateway, expires_at=soon)
    async with _as(gateway, short["token"]) as widget:
        refused = await widget.get("/v1/embed/workflow")
        while refused.status_code == 200:
            await asyncio.sleep(0.1)
            refused = await widget.get("/v1/embed/workflow")
        assert refused.status_code == 401
        assert "expired" in refused.json()["detail"]
    async with _as(gateway, made["token"][:-2] + "zz") as forged:
        assert (await forged.get("/v1/embed/workflow")).status_code == 401


async def test_pages_of_a_listed_origin_get_cors_and_others_are_refused(
    gateway: httpx.AsyncClient,
) -> None:
    made = await _token(gateway)
    async with _as(gateway, made["token"], SHOP) as shop:
        form = await shop.get("/v1/embed/workflow")
        assert form.status_code == 200
        assert form.headers["access-control-allow-origin"] == SHOP
        assert "Origin" in form.headers["vary"]
        assert "credentials" not in str(form.headers).lower()
    async with _as(gateway, made["token"], "https://evil.example") as evil:
        refused = await evil.get("/v1/embed/workflow")
        assert refused.status_code == 403
        assert "access-control-allow-origin" not in refused.headers
        assert (await evil.post("/v1/embed/runs", json={})).status_code == 403
        # The rest of the API stays closed to other origins, embed token or not.
        assert (await evil.get("/v1/workflows")).status_code == 403
    preflight = {"Origin": SHOP, "Access-Control-Request-Method": "POST"}
    allowed = await gateway.options("/v1/embed/runs", headers=preflight)
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == SHOP
    assert "authorization" in allowed.headers["access-control-allow-headers"]
    foreign = preflight | {"Origin": "https://evil.example"}
    assert (await gateway.options("/v1/embed/runs", headers=foreign)).status_code == 403
    assert (await gateway.options("/v1/runs", headers=preflight)).status_code == 403
    await gateway.delete(f"/v1/embed-tokens/{made['id']}")
    assert (await gateway.options("/v1/embed/runs", headers=preflight)).status_code == 403


async def test_the_widget_page_may_be_framed_by_the_tokens_origins_only(
    gateway: httpx.AsyncClient,
) -> None:
    made = await _token(gateway, origins=[SHOP, "http://localhost:3000"])
    page = await gateway.get("/embed/run/", params={"prefix": made["prefix"]})
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert f"frame-ancestors {SHOP} http://localhost:3000;" in policy
    assert "x-frame-options" not in page.headers
    for params in ({}, {"prefix": "rke_unknown00"}, {"prefix": "rk_notatoken"}):
        closed = await gateway.get("/embed/run/", params=params)
        assert "frame-ancestors 'none'" in closed.headers["content-security-policy"]
        assert closed.headers["x-frame-options"] == "DENY"
    await gateway.delete(f"/v1/embed-tokens/{made['id']}")
    revoked = await gateway.get("/embed/run/", params={"prefix": made["prefix"]})
    assert "frame-ancestors 'none'" in revoked.headers["content-security-policy"]
    # Other pages stay unframeable; the widget's script loads from any page.
    assert (await gateway.get("/")).headers["x-frame-options"] == "DENY"
    script = await gateway.get("/embed.js")
    assert script.headers["cross-origin-resource-policy"] == "cross-origin"
