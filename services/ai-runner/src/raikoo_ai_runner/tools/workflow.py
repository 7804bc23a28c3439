"""Workflow tools: the model runs a workflow of the project as a child run.

A runner cannot start runs: the scheduler does (``workflow.call``). The platform wires a
``WorkflowRunner`` here (``use_workflow_runner``) that starts the child run, waits for its
end — cancelling it if the operation is cancelled — and returns its outputs. Until one is
wired, an operation offering a workflow tool fails before any model call, saying so.
"""

from __future__ import annotations

from typing import Any, Protocol

from raikoo_ai_runner.config.tools import WorkflowTool
from raikoo_ai_runner.tools.port import ToolCall, ToolResult
from raikoo_common.runner import OperationContext, OperationError


class WorkflowRunner(Protocol):
    async def run(
        self,
        tool: WorkflowTool,
        inputs: dict[str, Any],
        call: ToolCall,
        context: OperationContext,
    ) -> dict[str, Any]:
        """The child run's outputs; raises ``OperationError`` when it fails (its error is
        then told to the model) and ``asyncio.CancelledError`` passes through, cancelling
        the child run."""
        ...


_runner: WorkflowRunner | None = None


def use_workflow_runner(runner: WorkflowRunner | None) -> None:
    global _runner  # noqa: PLW0603 - one per process, set by the composition root
    _runner = runner


NOT_AVAILABLE = (
    "workflow tools are not available on this runner yet: running a workflow as a tool needs "
    "the scheduler to start the child run, which is not wired; use an http or mcp tool"
)


class WorkflowToolPort:
    def __init__(self, tool: WorkflowTool, context: OperationContext) -> None:
        if _runner is None:
            message = f"tools.{tool.name}: {NOT_AVAILABLE}"
            raise OperationError(message, kind="tool_unavailable", retryable=False)
        self._runner, self._tool, self._context = _runner, tool, context

    async def call(self, call: ToolCall) -> ToolResult:
        from raikoo_ai_runner.tools.templates import render_args

        inputs = (
            render_args(self._tool.inputs, call.arguments, f"tools.{self._tool.name}.inputs")
            if self._tool.inputs
            else dict(call.arguments)
        )
        try:
            outputs = await self._runner.run(self._tool, inputs, call, self._context)
        except OperationError as exc:
            return ToolResult(f"the workflow failed: {exc}", is_error=True)
        import orjson

        return ToolResult(orjson.dumps(outputs).decode(), data=outputs)
