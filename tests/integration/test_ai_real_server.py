"""The AI kinds against a real OpenAI-compatible server, when one is given:

    RAIKOO_TEST_OPENAI_BASE_URL=http://127.0.0.1:11434/v1   # Ollama (`ollama serve`)
    RAIKOO_TEST_OPENAI_MODEL=llama3.2                       # a model that can call tools
    RAIKOO_TEST_OPENAI_API_KEY=...                          # if the server wants one
    RAIKOO_TEST_OPENAI_EMBEDDING_MODEL=nomic-embed-text     # optional

LiteLLM's proxy (`litellm --model ...`, http://127.0.0.1:4000/v1) or OpenAI itself
(https://api.openai.com/v1 with a key and gpt-4o-mini) work the same. Skipped when
RAIKOO_TEST_OPENAI_BASE_URL is not set, on CI too: the suite never depends on a network
service it does not start. The assertions hold for any competent model: they check shapes,
streaming, usage and the tool loop, not wording.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from raikoo_ai_runner.kinds import embed, prompt
from tests.unit.ai.conftest import Ran, run_ai
from tests.unit.net._servers import Hit, LocalServer, Reply

BASE_URL = os.environ.get("RAIKOO_TEST_OPENAI_BASE_URL")
MODEL = os.environ.get("RAIKOO_TEST_OPENAI_MODEL", "gpt-4o-mini")
KEY = os.environ.get("RAIKOO_TEST_OPENAI_API_KEY")
EMBEDDING_MODEL = os.environ.get("RAIKOO_TEST_OPENAI_EMBEDDING_MODEL")

pytestmark = pytest.mark.skipif(
    not BASE_URL, reason="set RAIKOO_TEST_OPENAI_BASE_URL to run against a real server"
)


@pytest.fixture(autouse=True)
async def _open_the_server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    # The real server may be local (Ollama): open it and the tool's loopback server.
    from raikoo_ai_runner import runtime

    assert BASE_URL is not None
    import httpx

    host = httpx.URL(BASE_URL).host
    monkeypatch.setenv("RAIKOO_AI_ALLOW_HOSTS", json.dumps(["127.0.0.1", host]))
    runtime.reset()
    yield
    await runtime.close_clients()
    runtime.reset()


def connection() -> dict[str, Any]:
    kind = "openai" if BASE_URL and "api.openai.com" in BASE_URL else "compatible"
    return {"kind": kind, "base_url": BASE_URL, "api_key": KEY}


def _weather(hit: Hit) -> Reply:
    return Reply(200, [("content-type", "application/json")], b'{"celsius": 21, "sky": "clear"}')


@pytest.fixture
def tool() -> Iterator[LocalServer]:
    server = LocalServer({"/weather": _weather}).start()
    yield server
    server.stop()


async def test_a_prompt_streams_with_usage() -> None:
    ran = Ran()
    out = await run_ai(
        prompt.KIND,
        {
            "provider": connection(),
            "model": MODEL,
            "prompt": "Say hello in five words.",
            "max_tokens": 50,
        },
        ran,
    )
    assert out["text"].strip()
    assert ran.text == out["text"]
    assert out["usage"]["calls"] == 1
    assert out["usage"]["prompt_tokens"] > 0


async def test_an_output_schema_gives_data_that_fits() -> None:
    schema = {
        "type": "object",
        "properties": {"capital": {"type": "string"}},
        "required": ["capital"],
    }
    out = await run_ai(
        prompt.KIND,
        {
            "provider": connection(),
            "model": MODEL,
            "prompt": "What is the capital of France?",
            "output_schema": schema,
            "temperature": 0,
        },
    )
    assert isinstance(out["data"]["capital"], str)


async def test_the_model_calls_an_http_tool(tool: LocalServer) -> None:
    out = await run_ai(
        prompt.KIND,
        {
            "provider": connection(),
            "model": MODEL,
            "prompt": (
                "Use the weather tool to get the weather in Paris, then answer in one sentence."
            ),
            "tool_choice": "auto",
            "temperature": 0,
            "tools": [
                {
                    "type": "http",
                    "name": "weather",
                    "description": "Current weather for a city",
                    "method": "POST",
                    "url": tool.url("/weather"),
                    "parameters": {
                        "type": "object",
                        "properties": {"city": {"type": "string"}},
                        "required": ["city"],
                    },
                }
            ],
        },
    )
    assert tool.hits, "the model called the tool"
    assert out["tool_calls"][0]["name"] == "weather"
    assert out["text"].strip()


@pytest.mark.skipif(not EMBEDDING_MODEL, reason="set RAIKOO_TEST_OPENAI_EMBEDDING_MODEL")
async def test_embeddings() -> None:
    out = await run_ai(
        embed.KIND, {"provider": connection(), "model": EMBEDDING_MODEL, "input": ["a", "b"]}
    )
    assert out["count"] == 2
    assert out["dimensions"] > 0
