"""MCP tools: the tools an MCP server lists, called through the ``mcp`` SDK.

A tenant's server is reached over streamable HTTP through the SSRF guard; a server that
runs as a process (stdio) is started only if the operator listed it by name in
``RAIKOO_AI_MCP_STDIO_SERVERS`` — an operation names it, it can never give a command.
One session per server and operation, opened before the first model call (the model must
know the tools) and closed when the operation ends.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from raikoo_ai_runner.config.tools import McpTool
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_ai_runner.tools.port import ToolCall, ToolResult
from raikoo_common.net import EgressGuard
from raikoo_common.runner import OperationError


@dataclass(frozen=True)
class McpFunction:
    name: str
    description: str
    parameters: dict[str, Any]


class McpServerPort:
    def __init__(self, tool: McpTool, client: Any) -> None:
        self._tool, self._client = tool, client

    async def call(self, call: ToolCall) -> ToolResult:
        result = await self._client.call_tool(call.name, call.arguments)
        return ToolResult(_text_of(result), is_error=bool(result.is_error))


async def open_mcp(
    tool: McpTool, settings: AiRunnerSettings, guard: EgressGuard, stack: AsyncExitStack
) -> tuple[McpServerPort, list[McpFunction]]:
    """Connect to the server, list its tools (those ``allow`` names), and keep the session
    open on ``stack``."""
    from mcp import Client

    where = f"tools.{tool.name}"
    try:
        transport = await _transport(tool, settings, guard, where, stack)
        client = await stack.enter_async_context(Client(transport))
        listed = await _all_tools(client)
    except OperationError:
        raise
    except Exception as exc:
        message = f"{where}: the MCP server could not be reached or listed: {_describe(exc)}"
        raise OperationError(message, kind="connection", retryable=True) from None
    allowed = set(tool.allow) if tool.allow is not None else None
    functions = [
        McpFunction(item.name, item.description or "", item.input_schema)
        for item in listed
        if allowed is None or item.name in allowed
    ]
    if allowed is not None and (missing := allowed - {f.name for f in functions}):
        message = f"{where}: the server lists no tool named {', '.join(sorted(missing))}"
        raise OperationError(message, kind="invalid_config", retryable=False)
    return McpServerPort(tool, client), functions


async def _transport(
    tool: McpTool, settings: AiRunnerSettings, guard: EgressGuard, where: str, stack: AsyncExitStack
) -> Any:
    if tool.server is not None:
        from mcp.client.stdio import StdioServerParameters

        command = settings.ai_mcp_stdio_servers.get(tool.server)
        if command is None:
            known = ", ".join(sorted(settings.ai_mcp_stdio_servers)) or "none"
            message = (
                f"{where}: no MCP server named {tool.server!r} is configured on this runner "
                f"(RAIKOO_AI_MCP_STDIO_SERVERS lists: {known})"
            )
            raise OperationError(message, kind="invalid_config", retryable=False)
        return StdioServerParameters(command=command[0], args=command[1:])
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    from raikoo_ai_runner.providers._egress import Guarded2Transport

    assert tool.url is not None, "checked by McpTool"
    guard.check_url(tool.url)
    http = httpx2.AsyncClient(
        transport=Guarded2Transport(guard, max_connections=4),
        trust_env=False,
        headers=tool.headers,
        timeout=httpx2.Timeout(tool.timeout, read=max(tool.timeout, 300.0)),
    )
    await stack.enter_async_context(http)
    return streamable_http_client(tool.url, http_client=http)


async def _all_tools(client: Any) -> list[Any]:
    tools: list[Any] = []
    cursor = None
    for _ in range(100):  # a server that pages forever cannot hang the operation
        page = await client.list_tools(cursor=cursor)
        tools.extend(page.tools)
        cursor = page.next_cursor
        if not cursor:
            break
    return tools


def _text_of(result: Any) -> str:
    parts: list[str] = []
    for block in result.content:
        kind = getattr(block, "type", "")
        if kind == "text":
            parts.append(block.text)
        elif kind == "image":
            parts.append(f"[image {block.mime_type}]")
        else:
            parts.append(f"[{kind} content]")
    if not parts and result.structured_content is not None:
        import orjson

        parts.append(orjson.dumps(result.structured_content).decode())
    return "\n".join(parts)


def _describe(exc: BaseException) -> str:
    inner = getattr(exc, "exceptions", None)
    if inner:  # an exception group from the SDK's task group: the first says why
        return _describe(inner[0])
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
