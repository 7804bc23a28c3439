"""End to end in embedded mode: a workflow's ``ai.prompt`` asks the fake model, which calls
an HTTP tool, then answers; the answer streams to the run's SSE listeners as it is written,
and the usage rides on the result. The provider is the runner's default, from RAIKOO_AI_*."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from raikoo_ai_runner import runtime
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
