"""End to end in embedded mode: a workflow's ``ai.prompt`` asks the fake model, which calls
an HTTP tool, then answers; the answer streams to the run's SSE listeners as it is written,
and the usage rides on the result. The provider is the runner's default, from RAIKOO_AI_*."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from raikoo_ai_runner import runtime
from tests._budget import WAIT_SECONDS
from tests._embedded import embedded_client
from tests.integration._api import Api
from tests.unit.ai._fake_openai import Answer, Call, FakeOpenAI, fake_openai
from tests.unit.net._servers import LocalServer

WORKFLOW = """
apiVersion: raikoo/v1
kind: Workflow
name: ai-tool-loop
inputs:
  city: {type: string, default: Paris}
operations:
  ask:
    uses: ai.prompt
    with:
      persona:
        instructions: You are a weather assistant.
      prompt: "What is the weather in {{ inputs.city }}?"
      tools:
        - type: http
          name: weather
          description: Current weather of a city
          method: GET
          url: "TOOL_URL/weather/{% raw %}{{ args.city | lower }}{% endraw %}"
          parameters:
            type: object
            properties: {city: {type: string}}
            required: [city]
      response:
        template: "{{ text | upper }}"
outputs:
  answer: "{{ ops.ask.output.text }}"
  shout: "{{ ops.ask.output.result }}"
  calls: "{{ ops.ask.output.tool_calls | length }}"
  tokens: "{{ ops.ask.output.usage.total_tokens }}"
"""


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    script = (Answer(calls=(Call("weather", '{"city": "Paris"}'),)), Answer("It is 21 degrees."))
    with fake_openai(*script) as fake:
        yield fake


@pytest.fixture
async def api(
    tmp_path: Path, model: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Api]:
    monkeypatch.setenv("RAIKOO_AI_BASE_URL", model.base_url)
    monkeypatch.setenv("RAIKOO_AI_MODEL", "fake-model")
    monkeypatch.setenv("RAIKOO_AI_ALLOW_HOSTS", '["127.0.0.1"]')  # the tool, on loopback
    runtime.reset()
    try:
        async with embedded_client(tmp_path) as (raikoo, http):
            yield Api(str(raikoo.base_url), http, raikoo.local_admin_key)
    finally:
        runtime.reset()


async def test_a_workflow_runs_an_ai_prompt_with_a_tool_loop(
    api: Api, model: FakeOpenAI, weather_tool: LocalServer
) -> None:
    definition = WORKFLOW.replace("TOOL_URL", weather_tool.url("").rstrip("/"))
    created = await api.run({"definition": definition, "inputs": {}})
    run, events = await api.finish(created["id"])
    assert run["state"] == "succeeded", run.get("error")
    assert run["outputs"] == {
        "answer": "It is 21 degrees.",
        "shout": "IT IS 21 DEGREES.",
        "calls": 1,
        "tokens": 36,
    }
    assert [hit.path for hit in weather_tool.hits] == ["/weather/paris"]
    first = model.chats()[0]["messages"]
    assert first[0] == {"role": "system", "content": "You are a weather assistant."}
    assert first[1]["content"] == "What is the weather in Paris?"
    streamed = [data for event, data in events if event == "operation.output_delta"]
    assert "".join(d["text"] for d in streamed) == "It is 21 degrees."
    assert all(d["op_key"] == "ask" for d in streamed)
    assert json.dumps(run).count("21 degrees") >= 1
    # What the calls spent is the run's and the operation's: two calls of 11 + 7 tokens.
    assert run["usage"]["total_tokens"] == 36
    assert run["usage"]["calls"] == 2
    assert run["usage"]["by_model"]["fake-model"]["prompt_tokens"] == 22
    operations = (await api.http.get(f"/v1/runs/{created['id']}/operations")).json()["items"]
    assert operations[0]["usage"]["completion_tokens"] == 14


FAN_OUT = """
apiVersion: raikoo/v1
kind: Workflow
name: ai-fan-out
operations:
  ask:
    uses: foreach
    with: {items: "{{ range(12) | list }}", max_parallel: 12, on_error: continue}
    do:
      uses: ai.prompt
      with:
        prompt: "Say hi."
        max_tokens: 100
"""


async def test_a_budget_set_through_the_api_stops_calls_past_it(
    api: Api, model: FakeOpenAI
) -> None:
    # Each call is estimated at about 110 tokens: 350 allow three at once.
    body = {"scope": "project", "period": "run", "unit": "tokens", "limit": 350}
    budget = (await api.http.put("/v1/budgets", json=body)).json()
    assert (budget["limit"], budget["project"]) == (350, "default"), budget
    model.default = Answer("hi", prompt_tokens=100, completion_tokens=20)
    model.script.clear()
    created = await api.run({"definition": FAN_OUT})
    run, _ = await api.finish(created["id"])
    assert run["state"] == "succeeded"  # the loop goes on past failed items (on_error)
    assert len(model.chats()) == 3
    assert run["usage"]["total_tokens"] == 360  # settled at what the provider reported
    items = (await api.http.get(f"/v1/runs/{created['id']}/operations?loop=ask")).json()["items"]
    errors = [item["error"] for item in items if item["error"] is not None]
    assert len(errors) == 9
    assert {error["kind"] for error in errors} == {"budget_exceeded"}
    assert "the budget of project 'default' (350 tokens per run)" in errors[0]["message"]
    monthly = {"period": "month", "unit": "tokens", "limit": 10_000}
    assert (await api.http.put("/v1/budgets", json=monthly)).status_code == 200
    listed = (await api.http.get("/v1/budgets")).json()["items"]
    assert [(b["period"], b["used"]) for b in listed] == [("month", 0.0), ("run", None)]
    gone = await api.http.delete("/v1/budgets", params={"period": "run", "unit": "tokens"})
    assert gone.status_code == 204


async def test_a_cancelled_runs_usage_counts_the_calls_its_operations_made(
    api: Api, model: FakeOpenAI, weather_tool: LocalServer
) -> None:
    model.script[1] = Answer("too late", delay=60)  # the answer after the tool never comes
    definition = WORKFLOW.replace("TOOL_URL", weather_tool.url("").rstrip("/"))
    created = await api.run({"definition": definition, "inputs": {}})
    async with asyncio.timeout(WAIT_SECONDS):
        while len(model.chats()) < 2:  # noqa: ASYNC110 - the fake server (a thread) has no event
            await asyncio.sleep(0.01)
    cancelled = await api.http.post(f"/v1/runs/{created['id']}/cancel", json={"reason": "test"})
    assert cancelled.status_code == 202
    run, _ = await api.finish(created["id"])
    assert run["state"] == "cancelled"
    # The first call answered (11 + 7 tokens); the second was cut off, reporting nothing.
    async with asyncio.timeout(WAIT_SECONDS):
        while run["usage"] is None:
            await asyncio.sleep(0.05)
            run = (await api.http.get(f"/v1/runs/{created['id']}")).json()
    assert (run["usage"]["calls"], run["usage"]["total_tokens"]) == (1, 18)
