"""Provider connections, personas and tools as platform objects, end to end in embedded
mode: a workflow names a persona (whose connection and tool are named too), the gateway
pins them when it stores the workflow, and the fake OpenAI server receives the persona's
instructions, its sampling, the connection's key and model, and the tool's definition.
Unknown names, disallowed models and invalid schemas are 422 naming the path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from raikoo_ai_runner import runtime
from tests.integration._api import Api
from tests.unit.ai._fake_openai import Answer, Call, FakeOpenAI, fake_openai
from tests.unit.net._servers import LocalServer

KEY = "sk-canary-4f1d2c9e8b7a6f5e"


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    script = (Answer(calls=(Call("weather", '{"city": "Paris"}'),)), Answer("It is 21 degrees."))
    with fake_openai(*script, default=Answer("Again.")) as fake:
        yield fake


@pytest.fixture
def ai_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # No default connection: the only way to the model is the named one.
    for name in ("RAIKOO_AI_BASE_URL", "RAIKOO_AI_API_KEY", "RAIKOO_AI_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAIKOO_AI_ALLOW_HOSTS", '["127.0.0.1"]')  # the fakes, on loopback
    runtime.reset()
    yield
    runtime.reset()


@pytest.fixture
def api(ai_env: None, api: Api) -> Api:
    """The embedded stack (SQLite and PostgreSQL), started with the settings above."""
    return api


async def _put(api: Api, path: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    response = await api.http.put(path, json=body)
    assert response.status_code == status, response.text
    return dict(response.json()) if response.content else {}


async def _objects(api: Api, model: FakeOpenAI, weather_tool: LocalServer) -> None:
    await _put(api, "/v1/secrets/FAKE_KEY", {"value": KEY}, 204)
    await _put(
        api,
        "/v1/providers/fake",
        {
            "kind": "compatible",
            "base_url": model.base_url,
            "api_key": "{{ secrets.FAKE_KEY }}",
            "default_model": "fake-model",
            "allowed_models": ["fake-model", "fake-large"],
        },
    )
    await _put(
        api,
        "/v1/tools/weather",
        {
            "type": "http",
            "name": "weather",
            "description": "Current weather of a city",
            "method": "GET",
            "url": weather_tool.url("").rstrip("/") + "/weather/{{ args.city | lower }}",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    )
    await _put(
        api,
        "/v1/personas/forecaster",
        {
            "instructions": "You forecast the weather of {{ inputs.city }}.",
            "provider": "fake",
            "tools": ["weather"],
            "temperature": 0.2,
        },
    )


WORKFLOW: dict[str, Any] = {
    "name": "forecast",
    "inputs": {"city": {"type": "string", "default": "Paris"}},
    "operations": {
        "ask": {
            "uses": "ai.prompt",
            "with": {"persona": "forecaster", "prompt": "Weather in {{ inputs.city }}?"},
        }
    },
    "outputs": {"answer": "{{ ops.ask.output.text }}"},
}


async def test_a_named_persona_connection_and_tool_reach_the_model(
    api: Api, model: FakeOpenAI, weather_tool: LocalServer
) -> None:
    await _objects(api, model, weather_tool)
    stored = await api.http.post("/v1/workflows", json=WORKFLOW)
    assert stored.status_code == 201, stored.text
    detail = (await api.http.get("/v1/workflows/forecast/versions/1")).json()
    pins = detail["ai_objects"]
    assert {group: sorted(pins[group]) for group in pins} == {
        "personas": ["forecaster"],
        "providers": ["fake"],
        "tools": ["weather"],
    }
    assert pins["providers"]["fake"]["spec"]["api_key"] == "{{ secrets.FAKE_KEY }}"

    created = await api.run({"workflow": "forecast", "inputs": {}})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded", run.get("error")
    assert run["outputs"] == {"answer": "It is 21 degrees."}
    assert [hit.path for hit in weather_tool.hits] == ["/weather/paris"]
    first = model.requests[0]
    assert first.headers["authorization"] == f"Bearer {KEY}"
    chat = first.body
    assert chat["model"] == "fake-model"  # the connection's default
    assert chat["temperature"] == 0.2
    assert chat["messages"][0] == {
        "role": "system",
        "content": "You forecast the weather of Paris.",
    }
    assert [t["function"]["name"] for t in chat["tools"]] == ["weather"]
    assert chat["tools"][0]["function"]["description"] == "Current weather of a city"
    assert chat["tools"][0]["function"]["parameters"]["required"] == ["city"]
    assert KEY not in str(run)
    assert KEY not in str(detail)

    # A new persona version changes nothing for the stored workflow version: it is pinned.
    changed = {"instructions": "You are terse.", "provider": "fake", "tools": ["weather"]}
    assert (await _put(api, "/v1/personas/forecaster", changed, 200))["version"] == 2
    again = await api.run({"workflow": "forecast", "inputs": {}})
    run, _ = await api.finish(again["id"])
    assert run["state"] == "succeeded", run.get("error")
    assert model.chats()[-1]["messages"][0]["content"] == "You forecast the weather of Paris."
    # Storing the workflow again pins the new version: a new workflow version.
    restored = (await api.http.post("/v1/workflows", json=WORKFLOW)).json()
    assert restored["version"] == 2
    versions = (await api.http.get("/v1/personas/forecaster/versions")).json()
    assert [v["version"] for v in versions["items"]] == [2, 1]
    old = await api.http.get("/v1/personas/forecaster/versions/1")
    assert old.json()["spec"]["instructions"].startswith("You forecast")


def _with(**fields: Any) -> dict[str, Any]:
    ask = {"persona": "forecaster", "prompt": "Weather?"} | fields
    return {"name": "bad", "operations": {"ask": {"uses": "ai.prompt", "with": ask}}}


@pytest.mark.parametrize(
    ("definition", "path", "words"),
    [
        (_with(persona="nobody"), "operations.ask.with.persona", "unknown persona 'nobody'"),
        (
            _with(persona={"name": "forecaster", "version": 9}),
            "operations.ask.with.persona",
            "version 9",
        ),
        (_with(tools=["weather", "nope"]), "operations.ask.with.tools[1]", "unknown tool 'nope'"),
        (_with(provider="elsewhere"), "operations.ask.with.provider", "unknown provider"),
        (_with(model="gpt-5"), "operations.ask.with.model", "not allowed by provider"),
        (
            _with(output_schema={"type": "nonsense"}),
            "operations.ask.with.output_schema",
            "not a valid JSON Schema",
        ),
    ],
)
async def test_what_cannot_be_resolved_is_refused_when_stored(
    api: Api,
    model: FakeOpenAI,
    weather_tool: LocalServer,
    definition: dict[str, Any],
    path: str,
    words: str,
) -> None:
    await _objects(api, model, weather_tool)
    response = await api.http.post("/v1/workflows", json=definition)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["path"] == path and words in e["message"] for e in errors), errors
    assert (await api.http.get("/v1/workflows/bad")).status_code == 404


async def test_a_persona_naming_a_missing_tool_is_refused_where_it_is_named(
    api: Api, model: FakeOpenAI, weather_tool: LocalServer
) -> None:
    await _objects(api, model, weather_tool)
    await _put(api, "/v1/personas/broken", {"instructions": "x", "tools": ["gone"]})
    response = await api.http.post("/v1/workflows", json=_with(persona="broken"))
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["path"] == "operations.ask.with.persona"
    assert "persona 'broken' names an unknown tool 'gone'" in error["message"]


async def test_a_project_connection_overrides_the_organizations(
    api: Api, model: FakeOpenAI, weather_tool: LocalServer
) -> None:
    await _objects(api, model, weather_tool)
    own = {"kind": "compatible", "base_url": model.base_url, "default_model": "fake-large"}
    made = await _put(api, "/v1/providers/fake?scope=project", own)
    assert made["scope"] == "project"
    effective = (await api.http.get("/v1/providers/fake")).json()
    assert (effective["scope"], effective["spec"]["default_model"]) == ("project", "fake-large")
    org = (await api.http.get("/v1/providers/fake?scope=organization")).json()
    assert org["spec"]["default_model"] == "fake-model"
    listed = (await api.http.get("/v1/providers?scope=organization")).json()
    assert [item["name"] for item in listed["items"]] == ["fake"]


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        ({"kind": "openai", "api_key": "sk-a-real-key-value"}, "body.api_key", "secret reference"),
        ({"kind": "compatible", "base_url": "http://10.1.2.3/v1"}, "body.base_url", "private"),
        (
            {"kind": "compatible", "base_url": "http://user:pw@llm.example.com/v1"},
            "body.base_url",
            "no credentials",
        ),
        ({"kind": "openai", "default_model": "a", "allowed_models": ["b"]}, "body", "allowed"),
    ],
)
async def test_a_connection_is_checked_when_stored(
    api: Api, body: dict[str, Any], path: str, words: str
) -> None:
    response = await api.http.put("/v1/providers/bad", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["path"].startswith(path) and words in e["message"] for e in errors), errors


async def test_writes_are_audited_and_lists_are_paged(api: Api) -> None:
    for name in ("a", "b", "c"):
        await _put(api, f"/v1/personas/{name}", {"instructions": f"I am {name}."})
    first = (await api.http.get("/v1/personas?limit=2")).json()
    assert [p["name"] for p in first["items"]] == ["a", "b"]
    rest = (await api.http.get(f"/v1/personas?limit=2&cursor={first['next_cursor']}")).json()
    assert ([p["name"] for p in rest["items"]], rest["next_cursor"]) == (["c"], None)
    same = await api.http.put("/v1/personas/a", json={"instructions": "I am a."})
    assert (same.status_code, same.json()["version"]) == (200, 1)
    assert (await api.http.delete("/v1/personas/b")).status_code == 204
    assert (await api.http.get("/v1/personas/b")).status_code == 404
    audit = (await api.http.get("/v1/audit")).json()["items"]
    actions = [(e["action"], e["target"]) for e in audit if e["action"].startswith("persona.")]
    assert actions == [
        ("persona.deleted", "b"),
        ("persona.written", "c"),
        ("persona.written", "b"),
        ("persona.written", "a"),
    ]


async def test_a_dry_run_calls_neither_the_model_nor_the_tool(
    api: Api, model: FakeOpenAI, weather_tool: LocalServer
) -> None:
    await _objects(api, model, weather_tool)
    created = await api.run({"definition": WORKFLOW, "inputs": {}, "dry_run": True})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded", run.get("error")
    assert run["outputs"] == {"answer": "(dry run: no model was called)"}
    assert model.requests == []
    assert weather_tool.hits == []
    audit = (await api.http.get("/v1/audit?action=run.started")).json()["items"]
    assert audit[0]["details"]["dry_run"] is True


async def test_a_project_operation_naming_a_persona_is_pinned_where_it_is_used(
    api: Api, model: FakeOpenAI, weather_tool: LocalServer
) -> None:
    await _objects(api, model, weather_tool)
    operation = {
        "name": "ask-weather",
        "kind": "ai.prompt",
        "inputs": {"city": {"type": "string"}},
        "config": {"persona": "forecaster", "prompt": "Weather in {{ inputs.city }}?"},
    }
    made = await api.http.post("/v1/operations", json=operation)
    assert made.status_code == 201, made.text
    workflow = {
        "name": "via-operation",
        "inputs": {"city": {"type": "string", "default": "Paris"}},
        "operations": {"ask": {"uses": "op/ask-weather", "with": {"city": "{{ inputs.city }}"}}},
        "outputs": {"answer": "{{ ops.ask.output.text }}"},
    }
    created = await api.run({"definition": workflow, "inputs": {}})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded", run.get("error")
    chat = model.chats()[0]
    assert chat["messages"][0]["content"] == "You forecast the weather of Paris."
    assert [t["function"]["name"] for t in chat["tools"]] == ["weather"]

    await api.http.delete("/v1/tools/weather")
    refused = await api.http.post("/v1/workflows", json=workflow | {"name": "after-delete"})
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["path"] == "operations.ask.uses"
    assert "unknown tool 'weather'" in error["message"]


async def test_a_child_of_a_dry_run_is_a_dry_run(
    api: Api, model: FakeOpenAI, weather_tool: LocalServer
) -> None:
    await _objects(api, model, weather_tool)
    assert (await api.http.post("/v1/workflows", json=WORKFLOW)).status_code == 201
    parent = {
        "name": "calls-forecast",
        "operations": {"call": {"uses": "workflow.call", "with": {"workflow": "forecast"}}},
        "outputs": {"answer": "{{ ops.call.output.answer }}"},
    }
    created = await api.run({"definition": parent, "inputs": {}, "dry_run": True})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded", run.get("error")
    assert run["outputs"] == {"answer": "(dry run: no model was called)"}
    assert model.requests == []


@pytest.mark.parametrize(
    "body",
    [
        {"type": "mcp", "name": "docs", "url": "https://mcp.example.com/mcp", "allow": ["search"]},
        {"type": "mcp", "name": "files", "server": "files"},
        {
            "type": "workflow",
            "name": "digest",
            "workflow": "document-digest",
            "parameters": {"type": "object", "properties": {"urls": {"type": "array"}}},
        },
    ],
)
async def test_each_kind_of_tool_is_a_project_object(api: Api, body: dict[str, Any]) -> None:
    made = await _put(api, f"/v1/tools/{body['name']}", body)
    assert (made["version"], made["spec"]["type"]) == (1, body["type"])
    mismatch = await api.http.put("/v1/tools/other", json=body)
    assert mismatch.status_code == 422, mismatch.text
    assert mismatch.json()["errors"][0]["path"] == "body.name"
