"""MCP tools: a fake MCP server built with the ``mcp`` SDK, over streamable HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from raikoo_ai_runner.kinds.prompt import KIND
from raikoo_common.runner import OperationError
from tests.unit.ai._fake_openai import Answer, Call, fake_openai, serving
from tests.unit.ai.conftest import provider, run_ai


@pytest.fixture(scope="module")
def mcp_url() -> Iterator[str]:
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("fake-tools")

    @server.tool()
    def add(a: int, b: int) -> str:
        """Add two numbers."""
        return str(a + b)

    @server.tool()
    def shout(text: str) -> str:
        """Upper-case a text."""
        return text.upper()

    with serving(server.streamable_http_app()) as port:
        yield f"http://127.0.0.1:{port}/mcp"


async def test_mcp_tools_are_listed_offered_and_called(mcp_url: str) -> None:
    tool = {"type": "mcp", "name": "calc", "url": mcp_url, "allow": ["add"]}
    with fake_openai(Answer(calls=(Call("add", '{"a": 2, "b": 40}'),)), Answer("42")) as fake:
        out = await run_ai(
            KIND, {"provider": provider(fake), "model": "m", "prompt": "2+40?", "tools": [tool]}
        )
    offered = [t["function"]["name"] for t in fake.chats()[0]["tools"]]
    assert offered == ["add"], "only what the allow list names"
    told = next(m for m in fake.chats()[1]["messages"] if m["role"] == "tool")["content"]
    assert told == "42"
    assert out["tool_calls"][0]["name"] == "add"
    assert out["tool_calls"][0]["ok"] is True


async def test_an_allow_list_naming_a_missing_tool_fails(mcp_url: str) -> None:
    tool = {"type": "mcp", "name": "calc", "url": mcp_url, "allow": ["divide"]}
    with fake_openai(Answer("never")) as fake, pytest.raises(OperationError) as caught:
        await run_ai(
            KIND, {"provider": provider(fake), "model": "m", "prompt": "x", "tools": [tool]}
        )
    assert caught.value.kind == "invalid_config"
    assert "divide" in str(caught.value)
