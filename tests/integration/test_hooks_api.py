"""Inbound hooks through the HTTP API of an embedded Raikoo (SQLite and PostgreSQL): the
reference Standard Webhooks library signs the calls; JSON, form and text bodies become run
inputs through the hook's mapping; bad signatures, stale or reused messages and unknown
hooks start nothing; a rotated secret keeps working for its grace period."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa

from raikoo.embedded import EmbeddedRaikoo
from raikoo_common.db import tables as t
from tests._embedded import embedded_client
from tests._webhooks import signed
from tests.integration.test_access_api import problem_type
from tests.security._world import until_finished

GREETER = {
    "name": "greeter",
    "inputs": {"who": {"type": "string"}, "times": {"type": "integer", "default": 1}},
    "operations": {"greet": {"uses": "set", "with": {"text": "Hello, {{ inputs.who }}!"}}},
    "outputs": {"text": "{{ ops.greet.output.text }}", "times": "{{ inputs.times }}"},
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
async def raikoo(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[EmbeddedRaikoo, httpx.AsyncClient]]:
    database_url = None
    if request.param == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        database_url = make()
    async with embedded_client(tmp_path, database_url=database_url) as (raikoo, http):
        made = await http.post("/v1/workflows", json=GREETER)
        assert made.status_code == 201, made.text
        yield raikoo, http


async def _hook(http: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    made = await http.post("/v1/hooks", json={"name": "h", "workflow": "greeter", **fields})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def _requests(raikoo: EmbeddedRaikoo) -> int:
    """Run requests and outbox rows: a refused call must add neither."""
    assert raikoo.gateway is not None
    async with raikoo.gateway.context.engine.connect() as conn:
        requests = await conn.scalar(sa.select(sa.func.count()).select_from(t.run_requests))
        return int(requests or 0)


async def test_a_signed_json_call_starts_a_run_and_can_wait_for_its_outputs(
    raikoo: tuple[EmbeddedRaikoo, httpx.AsyncClient],
) -> None:
    _, http = raikoo
    hook = await _hook(http, mapping={"who": "{{ body.user.name }}", "times": "{{ query.n }}"})
    assert hook["secret"].startswith("whsec_")
    body = orjson.dumps({"user": {"name": "Ada"}})
    async with httpx.AsyncClient(base_url=http.base_url) as sender:  # no API key
        accepted = await sender.post(
            f"{hook['url']}?n=3", content=body, headers=signed(hook["secret"], body)
        )
        assert accepted.status_code == 202, accepted.text
        run_id = accepted.json()["run_id"]
        assert accepted.headers["location"] == f"/v1/runs/{run_id}"
        await until_finished(http, run_id)
        run = (await http.get(f"/v1/runs/{run_id}")).json()
        assert run["trigger"] == "webhook"
        assert run["inputs"] == {"who": "Ada", "times": 3}
        assert run["outputs"] == {"text": "Hello, Ada!", "times": 3}

        waited = await sender.post(
            f"{hook['url']}?n=2&wait=60", content=body, headers=signed(hook["secret"], body)
        )
        assert waited.status_code == 200, waited.text
        assert waited.json()["state"] == "succeeded"
        assert waited.json()["outputs"] == {"text": "Hello, Ada!", "times": 2}
    audit = (await http.get("/v1/audit", params={"action": "run.started"})).json()["items"]
    assert audit[0]["actor_id"] == f"hook:{hook['id']}"


async def test_form_and_text_bodies_pass_the_browser_safety_checks(
    raikoo: tuple[EmbeddedRaikoo, httpx.AsyncClient],
) -> None:
    _, http = raikoo
    hook = await _hook(http, mapping={"who": "{{ body.name if body is mapping else body }}"})
    form = b"name=Grace&tag=a&tag=b"
    cases = [
        (form, "application/x-www-form-urlencoded", "Grace"),
        (b"Linus", "text/plain; charset=utf-8", "Linus"),
    ]
    async with httpx.AsyncClient(base_url=http.base_url) as sender:
        for content, content_type, who in cases:
            headers = signed(hook["secret"], content, content_type=content_type)
            # A sender whose requests name an origin (some proxies add one) is let through.
            headers["origin"] = "https://sender.example"
            accepted = await sender.post(f"{hook['url']}?wait=60", content=content, headers=headers)
            assert accepted.status_code == 200, accepted.text
            assert accepted.json()["outputs"]["text"] == f"Hello, {who}!"
        # Without a signature, the same body is still refused before any route sees it.
        unsigned = await sender.post(
            hook["url"], content=form, headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert unsigned.status_code == 415


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda h, b: (h, b.replace(b"Ada", b"Eve")), id="tampered-body"),
        pytest.param(lambda h, b: ({**h, "webhook-id": "msg_other"}, b), id="other-id"),
        pytest.param(
            lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b),
            id="no-signature",
        ),
        pytest.param(
            lambda h, b: ({k: v for k, v in h.items() if k != "webhook-timestamp"}, b),
            id="no-timestamp",
        ),
        pytest.param(
            lambda h, b: ({k: v for k, v in h.items() if k != "webhook-id"}, b), id="no-id"
        ),
    ],
)
async def test_a_bad_signature_is_401_and_starts_nothing(
    raikoo: tuple[EmbeddedRaikoo, httpx.AsyncClient],
    spoil: Callable[[dict[str, str], bytes], tuple[dict[str, str], bytes]],
) -> None:
    instance, http = raikoo
    hook = await _hook(http)
    body = orjson.dumps({"who": "Ada"})
    before = await _requests(instance)
    headers, content = spoil(signed(hook["secret"], body), body)
    async with httpx.AsyncClient(base_url=http.base_url) as sender:
        refused = await sender.post(hook["url"], content=content, headers=headers)
    assert refused.status_code == 401, refused.text
    assert problem_type(refused) == "unauthenticated"
    assert "webhook signature" in refused.json()["detail"]
    assert await _requests(instance) == before


async def test_stale_reused_and_unknown_calls_start_nothing(
    raikoo: tuple[EmbeddedRaikoo, httpx.AsyncClient],
) -> None:
    instance, http = raikoo
    hook = await _hook(http)
    body = orjson.dumps({"who": "Ada"})
    async with httpx.AsyncClient(base_url=http.base_url) as sender:
        stale = signed(hook["secret"], body, age=timedelta(minutes=6))
        refused = await sender.post(hook["url"], content=body, headers=stale)
        assert refused.status_code == 401
        assert "in the past" in refused.json()["detail"]

        headers = signed(hook["secret"], body)
        first = await sender.post(hook["url"], content=body, headers=headers)
        assert first.status_code == 202, first.text
        before = await _requests(instance)
        again = await sender.post(hook["url"], content=body, headers=headers)
        assert again.status_code == 409, again.text
        assert again.json()["run_id"] == first.json()["run_id"]
        # Signed anew (a fresh timestamp), the same message id is still a replay.
        resent = signed(hook["secret"], body, message_id=headers["webhook-id"])
        assert (await sender.post(hook["url"], content=body, headers=resent)).status_code == 409

        for unknown in (str(uuid.uuid4()), "not-a-hook"):
            missing = await sender.post(f"/v1/hooks/{unknown}", content=body, headers=headers)
            assert missing.status_code == 404, missing.text
        assert await _requests(instance) == before

        # A body that is not the inputs, with no mapping: 422 naming it, nothing started.
        text = b"just text"
        wrong = await sender.post(
            hook["url"],
            content=text,
            headers=signed(hook["secret"], text, content_type="text/plain"),
        )
        assert wrong.status_code == 422, wrong.text
        assert wrong.json()["errors"][0]["path"] == "body"
        # Inputs the workflow refuses: 422 from the run service, nothing started.
        bad = orjson.dumps({"who": ["not", "a", "string"]})
        invalid = await sender.post(hook["url"], content=bad, headers=signed(hook["secret"], bad))
        assert invalid.status_code == 422, invalid.text
        assert await _requests(instance) == before

    disabled = await http.patch(f"/v1/hooks/{hook['id']}", json={"enabled": False})
    assert disabled.status_code == 200
    assert disabled.json()["enabled"] is False
    async with httpx.AsyncClient(base_url=http.base_url) as sender:
        fresh = signed(hook["secret"], body)
        assert (await sender.post(hook["url"], content=body, headers=fresh)).status_code == 404


async def test_a_rotated_secret_and_the_one_it_replaced_both_work(
    raikoo: tuple[EmbeddedRaikoo, httpx.AsyncClient],
) -> None:
    _, http = raikoo
    hook = await _hook(http)
    rotated = await http.post(f"/v1/hooks/{hook['id']}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != hook["secret"]
    assert rotated.json()["previous_secret_expires_at"] is not None
    body = orjson.dumps({"who": "Ada"})
    async with httpx.AsyncClient(base_url=http.base_url) as sender:
        for secret in (hook["secret"], new_secret):
            made = await sender.post(hook["url"], content=body, headers=signed(secret, body))
            assert made.status_code == 202, made.text
        # A second rotation retires the first secret for good.
        third = (await http.post(f"/v1/hooks/{hook['id']}/rotate-secret")).json()["secret"]
        old = await sender.post(hook["url"], content=body, headers=signed(hook["secret"], body))
        assert old.status_code == 401
        for secret in (new_secret, third):
            made = await sender.post(hook["url"], content=body, headers=signed(secret, body))
            assert made.status_code == 202, made.text


async def test_hooks_are_managed_with_their_secret_shown_once(
    raikoo: tuple[EmbeddedRaikoo, httpx.AsyncClient],
) -> None:
    _, http = raikoo
    names = [f"hook-{n}" for n in range(3)]
    for name in names:
        await _hook(http, name=name)
    first = (await http.get("/v1/hooks", params={"limit": 2})).json()
    rest = (await http.get("/v1/hooks", params={"cursor": first["next_cursor"]})).json()
    listed = [hook["name"] for hook in first["items"] + rest["items"]]
    assert listed == names
    assert all("secret" not in hook for hook in first["items"] + rest["items"])
    hook_id = first["items"][0]["id"]
    shown = (await http.get(f"/v1/hooks/{hook_id}")).json()
    assert "secret" not in shown
    assert shown["workflow"] == "greeter"

    taken = await http.post("/v1/hooks", json={"name": "hook-1", "workflow": "greeter"})
    assert taken.status_code == 409
    missing = await http.post("/v1/hooks", json={"name": "x", "workflow": "nope"})
    assert missing.status_code == 404
    broken = await http.post(
        "/v1/hooks", json={"name": "y", "workflow": "greeter", "mapping": {"who": "{{ body."}}
    )
    assert broken.status_code == 422
    assert "mapping.who" in broken.text
    renamed = await http.patch(f"/v1/hooks/{hook_id}", json={"name": "renamed", "version": 1})
    assert renamed.status_code == 200
    assert renamed.json()["version"] == 1
    assert (await http.delete(f"/v1/hooks/{hook_id}")).status_code == 204
    assert (await http.get(f"/v1/hooks/{hook_id}")).status_code == 404
    actions = [e["action"] for e in (await http.get("/v1/audit")).json()["items"]]
    assert {"hook.created", "hook.updated", "hook.deleted"} <= set(actions)
