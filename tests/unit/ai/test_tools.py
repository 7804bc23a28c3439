"""The tool loop: HTTP tools through the guard, parallel calls, arguments checked against
the schema, bounded steps, MCP servers, workflow tools not wired yet."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest

from raikoo_ai_runner.kinds.prompt import KIND
from raikoo_common.runner import OperationError
from tests.unit.ai._fake_openai import Answer, Call, fake_openai
from tests.unit.ai.conftest import provider, run_ai
from tests.unit.net._servers import Hit, LocalServer, Reply, Route

CANARY = "canary-tool-key-5b1e2c9d"
WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}


_BOTH_ARRIVED = threading.Barrier(2, timeout=5)


def _together(hit: Hit) -> Reply:
    try:
        _BOTH_ARRIVED.wait()  # returns only when both calls are in flight at once
    except threading.BrokenBarrierError:
        _BOTH_ARRIVED.reset()
        return Reply(503, body=b"the calls did not overlap")
    return _weather(hit)


def _weather(hit: Hit) -> Reply:
    city = hit.target.rpartition("/")[2]
    return Reply(
        200, [("content-type", "application/json")], json.dumps({"city": city, "c": 21}).encode()
    )


@pytest.fixture
def api() -> Iterator[LocalServer]:
    routes: dict[str, Route] = {
        f"/{kind}/{city}": handler
        for city in ("paris", "rome")
        for kind, handler in (("weather", _weather), ("together", _together))
    }
    server = LocalServer(routes).start()
    yield server
    server.stop()


def weather_tool(api: LocalServer) -> dict[str, object]:
    return {
        "type": "http",
        "name": "weather",
        "description": "Weather in a city",
        "parameters": WEATHER,
        "method": "GET",
        "url": api.url("/weather/") + "{{ args.city | lower | urlencode }}",
        "headers": {"X-Api-Key": CANARY},
    }


async def test_parallel_tool_calls_run_concurrently_and_are_recorded(api: LocalServer) -> None:
    both = (Call("weather", '{"city": "Paris"}', "c1"), Call("weather", '{"city": "Rome"}', "c2"))
    with fake_openai(Answer(calls=both), Answer("Both are 21°C.")) as fake:
        out = await run_ai(
            KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "weather?",
                "tools": [
                    {**weather_tool(api), "url": api.url("/together/{{ args.city | lower }}")}
                ],
            },
        )
    assert out["text"] == "Both are 21°C."
    assert sorted(hit.path for hit in api.hits) == ["/together/paris", "/together/rome"]
    assert all(hit.headers["x-api-key"] == CANARY for hit in api.hits)
    second = fake.chats()[1]["messages"]
    tool_messages = [m for m in second if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in tool_messages] == ["c1", "c2"]
    assert json.loads(tool_messages[0]["content"]) == {"city": "paris", "c": 21}
    assert fake.chats()[0]["tools"][0]["function"]["parameters"] == WEATHER
    assert [(r["name"], r["ok"], r["arguments"]) for r in out["tool_calls"]] == [
        ("weather", True, {"city": "Paris"}),
        ("weather", True, {"city": "Rome"}),
    ]
    assert out["steps"] == 2


async def test_invalid_arguments_are_told_once_then_fail(api: LocalServer) -> None:
    bad = Answer(calls=(Call("weather", '{"town": "Paris"}'),))
    unknown = Answer(calls=(Call("forecast", "{}"),))
    with fake_openai(bad, Answer("I fixed it"), bad, unknown) as fake:
        out = await run_ai(
            KIND,
            {"provider": provider(fake), "model": "m", "prompt": "x", "tools": [weather_tool(api)]},
        )
        told = next(m for m in fake.chats()[1]["messages"] if m["role"] == "tool")["content"]
        assert "do not fit the tool's schema" in told
        assert out["tool_calls"][0]["ok"] is False
        with pytest.raises(OperationError) as caught:
            await run_ai(
                KIND,
                {
                    "provider": provider(fake),
                    "model": "m",
                    "prompt": "x",
                    "tools": [weather_tool(api)],
                },
            )
    assert caught.value.kind == "invalid_tool_call"
    assert "forecast" in str(caught.value)
    assert api.hits == [], "no invalid call reached the tool"


async def test_arguments_split_across_stream_chunks_are_joined(api: LocalServer) -> None:
    long_city = json.dumps({"city": "Paris"})
    with fake_openai(Answer(calls=(Call("weather", long_city),)), Answer("done")) as fake:
        out = await run_ai(
            KIND,
            {"provider": provider(fake), "model": "m", "prompt": "x", "tools": [weather_tool(api)]},
        )
    assert out["tool_calls"][0]["arguments"] == {"city": "Paris"}
    assert fake.chats()[0]["stream"] is True


async def test_the_loop_stops_at_max_tool_steps(api: LocalServer) -> None:
    again = Answer(calls=(Call("weather", '{"city": "Paris"}'),))
    with fake_openai(default=again) as fake, pytest.raises(OperationError) as caught:
        await run_ai(
            KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "x",
                "tools": [weather_tool(api)],
                "max_tool_steps": 2,
            },
        )
    assert caught.value.kind == "tool_loop"
    assert "max_tool_steps" in str(caught.value)
    assert len(fake.chats()) == 3
    assert len(api.hits) == 2


async def test_a_failing_tool_is_told_to_the_model(api: LocalServer) -> None:
    tool = {**weather_tool(api), "url": api.url("/missing")}
    with fake_openai(Answer(calls=(Call("weather", '{"city": "x"}'),)), Answer("sorry")) as fake:
        out = await run_ai(
            KIND, {"provider": provider(fake), "model": "m", "prompt": "x", "tools": [tool]}
        )
    told = next(m for m in fake.chats()[1]["messages"] if m["role"] == "tool")["content"]
    assert told.startswith("HTTP 404")
    assert out["tool_calls"][0]["ok"] is False


async def test_canary_keys_appear_in_no_output_or_error(api: LocalServer) -> None:
    with fake_openai(Answer(calls=(Call("weather", '{"city": "Paris"}'),)), Answer("ok")) as fake:
        out = await run_ai(
            KIND,
            {
                "provider": provider(fake, api_key="canary-provider-key-0a9f"),
                "model": "m",
                "prompt": "x",
                "tools": [weather_tool(api)],
            },
        )
        assert fake.requests[0].headers["authorization"] == "Bearer canary-provider-key-0a9f"
    dumped = json.dumps(out)
    assert CANARY not in dumped
    assert "canary-provider-key-0a9f" not in dumped


async def test_a_workflow_tool_says_it_is_not_available_yet() -> None:
    tool = {"type": "workflow", "name": "research", "workflow": "deep-research"}
    with fake_openai(Answer("never")) as fake, pytest.raises(OperationError) as caught:
        await run_ai(
            KIND, {"provider": provider(fake), "model": "m", "prompt": "x", "tools": [tool]}
        )
    assert caught.value.kind == "tool_unavailable"
    assert "not available on this runner yet" in str(caught.value)
    assert fake.chats() == [], "failed before any model call"


async def test_a_stdio_mcp_server_must_be_one_the_operator_listed() -> None:
    tool = {"type": "mcp", "name": "files", "server": "files"}
    with fake_openai(Answer("never")) as fake, pytest.raises(OperationError) as caught:
        await run_ai(
            KIND, {"provider": provider(fake), "model": "m", "prompt": "x", "tools": [tool]}
        )
    assert caught.value.kind == "invalid_config"
    assert "RAIKOO_AI_MCP_STDIO_SERVERS" in str(caught.value)
