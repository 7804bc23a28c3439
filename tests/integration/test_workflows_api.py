"""Workflows as files kept in git: list, apply (PUT: a new version only when it changed),
export as YAML, versions and the diff between two of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests._embedded import embedded_client

YAML = {"Content-Type": "application/yaml"}

HELLO_V1 = """\
name: hello
description: Says hello
inputs:
  who: {type: string, default: world}
operations:
  greet:
    uses: template.render
    with: {template: "Hello, {{ inputs.who }}!"}
outputs: {text: "{{ ops.greet.output.text }}"}
"""

HELLO_V2 = """\
name: hello
description: Says hello, loudly
inputs:
  who: {type: string, default: world}
operations:
  greet:
    uses: template.render
    with: {template: "HELLO, {{ inputs.who | upper }}!"}
  log:
    uses: noop
    needs: [greet]
outputs: {text: "{{ ops.greet.output.text }}"}
"""


@pytest.fixture
async def http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with embedded_client(tmp_path) as (_, client):
        yield client


async def test_apply_stores_a_version_only_when_the_definition_changed(
    http: httpx.AsyncClient,
) -> None:
    first = await http.put("/v1/workflows/hello", content=HELLO_V1, headers=YAML)
    assert first.status_code == 201, first.text
    assert (first.json()["version"], first.json()["created"]) == (1, True)
    assert first.headers["location"] == "/v1/workflows/hello/versions/1"
    again = await http.put("/v1/workflows/hello", content=HELLO_V1, headers=YAML)
    assert again.status_code == 200
    assert (again.json()["version"], again.json()["created"]) == (1, False)
    reformatted = yaml.safe_dump(yaml.safe_load(HELLO_V1), sort_keys=True)
    same = await http.put("/v1/workflows/hello", content=reformatted, headers=YAML)
    assert same.json()["version"] == 1, "key order and layout are not a change"
    second = await http.put("/v1/workflows/hello", content=HELLO_V2, headers=YAML)
    assert (second.status_code, second.json()["version"]) == (201, 2)

    nameless = await http.put("/v1/workflows/bare", json={"operations": {"a": {"uses": "noop"}}})
    assert nameless.status_code == 201
    assert nameless.json()["name"] == "bare", "the URL names it"
    renamed = HELLO_V1.replace("hello", "bye", 1)
    other = await http.put("/v1/workflows/hello", content=renamed, headers=YAML)
    assert other.status_code == 422
    assert other.json()["errors"] == [
        {"path": "name", "message": "the definition is named 'bye', but the URL names 'hello'",
         "line": 1}
    ]  # fmt: skip
    assert (await http.get("/v1/workflows/hello")).json()["version"] == 2


async def test_export_is_the_definition_as_written_and_applies_as_no_change(
    http: httpx.AsyncClient,
) -> None:
    await http.put("/v1/workflows/hello", content=HELLO_V1, headers=YAML)
    exported = await http.get("/v1/workflows/hello/export")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/yaml")
    assert 'filename="hello.yaml"' in exported.headers["content-disposition"]
    document = yaml.safe_load(exported.text)
    assert document == yaml.safe_load(HELLO_V1), "defaults left out, nothing added"
    assert exported.text.index("name:") < exported.text.index("operations:"), "author's order"
    applied = await http.put("/v1/workflows/hello", content=exported.text, headers=YAML)
    assert (applied.status_code, applied.json()["version"]) == (200, 1)
    as_json = await http.get("/v1/workflows/hello/export", headers={"Accept": "application/json"})
    assert as_json.json() == document
    assert (await http.get("/v1/workflows/nope/export")).status_code == 404
    assert (await http.get("/v1/workflows/hello/export?version=9")).status_code == 404


async def test_list_versions_and_diff(http: httpx.AsyncClient) -> None:
    for name in ("zeta", "alpha", "beta", "alpine"):
        body = {"name": name, "operations": {"a": {"uses": "noop"}}}
        assert (await http.post("/v1/workflows", json=body)).status_code == 201
    await http.put("/v1/workflows/hello", content=HELLO_V1, headers=YAML)
    await http.put("/v1/workflows/hello", content=HELLO_V2, headers=YAML)

    first = (await http.get("/v1/workflows", params={"limit": 3})).json()
    assert [w["name"] for w in first["items"]] == ["alpha", "alpine", "beta"]
    rest = (
        await http.get("/v1/workflows", params={"limit": 3, "cursor": first["next_cursor"]})
    ).json()
    assert [w["name"] for w in rest["items"]] == ["hello", "zeta"]
    assert rest["next_cursor"] is None
    hello = rest["items"][0]
    assert (hello["latest_version"], hello["description"]) == (2, "Says hello, loudly")
    by_prefix = (await http.get("/v1/workflows", params={"prefix": "alp"})).json()["items"]
    assert [w["name"] for w in by_prefix] == ["alpha", "alpine"]
    odd = await http.get("/v1/workflows", params={"prefix": "%"})
    assert odd.json()["items"] == [], "a prefix is literal text, not a pattern"

    versions = (await http.get("/v1/workflows/hello/versions", params={"limit": 1})).json()
    assert [v["version"] for v in versions["items"]] == [2]
    older = await http.get(
        "/v1/workflows/hello/versions", params={"limit": 1, "cursor": versions["next_cursor"]}
    )
    assert [v["version"] for v in older.json()["items"]] == [1]
    assert "definition" not in older.json()["items"][0]
    assert (await http.get("/v1/workflows/nope/versions")).status_code == 404

    diff = (await http.get("/v1/workflows/hello/diff", params={"from": 1})).json()
    assert (diff["from_version"], diff["to_version"], diff["identical"]) == (1, 2, False)
    assert diff["added_operations"] == ["log"]
    assert diff["changed_operations"] == ["greet"]
    assert diff["removed_operations"] == []
    assert diff["changed_fields"] == ["description"]
    assert "-description: Says hello\n" in diff["unified"]
    assert "+description: Says hello, loudly\n" in diff["unified"]
    assert diff["unified"].startswith("--- hello v1\n+++ hello v2\n")
    same = (await http.get("/v1/workflows/hello/diff", params={"from": 2, "to": 2})).json()
    assert same["identical"] is True
    assert same["unified"] == ""
    missing = await http.get("/v1/workflows/hello/diff", params={"from": 7})
    assert missing.status_code == 404
    assert "version 7" in missing.json()["detail"]


async def test_a_cursor_this_api_did_not_give_is_422(http: httpx.AsyncClient) -> None:
    for path in ("/v1/workflows", "/v1/runs", "/v1/audit", "/v1/keys"):
        answer = await http.get(path, params={"cursor": "bm90IGEgY3Vyc29y"})
        assert answer.status_code == 422, path
        assert answer.json()["errors"] == [
            {"path": "cursor", "message": "not a cursor of this API"}
        ]


async def test_validate_checks_a_definition_as_storing_would_and_stores_nothing(
    http: httpx.AsyncClient,
) -> None:
    checked = await http.post("/v1/workflows/validate", content=HELLO_V2, headers=YAML)
    assert checked.status_code == 200, checked.text
    assert checked.json() == {
        "name": "hello",
        "valid": True,
        "operations": ["greet", "log"],
        "project_operations": [],
    }

    broken = {
        "name": "broken",
        "operations": {
            "a": {"uses": "set", "needs": ["nowhere"]},
            "b": {"uses": "http.request", "with": {"urlx": "https://example.com"}},
        },
    }
    refused = await http.post("/v1/workflows/validate", json=broken)
    assert refused.status_code == 422
    paths = {error["path"] for error in refused.json()["errors"]}
    assert {"operations.a.needs[0]", "operations.b.with.url", "operations.b.with.urlx"} <= paths
    assert (await http.get("/v1/workflows")).json()["items"] == []


async def test_metadata_is_kept_with_the_definition_and_empty_metadata_changes_no_digest(
    http: httpx.AsyncClient,
) -> None:
    plain = await http.put("/v1/workflows/hello", content=HELLO_V1, headers=YAML)
    assert plain.status_code == 201
    assert "metadata" not in (await http.get("/v1/workflows/hello")).json()["definition"]
    same = await http.put("/v1/workflows/hello", content=HELLO_V1 + "metadata: {}\n", headers=YAML)
    assert same.status_code == 200  # an empty metadata is no change

    layout = {"layout": {"greet": {"x": 40, "y": 120}}}
    moved = await http.put(
        "/v1/workflows/hello", content=HELLO_V1 + f"metadata: {layout}\n", headers=YAML
    )
    assert moved.status_code == 201
    assert moved.json()["version"] == 2
    stored = (await http.get("/v1/workflows/hello")).json()["definition"]
    assert stored["metadata"] == layout
    exported = yaml.safe_load((await http.get("/v1/workflows/hello/export")).text)
    assert exported["metadata"] == layout
