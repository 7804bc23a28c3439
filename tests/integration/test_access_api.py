"""API keys, roles, projects, rate limits and the audit log, through the HTTP API of an
embedded Raikoo (its owner key is the local admin's)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from raikoo.embedded import EmbeddedRaikoo
from tests._budget import WAIT_SECONDS
from tests._embedded import embedded_client

WORKFLOW = {"name": "hello", "operations": {"a": {"uses": "noop"}}}
GATED = {
    "name": "gated",
    "operations": {"review": {"uses": "wait.approval", "with": {"message": "Ship it?"}}},
}


@pytest.fixture
async def owner(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with embedded_client(tmp_path) as (_, http):
        yield http


def as_key(owner: httpx.AsyncClient, key: str, **headers: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=owner.base_url, headers={"X-Api-Key": key, **headers}, timeout=30
    )


async def new_key(owner: httpx.AsyncClient, role: str, **extra: Any) -> dict[str, Any]:
    made = await owner.post("/v1/keys", json={"name": f"{role} key", "role": role, **extra})
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def problem_type(response: httpx.Response) -> str:
    return str(response.json()["type"]).rsplit("/", 1)[-1]


async def test_a_key_is_shown_once_works_for_its_role_and_stops_when_revoked(
    owner: httpx.AsyncClient,
) -> None:
    made = await new_key(owner, "editor")
    assert made["key"].startswith(f"{made['prefix']}_")
    listed = (await owner.get("/v1/keys")).json()["items"]
    mine = next(k for k in listed if k["id"] == made["id"])
    assert "key" not in mine, "the whole key is shown once, at creation"
    assert mine["last_used_at"] is None

    async with as_key(owner, made["key"]) as editor:
        me = (await editor.get("/v1/me")).json()
        assert (me["kind"], me["name"], me["role"]) == ("key", "editor key", "editor")
        assert (await editor.post("/v1/workflows", json=WORKFLOW)).status_code == 201
        revoked = await owner.delete(f"/v1/keys/{made['id']}")
        assert revoked.status_code == 204
        refused = await editor.get("/v1/me")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert "revoked" in refused.json()["detail"]


async def test_missing_malformed_unknown_and_expired_credentials_are_401(
    owner: httpx.AsyncClient,
) -> None:
    async with httpx.AsyncClient(base_url=owner.base_url) as nobody:
        for headers in (
            {},
            {"Authorization": "Bearer not-a-key"},
            {"X-Api-Key": "rk_0123456789_" + "x" * 40},
            {"Authorization": "Basic dXNlcjpwYXNz"},
        ):
            answer = await nobody.get("/v1/runs", headers=headers)
            assert answer.status_code == 401, headers
            assert answer.headers["content-type"] == "application/problem+json"
            assert problem_type(answer) == "unauthenticated"
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    refused = await owner.post("/v1/keys", json={"name": "x", "role": "viewer", "expires_at": past})
    assert refused.status_code == 422
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    made = await new_key(owner, "viewer", expires_at=soon)
    async with as_key(owner, made["key"]) as viewer:
        deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
        while (answer := await viewer.get("/v1/me")).status_code == 200:
            assert asyncio.get_running_loop().time() < deadline, "the key never expired"
            await asyncio.sleep(0.2)
        assert answer.status_code == 401
        assert "expired" in answer.json()["detail"]


async def test_a_role_too_low_is_403_naming_the_role_it_needs(owner: httpx.AsyncClient) -> None:
    viewer_key = (await new_key(owner, "viewer"))["key"]
    editor_key = (await new_key(owner, "editor"))["key"]
    admin_key = (await new_key(owner, "admin"))["key"]
    async with (
        as_key(owner, viewer_key) as viewer,
        as_key(owner, editor_key) as editor,
        as_key(owner, admin_key) as admin,
    ):
        assert (await viewer.get("/v1/runs")).status_code == 200
        refused = await viewer.post("/v1/runs", json={"definition": WORKFLOW})
        assert refused.status_code == 403
        assert refused.json()["required_role"] == "editor"
        assert "'editor'" in refused.json()["detail"]
        assert (await editor.post("/v1/runs", json={"definition": WORKFLOW})).status_code == 201
        assert (await editor.get("/v1/keys")).json()["required_role"] == "admin"
        assert (await editor.get("/v1/audit")).status_code == 403
        grant = await admin.post("/v1/keys", json={"name": "up", "role": "owner"})
        assert grant.status_code == 403, "nobody grants a role above their own"
        assert (await admin.post("/v1/keys", json={"name": "ok", "role": "admin"})).is_success


async def test_a_project_key_acts_in_its_project_only(owner: httpx.AsyncClient) -> None:
    project = await owner.post("/v1/projects", json={"slug": "alpha", "name": "Alpha"})
    assert project.status_code == 201, project.text
    bound = await new_key(owner, "editor", project="alpha")
    assert bound["project"] == "alpha"
    async with as_key(owner, bound["key"]) as alpha:
        me = (await alpha.get("/v1/me")).json()
        assert me["project_bound"] is True
        assert me["project"] == project.json()["id"]
        assert (await alpha.post("/v1/workflows", json=WORKFLOW)).status_code == 201
        elsewhere = await alpha.get("/v1/workflows/hello", headers={"Raikoo-Project": "default"})
        assert elsewhere.status_code == 403
    assert (await owner.get("/v1/workflows/hello")).status_code == 404, "not in default"
    found = await owner.get("/v1/workflows/hello", headers={"Raikoo-Project": "alpha"})
    assert found.status_code == 200
    missing = await owner.get("/v1/runs", headers={"Raikoo-Project": "nope"})
    assert missing.status_code == 404
    assert "'nope'" in missing.json()["detail"]


async def test_the_audit_log_names_who_did_what(owner: httpx.AsyncClient) -> None:
    made = await new_key(owner, "editor")
    async with as_key(owner, made["key"]) as editor:
        started = await editor.post("/v1/runs", json={"definition": GATED})
        run_id = started.json()["id"]
        deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
        while not (await editor.get(f"/v1/runs/{run_id}/approvals")).json()["items"]:
            assert asyncio.get_running_loop().time() < deadline, "no approval opened"
            await asyncio.sleep(0.05)
        decided = await editor.post(
            f"/v1/runs/{run_id}/approvals/review", json={"decision": "approve", "comment": "ok"}
        )
        assert decided.status_code == 202, decided.text
    events = (await owner.get("/v1/audit")).json()["items"]
    seen = [(e["action"], e["actor"], e["target"]) for e in events]
    assert ("approval.decided", "editor key", "review") in seen
    assert ("run.started", "editor key", run_id) in seen
    assert ("workflow.stored", "editor key", "gated") in seen
    assert ("key.created", "local admin", made["prefix"]) in seen
    assert seen.index(("approval.decided", "editor key", "review")) < seen.index(
        ("run.started", "editor key", run_id)
    ), "newest first"
    page = await owner.get("/v1/audit", params={"limit": 2})
    assert len(page.json()["items"]) == 2
    after = await owner.get("/v1/audit", params={"limit": 2, "cursor": page.json()["next_cursor"]})
    assert after.json()["items"][0]["id"] < page.json()["items"][-1]["id"]


async def test_invitations_and_members(owner: httpx.AsyncClient) -> None:
    invited = await owner.post("/v1/invitations", json={"email": "Bo@Example.com", "role": "admin"})
    assert invited.status_code == 201
    assert invited.json()["email"] == "bo@example.com"
    assert len(invited.json()["token"]) > 20
    listed = (await owner.get("/v1/invitations")).json()["items"]
    assert [i["email"] for i in listed] == ["bo@example.com"]
    assert "token" not in listed[0]
    bad = await owner.post("/v1/invitations", json={"email": "not an address", "role": "admin"})
    assert bad.status_code == 422
    withdrawn = await owner.delete(f"/v1/invitations/{invited.json()['id']}")
    assert withdrawn.status_code == 204
    assert (await owner.delete(f"/v1/invitations/{invited.json()['id']}")).status_code == 404
    assert (await owner.get("/v1/invitations")).json() == {"items": [], "next_cursor": None}


async def test_rate_limits_answer_429_with_retry_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAIKOO_RATE_LIMIT_PER_KEY", "5")
    async with embedded_client(tmp_path) as (raikoo, owner):
        other = await new_key(owner, "viewer")  # the owner's request 1
        for _ in range(4):
            assert (await owner.get("/v1/runs")).status_code == 200
        limited = await owner.get("/v1/runs")
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert problem_type(limited) == "rate-limited"
        async with as_key(owner, other["key"]) as viewer:
            assert (await viewer.get("/v1/runs")).status_code == 200, "limits are per key"
        assert await _healthy(raikoo)


async def _healthy(raikoo: EmbeddedRaikoo) -> bool:
    async with httpx.AsyncClient(base_url=str(raikoo.base_url)) as http:
        return (await http.get("/healthz")).status_code == 200
