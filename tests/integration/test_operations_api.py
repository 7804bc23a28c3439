"""Project operations over the REST API (real HTTP server and database), on SQLite and on
PostgreSQL: their CRUD and versions, and workflows that use them as ``op/<name>``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import create_engine
from raikoo_common.db import tables as t
from raikoo_common.workflow import DefinitionInvalid
from raikoo_common.workflow.project_ops import ProjectOperation
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.catalog import full_catalog
from raikoo_gateway.service import operations
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import store_version
from tests._access import owner_of
from tests._embedded import embedded_client

YAML = {"content-type": "application/yaml"}

GREET: dict[str, Any] = {
    "name": "greet",
    "description": "Greets someone",
    "kind": "set",
    "inputs": {
        "who": {"type": "string", "description": "Whom to greet"},
        "punctuation": {"type": "string", "default": "!"},
        "times": {"type": "integer", "default": 1},
    },
    "config": {
        "message": "Hello {{ inputs.who }}{{ inputs.punctuation }}",
        "times": "{{ inputs.times }}",
    },
    "outputs": {"text": "{{ output.message }}", "count": "{{ output.times }}"},
}


def uses_greet(name: str = "greeter", **bindings: Any) -> dict[str, Any]:
    return {
        "name": name,
        "inputs": {"who": {"type": "string"}},
        "operations": {
            "hello": {"uses": "op/greet", "with": bindings or {"who": "{{ inputs.who }}"}},
            "after": {"uses": "noop", "needs": ["hello"]},
        },
    }


@dataclass
class Stack:
    http: httpx.AsyncClient
    engine: AsyncEngine
    """A connection of the test's own to the stack's database, to look at stored rows."""

    async def post_operation(self, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post("/v1/operations", json=body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def snapshot_of(self, workflow: str, version: int) -> Any:
        v, w = t.workflow_versions.c, t.workflows.c
        async with self.engine.connect() as conn:
            return (
                await conn.execute(
                    sa.select(v.operations)
                    .join(t.workflows, w.id == v.workflow_id)
                    .where(w.name == workflow, v.version == version)
                )
            ).scalar_one()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
async def stack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    database_url = None
    if request.param == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        database_url = make()
    async with embedded_client(tmp_path, database_url=database_url) as (raikoo, http):
        engine = create_engine(raikoo.gateway_settings.resolved_database_url())
        try:
            yield Stack(http, engine)
        finally:
            await engine.dispose()


async def test_create_read_list_replace_and_delete(stack: Stack) -> None:
    created = await stack.post_operation(GREET)
    assert created["version"] == 1
    assert created["uses"] == "op/greet"
    assert created["kind"] == "set"
    assert created["inputs"]["who"] == {
        "type": "string",
        "default": None,
        "required": True,
        "description": "Whom to greet",
    }
    assert created["inputs"]["times"]["required"] is False
    assert created["config"] == GREET["config"]
    assert created["outputs"] == GREET["outputs"]

    fetched = (await stack.http.get("/v1/operations/greet")).json()
    assert fetched == created

    again = await stack.http.post("/v1/operations", json=GREET)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert "PUT /v1/operations/greet" in again.json()["detail"]

    same = await stack.http.put("/v1/operations/greet", json=GREET)
    assert same.status_code == 200
    assert same.json()["version"] == 1, "an identical body is not a new version"
    changed = {**GREET, "config": {**GREET["config"], "times": 2}}
    replaced = await stack.http.put("/v1/operations/greet", json=changed)
    assert replaced.status_code == 200
    assert (replaced.json()["version"], replaced.json()["config"]["times"]) == (2, 2)
    as_bool = {**GREET, "config": {**GREET["config"], "times": True}}
    assert (await stack.http.put("/v1/operations/greet", json=as_bool)).json()["version"] == 3
    described = {k: v for k, v in GREET.items() if k not in ("name", "description")}
    unnamed = await stack.http.put("/v1/operations/greet", json=described)
    assert unnamed.json()["version"] == 4, "the body may leave the name to the path"
    assert unnamed.json()["description"] is None

    new = await stack.http.put("/v1/operations/shout", json={**GREET, "name": "shout"})
    assert new.status_code == 201
    assert new.json()["version"] == 1
    await stack.post_operation({"name": "a-first", "kind": "noop"})

    listed = (await stack.http.get("/v1/operations")).json()
    assert [item["name"] for item in listed["items"]] == ["a-first", "greet", "shout"]
    assert listed["next_cursor"] is None
    page = (await stack.http.get("/v1/operations", params={"limit": 2})).json()
    assert [item["name"] for item in page["items"]] == ["a-first", "greet"]
    await stack.post_operation({"name": "h-added-meanwhile", "kind": "noop"})
    rest = await stack.http.get(
        "/v1/operations", params={"limit": 2, "cursor": page["next_cursor"]}
    )
    assert [item["name"] for item in rest.json()["items"]] == ["h-added-meanwhile", "shout"]
    assert rest.json()["next_cursor"] is None
    bad = await stack.http.get("/v1/operations", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["path"] == "cursor"

    assert (await stack.http.delete("/v1/operations/shout")).status_code == 204
    for method in ("GET", "DELETE"):
        gone = await stack.http.request(method, "/v1/operations/shout")
        assert gone.status_code == 404
        assert gone.json()["status"] == 404

    records = (await stack.http.get("/v1/audit", params={"limit": 500})).json()["items"]
    written = [
        (r["action"], r["target"], r["details"], r["actor"])
        for r in reversed(records)
        if r["action"].startswith("operation.")
    ]
    admin = records[0]["actor"]
    assert written == [
        ("operation.stored", "greet", {"version": 1}, admin),
        ("operation.stored", "greet", {"version": 2}, admin),
        ("operation.stored", "greet", {"version": 3}, admin),
        ("operation.stored", "greet", {"version": 4}, admin),
        ("operation.stored", "shout", {"version": 1}, admin),
        ("operation.stored", "a-first", {"version": 1}, admin),
        ("operation.stored", "h-added-meanwhile", {"version": 1}, admin),
        ("operation.deleted", "shout", {"version": 1}, admin),
    ], "each change is recorded once; an identical body, a refused create and a 404 are not"


async def test_yaml_body_and_problems_with_lines(stack: Stack) -> None:
    text = """
name: wait-a-bit
kind: sleep
inputs:
  seconds: {type: number, default: 1}
config:
  duration: "{{ inputs.seconds }}"
"""
    created = await stack.http.post("/v1/operations", content=text, headers=YAML)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/v1/operations/wait-a-bit"

    broken = text.replace("inputs.seconds", "inputs.secs").replace("wait-a-bit", "other")
    response = await stack.http.post("/v1/operations", content=broken, headers=YAML)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error == {
        "path": "config.duration",
        "message": "unknown input 'secs' (did you mean 'seconds'?)",
        "line": 7,
    }
    unreadable = await stack.http.post("/v1/operations", content="a: [", headers=YAML)
    assert unreadable.status_code == 422
    assert unreadable.json()["title"] == "Invalid operation definition"


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"kind": "sety"}, "kind", "unknown operation kind 'sety' (did you mean 'set'?)"),
        ({"kind": "foreach"}, "kind", "'foreach' is a control kind"),
        ({"kind": "if"}, "kind", "'if' is a control kind"),
        ({"kind": "op/other"}, "kind", "not another project operation"),
        ({"kind": "sleep", "config": {}}, "config.duration", "required field is missing"),
        (
            {"kind": "sleep", "config": {"duration": "{{ inputs.who }}", "jitter": 1}},
            "config.jitter",
            "unknown field 'jitter'",
        ),
        ({"kind": "sleep", "config": {"duration": [1]}}, "config.duration", "duration"),
        ({"config": {"message": "{{ inputs.whom }}"}}, "config.message", "unknown input 'whom'"),
        ({"config": {"n": "{{ ops.x.output }}"}}, "config.n", "unknown name 'ops'"),
        ({"config": {"n": "{{ run.id }}"}}, "config.n", "unknown name 'run'"),
        ({"config": {"n": "{{ inputs.who "}}, "config.n", "template syntax error"),
        ({"outputs": {"x": "{{ inputs.who }}"}}, "outputs.x", "names in scope: output"),
        ({"inputs": {"bad-name": {"type": "string"}}}, "inputs.bad-name", "input name"),
        (
            {"inputs": {"n": {"type": "integer", "default": "many"}}},
            "inputs.n.default",
            "expected an integer",
        ),
        ({"name": "Not A Name"}, "name", "should match pattern"),
        ({"color": "blue"}, "color", "unknown field 'color'"),
    ],
)
async def test_invalid_definitions_are_refused(
    stack: Stack, change: dict[str, Any], path: str, message: str
) -> None:
    body = {**GREET, **change}
    response = await stack.http.post("/v1/operations", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("/invalid-operation")
    assert any(
        error["path"] == path and message in error["message"] for error in problem["errors"]
    ), problem["errors"]
    name = body["name"] if isinstance(body["name"], str) else "greet"
    assert (await stack.http.get(f"/v1/operations/{name}")).status_code == 404


async def test_put_refuses_a_body_naming_another_operation(stack: Stack) -> None:
    response = await stack.http.put("/v1/operations/greet", json={**GREET, "name": "other"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "name"
    assert (await stack.http.get("/v1/operations")).json()["items"] == []


async def test_workflow_version_pins_a_snapshot_of_the_operations_it_uses(stack: Stack) -> None:
    await stack.post_operation(GREET)
    stored = await stack.http.post("/v1/workflows", json=uses_greet())
    assert stored.status_code == 201, stored.text
    expected = {
        "greet": {
            "version": 1,
            "kind": "set",
            "config": GREET["config"],
            "inputs": (await stack.http.get("/v1/operations/greet")).json()["inputs"],
            "outputs": GREET["outputs"],
        }
    }
    assert await stack.snapshot_of("greeter", 1) == expected
    version = (await stack.http.get("/v1/workflows/greeter/versions/1")).json()
    assert version["operations"] == expected
    assert version["definition"]["operations"]["hello"]["uses"] == "op/greet"

    same = await stack.http.post("/v1/workflows", json=uses_greet())
    assert (same.status_code, same.json()["version"]) == (200, 1)

    changed = {**GREET, "config": {**GREET["config"], "message": "Hi {{ inputs.who }}"}}
    assert (await stack.http.put("/v1/operations/greet", json=changed)).json()["version"] == 2
    restored = await stack.http.post("/v1/workflows", json=uses_greet())
    assert restored.status_code == 201, "same definition, changed operation: a new version"
    assert restored.json()["version"] == 2
    assert restored.json()["digest"] != stored.json()["digest"]
    assert (await stack.snapshot_of("greeter", 2))["greet"]["version"] == 2
    assert (await stack.snapshot_of("greeter", 2))["greet"]["config"]["message"] == (
        "Hi {{ inputs.who }}"
    )
    assert await stack.snapshot_of("greeter", 1) == expected, "version 1 is unchanged"

    assert (await stack.http.delete("/v1/operations/greet")).status_code == 204
    assert await stack.snapshot_of("greeter", 2) is not None
    first = (await stack.http.get("/v1/workflows/greeter/versions/1")).json()
    assert first["operations"] == expected, "a stored version outlives its operation"


async def test_loop_bodies_may_use_operations_and_plain_workflows_pin_nothing(
    stack: Stack,
) -> None:
    await stack.post_operation(GREET)
    await stack.post_operation({**GREET, "name": "unused"})
    definition = {
        "name": "greet-all",
        "inputs": {"people": {"type": "array"}},
        "operations": {
            "each": {
                "uses": "foreach",
                "with": {"items": "{{ inputs.people }}"},
                "do": {"uses": "op/greet", "with": {"who": "{{ item }}", "times": 3}},
            }
        },
    }
    response = await stack.http.post("/v1/workflows", json=definition)
    assert response.status_code == 201, response.text
    assert set(await stack.snapshot_of("greet-all", 1)) == {"greet"}

    plain = {"name": "plain", "operations": {"a": {"uses": "noop"}}}
    assert (await stack.http.post("/v1/workflows", json=plain)).status_code == 201
    assert await stack.snapshot_of("plain", 1) is None
    assert (await stack.http.get("/v1/workflows/plain")).json()["operations"] is None


async def test_workflow_with_bad_uses_of_operations_is_refused(stack: Stack) -> None:
    await stack.post_operation(GREET)
    definition = uses_greet()
    definition["operations"] |= {
        "typo": {"uses": "op/gret"},
        "missing": {"uses": "op/greet", "with": {"times": 2}},
        "extra": {"uses": "op/greet", "with": {"who": "x", "whom": "y"}},
        "wrong": {"uses": "op/greet", "with": {"who": "x", "times": "several"}},
        "looped": {
            "uses": "foreach",
            "with": {"items": [1]},
            "do": {"uses": "op/nothing", "with": {}},
        },
    }
    response = await stack.http.post("/v1/workflows", json=definition)
    assert response.status_code == 422
    errors = {error["path"]: error["message"] for error in response.json()["errors"]}
    assert errors == {
        "operations.typo.uses": "unknown project operation 'gret' (did you mean 'greet'?)",
        "operations.missing.with.who": "required field is missing",
        "operations.extra.with.whom": "unknown field 'whom' (did you mean 'who'?)",
        "operations.wrong.with.times": "expected an integer, got str 'several'",
        "operations.looped.do.uses": "unknown project operation 'nothing'",
    }
    assert (await stack.http.get("/v1/workflows/greeter")).status_code == 404

    inline = await stack.http.post(
        "/v1/runs", json={"definition": {"name": "inline", "operations": {"a": {"uses": "op/x"}}}}
    )
    assert inline.status_code == 422
    assert inline.json()["errors"][0] == {
        "path": "operations.a.uses",
        "message": "unknown project operation 'x'",
    }
    text = "name: inline\noperations:\n  a:\n    uses: op/greet\n    with: {who: 1}\n"
    as_yaml = await stack.http.post("/v1/runs", json={"definition": text})
    assert as_yaml.status_code == 422
    assert as_yaml.json()["errors"] == [
        {"path": "operations.a.with.who", "message": "expected a string, got int 1", "line": 5}
    ]
    assert (await stack.http.get("/v1/runs")).json()["items"] == []


async def _other_tenant(engine: AsyncEngine) -> Access:
    """Another organization, and its owner acting in its project."""
    tenant, now = owner_of(Tenant(uuid.uuid4(), uuid.uuid4()), "their owner"), utcnow()
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(t.organizations).values(
                id=tenant.org_id,
                slug=f"other-{tenant.org_id.hex[:8]}",
                name="Other",
                created_at=now,
            )
        )
        await conn.execute(
            sa.insert(t.projects).values(
                id=tenant.project_id, org_id=tenant.org_id, slug="p", name="P", created_at=now
            )
        )
    return tenant


async def test_operations_belong_to_their_project(stack: Stack) -> None:
    other = await _other_tenant(stack.engine)
    theirs = ProjectOperation.model_validate({**GREET, "name": "theirs"})
    async with stack.engine.begin() as conn:
        await operations.create_operation(conn, other, theirs)
        shared = ProjectOperation.model_validate({**GREET, "description": "their greet"})
        await operations.create_operation(conn, other, shared)
    assert (await stack.http.get("/v1/operations/theirs")).status_code == 404
    assert (await stack.http.get("/v1/operations")).json()["items"] == []
    assert (await stack.http.delete("/v1/operations/theirs")).status_code == 404
    ours = await stack.post_operation(GREET)
    assert (ours["version"], ours["description"]) == (1, "Greets someone")

    borrowed = {"uses": "op/theirs", "with": {"who": "them"}}
    uses_theirs = {"name": "borrow", "operations": {"a": borrowed}}
    refused = await stack.http.post("/v1/workflows", json=uses_theirs)
    assert refused.json()["errors"][0]["message"] == "unknown project operation 'theirs'"

    kinds = {name: kind.config for name, kind in full_catalog().items()}
    async with stack.engine.begin() as conn:
        stored = await store_version(conn, other, uses_theirs, kinds)
        assert stored.operations is not None
        assert stored.operations["theirs"]["version"] == 1
        mine = await store_version(conn, other, uses_greet(), kinds)
        assert mine.operations is not None
        assert mine.operations["greet"]["version"] == 1
        renamed = {**GREET, "inputs": {"name": {}}, "config": {"message": "{{ inputs.name }}"}}
        changed, _ = await operations.put_operation(
            conn, other, ProjectOperation.model_validate(renamed)
        )
        assert changed.version == 2
    ours_now = (await stack.http.get("/v1/operations/greet")).json()
    assert (ours_now["version"], set(ours_now["inputs"])) == (1, {"who", "punctuation", "times"})
    async with stack.engine.begin() as conn:
        with pytest.raises(DefinitionInvalid) as refused_there:
            await store_version(conn, other, uses_greet("g2"), kinds)
    assert {p.path for p in refused_there.value.problems} == {
        "operations.hello.with.who",
        "operations.hello.with.name",
    }
    here = await stack.http.post("/v1/workflows", json=uses_greet("g2"))
    assert here.status_code == 201, here.text


async def test_concurrent_changes_each_get_their_own_version(stack: Stack) -> None:
    bodies = [{**GREET, "config": {"message": f"variant {n}"}} for n in range(6)]
    responses = await asyncio.gather(
        *(stack.http.put("/v1/operations/greet", json=body) for body in bodies)
    )
    assert sorted(r.status_code for r in responses) == [200] * 5 + [201], [
        r.text for r in responses
    ]
    assert sorted(r.json()["version"] for r in responses) == [1, 2, 3, 4, 5, 6]
    latest = (await stack.http.get("/v1/operations/greet")).json()
    winner = next(r.json() for r in responses if r.json()["version"] == 6)
    assert (latest["version"], latest["config"]) == (6, winner["config"])

    posted = await asyncio.gather(
        *(stack.http.post("/v1/operations", json={**GREET, "name": "raced"}) for _ in range(5))
    )
    assert sorted(r.status_code for r in posted) == [201] + [409] * 4
