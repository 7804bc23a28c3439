"""Secrets of an organization and of its projects, through the HTTP API of an embedded
Raikoo: a project's secret overrides the organization's in that project's runs and no
other project's run sees it; every write is audited without its value; a key bound to a
project never reaches the organization-wide secrets."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._embedded import embedded_client
from tests._reachable import reachable_server
from tests.integration.test_access_api import as_key, new_key, problem_type
from tests.unit.net._servers import LocalServer, Reply

ORG_VALUE = "org-wide-token-value"
ALPHA_VALUE = "alpha-own-token-value"
ALPHA_ONLY = "alpha-only-secret-value"
PROJECT = "project"


@pytest.fixture
def sink(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A local server that records the headers each run sent it."""
    with reachable_server(monkeypatch, {"/hook": lambda hit: Reply(204)}) as server:
        yield server


@pytest.fixture
async def owner(tmp_path: Path, sink: LocalServer) -> AsyncIterator[httpx.AsyncClient]:
    async with embedded_client(tmp_path) as (_, http):
        for slug in ("alpha", "beta"):
            made = await http.post("/v1/projects", json={"slug": slug, "name": slug.title()})
            assert made.status_code == 201, made.text
        yield http


def in_project(slug: str) -> dict[str, str]:
    return {"Raikoo-Project": slug}


async def put(
    http: httpx.AsyncClient, name: str, value: str, project: str | None = None
) -> httpx.Response:
    if project is None:
        return await http.put(f"/v1/secrets/{name}", json={"value": value})
    return await http.put(
        f"/v1/secrets/{name}",
        json={"value": value},
        params={"scope": PROJECT},
        headers=in_project(project),
    )


async def run_hook(
    http: httpx.AsyncClient, sink: LocalServer, project: str, secret: str
) -> dict[str, Any]:
    """Run, in ``project``, an http.request sending ``secret`` to the sink; its one
    operation run once the run finished."""
    definition = {
        "name": "send-token",
        "operations": {
            "send": {
                "uses": "http.request",
                "with": {
                    "url": sink.url("/hook"),
                    "headers": {"X-Token": f"{{{{ secrets.{secret} }}}}"},
                },
            }
        },
    }
    headers = in_project(project)
    created = await http.post("/v1/runs", json={"definition": definition}, headers=headers)
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    async with http.stream("GET", f"/v1/runs/{run_id}/events", headers=headers) as stream:
        async for _ in stream.aiter_lines():
            pass
    [operation] = (await http.get(f"/v1/runs/{run_id}/operations", headers=headers)).json()["items"]
    return dict(operation)


async def test_a_project_secret_overrides_the_organizations_in_its_runs_only(
    owner: httpx.AsyncClient, sink: LocalServer
) -> None:
    assert (await put(owner, "TOKEN", ORG_VALUE)).status_code == 204
    assert (await put(owner, "TOKEN", ALPHA_VALUE, "alpha")).status_code == 204
    assert (await put(owner, "ALPHA_ONLY", ALPHA_ONLY, "alpha")).status_code == 204

    for project, sent in (("alpha", ALPHA_VALUE), ("beta", ORG_VALUE), ("default", ORG_VALUE)):
        operation = await run_hook(owner, sink, project, "TOKEN")
        assert operation["state"] == "succeeded", operation
        assert sink.hits[-1].headers["x-token"] == sent, project
    assert (await run_hook(owner, sink, "alpha", "ALPHA_ONLY"))["state"] == "succeeded"
    assert sink.hits[-1].headers["x-token"] == ALPHA_ONLY

    hits = len(sink.hits)
    hidden = await run_hook(owner, sink, "beta", "ALPHA_ONLY")
    assert hidden["state"] == "failed"
    assert hidden["error"]["kind"] == "secret_unavailable"
    assert "no secret named ALPHA_ONLY" in hidden["error"]["message"]
    missing = await run_hook(owner, sink, "beta", "NEVER_WRITTEN")
    assert missing["error"]["message"] == hidden["error"]["message"].replace(
        "ALPHA_ONLY", "NEVER_WRITTEN"
    ), "another project's secret fails a run exactly as a missing one"
    assert len(sink.hits) == hits, "nothing was sent without its secret"


async def test_listings_are_per_scope_paged_and_never_show_values(
    owner: httpx.AsyncClient,
) -> None:
    for name in ("C_KEY", "A_KEY", "B_KEY"):
        assert (await put(owner, name, ORG_VALUE)).status_code == 204
    assert (await put(owner, "A_KEY", ALPHA_VALUE, "alpha")).status_code == 204

    organization = await owner.get("/v1/secrets")
    assert organization.status_code == 200, organization.text
    items = organization.json()["items"]
    assert [(i["name"], i["scope"], i["project"]) for i in items] == [
        ("A_KEY", "organization", None),
        ("B_KEY", "organization", None),
        ("C_KEY", "organization", None),
    ]
    assert all(set(item) == {"name", "scope", "project", "updated_at"} for item in items)
    assert all(item["updated_at"] for item in items)
    alpha = await owner.get("/v1/secrets", params={"scope": PROJECT}, headers=in_project("alpha"))
    assert [(i["name"], i["scope"], i["project"]) for i in alpha.json()["items"]] == [
        ("A_KEY", "project", "alpha")
    ]
    beta = await owner.get("/v1/secrets", params={"scope": PROJECT}, headers=in_project("beta"))
    assert beta.json() == {"items": [], "next_cursor": None}

    first = (await owner.get("/v1/secrets", params={"limit": 2})).json()
    assert [i["name"] for i in first["items"]] == ["A_KEY", "B_KEY"]
    rest = (
        await owner.get("/v1/secrets", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert [i["name"] for i in rest["items"]] == ["C_KEY"]
    assert rest["next_cursor"] is None
    for body in (organization.text, alpha.text, json.dumps([first, rest])):
        assert ORG_VALUE not in body
        assert ALPHA_VALUE not in body

    gone = await owner.delete("/v1/secrets/A_KEY", params={"scope": PROJECT})
    assert gone.status_code == 404, "default has no A_KEY of its own"
    assert "project 'default'" in gone.json()["detail"]
    deleted = await owner.delete(
        "/v1/secrets/A_KEY", params={"scope": PROJECT}, headers=in_project("alpha")
    )
    assert deleted.status_code == 204
    names = [i["name"] for i in (await owner.get("/v1/secrets")).json()["items"]]
    assert names == ["A_KEY", "B_KEY", "C_KEY"], "the organization's A_KEY stays"


async def test_writes_and_deletes_are_audited_without_the_value(
    owner: httpx.AsyncClient,
) -> None:
    assert (await put(owner, "TOKEN", ORG_VALUE)).status_code == 204
    assert (await put(owner, "TOKEN", ALPHA_VALUE, "alpha")).status_code == 204
    deleted = await owner.delete(
        "/v1/secrets/TOKEN", params={"scope": PROJECT}, headers=in_project("alpha")
    )
    assert deleted.status_code == 204
    assert (await owner.delete("/v1/secrets/NOPE")).status_code == 404
    refused = await owner.put("/v1/secrets/bad-name", json={"value": ORG_VALUE})
    assert refused.status_code == 422
    assert problem_type(refused) == "invalid-secret-name"

    audit = await owner.get("/v1/audit")
    records = [e for e in audit.json()["items"] if e["action"].startswith("secret.")]
    assert [(e["action"], e["actor"], e["target"], e["details"]) for e in records] == [
        ("secret.deleted", "local admin", "TOKEN", {"scope": "project", "project": "alpha"}),
        ("secret.written", "local admin", "TOKEN", {"scope": "project", "project": "alpha"}),
        ("secret.written", "local admin", "TOKEN", {"scope": "organization", "project": None}),
    ], "a refused write or a delete of nothing leaves no record"
    assert ORG_VALUE not in audit.text
    assert ALPHA_VALUE not in audit.text


async def test_a_project_bound_key_reaches_its_projects_secrets_only(
    owner: httpx.AsyncClient,
) -> None:
    assert (await put(owner, "TOKEN", ORG_VALUE)).status_code == 204
    admin = (await new_key(owner, "admin", project="alpha"))["key"]
    editor = (await new_key(owner, "editor", project="alpha"))["key"]
    async with as_key(owner, admin) as bound, as_key(owner, editor) as bound_editor:
        for refused in (
            await bound.put("/v1/secrets/TOKEN", json={"value": ALPHA_VALUE}),
            await bound.delete("/v1/secrets/TOKEN"),
            await bound.get("/v1/secrets"),
        ):
            assert refused.status_code == 403, refused.text
            assert "bound to one project" in refused.json()["detail"]
            assert "scope=project" in refused.json()["detail"]
        elsewhere = await bound.put(
            "/v1/secrets/TOKEN",
            json={"value": ALPHA_VALUE},
            params={"scope": PROJECT},
            headers=in_project("beta"),
        )
        assert elsewhere.status_code == 403, "nor another project's"
        own = await bound.put(
            "/v1/secrets/TOKEN", json={"value": ALPHA_VALUE}, params={"scope": PROJECT}
        )
        assert own.status_code == 204, own.text
        listed = await bound_editor.get("/v1/secrets", params={"scope": PROJECT})
        assert [(i["name"], i["project"]) for i in listed.json()["items"]] == [("TOKEN", "alpha")]
        too_low = await bound_editor.put(
            "/v1/secrets/OTHER", json={"value": ALPHA_VALUE}, params={"scope": PROJECT}
        )
        assert too_low.status_code == 403
        assert too_low.json()["required_role"] == "admin"
    organization = (await owner.get("/v1/secrets")).json()["items"]
    assert [(i["name"], i["scope"]) for i in organization] == [("TOKEN", "organization")]
    alpha = await owner.get("/v1/secrets", params={"scope": PROJECT}, headers=in_project("alpha"))
    [written] = alpha.json()["items"]
    assert (written["name"], written["project"]) == ("TOKEN", "alpha")


async def test_an_unknown_scope_is_refused(owner: httpx.AsyncClient) -> None:
    answer = await owner.get("/v1/secrets", params={"scope": "everywhere"})
    assert answer.status_code == 422
    assert "scope" in answer.text
