"""The tools of one ``ai.prompt``: what the model is offered, and how each call is made —
arguments checked against the tool's JSON Schema first, within the tool's timeout, or its
mock in a dry run."""

from __future__ import annotations

import time
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import orjson

from raikoo_ai_runner.config.tools import HttpTool, McpTool, WorkflowTool
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_ai_runner.tools.port import ToolPort
from raikoo_common.net import EgressGuard
from raikoo_common.runner import OperationContext, OperationError

ToolSpec = HttpTool | McpTool | WorkflowTool


@dataclass(frozen=True)
class Entry:
    name: str
    description: str
    parameters: dict[str, Any]
    port: ToolPort | None
    """None in a dry run: the mock answers."""
    spec: ToolSpec
    max_result_chars: int

    def function(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }

    def mock(self) -> str:
        if self.spec.mock is None:
            return f"(dry run: {self.name} was not called)"
        mock = self.spec.mock
        return mock if isinstance(mock, str) else orjson.dumps(mock).decode()


class Toolbox:
    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries

    def functions(self) -> list[dict[str, Any]]:
        return [entry.function() for entry in self.entries.values()]


async def open_toolbox(
    specs: list[ToolSpec],
    context: OperationContext,
    settings: AiRunnerSettings,
    stack: AsyncExitStack,
) -> Toolbox:
    entries: dict[str, Entry] = {}
    guard = EgressGuard(settings.allow_list(context.org_id))
    http_client = None
    for spec in specs:
        if isinstance(spec, McpTool):
            for entry in await _mcp_entries(spec, context, settings, guard, stack):
                _add(entries, entry)
            continue
        port: ToolPort | None = None
        if not context.dry_run:
            if isinstance(spec, HttpTool):
                if http_client is None:
                    from raikoo_ai_runner.tools.http import new_http_client

                    http_client = await stack.enter_async_context(new_http_client(guard))
                from raikoo_ai_runner.tools.http import HttpToolPort

                port = HttpToolPort(spec, http_client, guard)
            else:
                from raikoo_ai_runner.tools.workflow import WorkflowToolPort

                port = WorkflowToolPort(spec, context)
        limit = spec.max_result_chars if isinstance(spec, HttpTool) else 20_000
        _add(entries, Entry(spec.name, spec.description, spec.parameters, port, spec, limit))
    return Toolbox(entries)


async def _mcp_entries(
    spec: McpTool,
    context: OperationContext,
    settings: AiRunnerSettings,
    guard: EgressGuard,
    stack: AsyncExitStack,
) -> list[Entry]:
    if context.dry_run:
        # No server is contacted in a dry run: the allow list names the tools to offer.
        return [
            Entry(name, "", {"type": "object"}, None, spec, spec.max_result_chars)
            for name in spec.allow or []
        ]
    from raikoo_ai_runner.tools.mcp import open_mcp

    started = time.monotonic()
    port, functions = await open_mcp(spec, settings, guard, stack)
    context.log.info(
        "mcp server listed",
        tool=spec.name,
        tools=len(functions),
        elapsed_ms=round((time.monotonic() - started) * 1000),
    )
    return [
        Entry(f.name, f.description, f.parameters, port, spec, spec.max_result_chars)
        for f in functions
    ]


def _add(entries: dict[str, Entry], entry: Entry) -> None:
    if entry.name in entries:
        message = (
            f"two tools are offered as {entry.name!r} (from {entries[entry.name].spec.name} and "
            f"{entry.spec.name}); rename one, or narrow an MCP server's allow list"
        )
        raise OperationError(message, kind="invalid_config", retryable=False)
    entries[entry.name] = entry
