"""The tool loop: call the model; while it asks for tools, run them — concurrently when it
asks for several — and give it their results; at most ``max_tool_steps`` model calls may
ask for tools.

A call the runner cannot make — an unknown tool, arguments that are not JSON or do not fit
the tool's schema — is answered with an error the model can correct, once: a second such
call, in any later answer, fails the operation (``invalid_tool_call``). A tool that fails
(an HTTP 500, a timeout) is told to the model as well, and does not count against it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from raikoo_ai_runner.config.prompt import ToolCallRecord
from raikoo_ai_runner.providers.answer import Completion, ToolCallData
from raikoo_ai_runner.providers.calls import Provider
from raikoo_ai_runner.schemas import validation_errors
from raikoo_ai_runner.tools.box import Entry, Toolbox
from raikoo_ai_runner.tools.port import ToolCall, ToolResult
from raikoo_common.runner import OperationContext, OperationError

Message = dict[str, Any]


@dataclass
class Conversation:
    messages: list[Message]
    steps: int = 0
    records: list[ToolCallRecord] = field(default_factory=list)
    strikes: int = 0


def unchanged(text: str) -> str:
    return text


@dataclass(frozen=True)
class TextFilters:
    """What tool text goes through on its way: PII restored into arguments, masked out of
    results (``unchanged`` when no PII masking is configured)."""

    to_tool: Callable[[str], str] = unchanged
    to_model: Callable[[str], str] = unchanged


async def converse(
    provider: Provider,
    params: dict[str, Any],
    conversation: Conversation,
    toolbox: Toolbox,
    context: OperationContext,
    *,
    max_tool_steps: int,
    write: Callable[[str], None] | None,
    filters: TextFilters,
) -> Completion:
    while True:
        completion = await provider.chat({**params, "messages": conversation.messages}, write)
        conversation.steps += 1
        if completion.refusal:
            message = f"the model refused to answer: {completion.refusal}"
            raise OperationError(message, kind="refused", retryable=False)
        if not completion.tool_calls:
            return completion
        if conversation.steps > max_tool_steps:
            message = (
                f"the model still asked for tools after {max_tool_steps} calls "
                f"(max_tool_steps); last asked for: "
                + ", ".join(call.name for call in completion.tool_calls)
            )
            raise OperationError(message, kind="tool_loop", retryable=False)
        conversation.messages.append(_assistant(completion))
        step = conversation.steps
        outcomes = await asyncio.gather(
            *(_run_call(call, toolbox, context, step, filters) for call in completion.tool_calls)
        )
        invalid: list[str] = []
        for call, (result, record, was_invalid) in zip(
            completion.tool_calls, outcomes, strict=True
        ):
            conversation.records.append(record)
            conversation.messages.append(
                {"role": "tool", "tool_call_id": call.id, "content": result.content}
            )
            if was_invalid:
                invalid.append(f"{call.name}: {record.error}")
        if invalid:
            conversation.strikes += 1
            if conversation.strikes > 1:
                message = (
                    "the model made an invalid tool call again after being told: "
                    + "; ".join(invalid)
                )
                raise OperationError(message, kind="invalid_tool_call", retryable=False)


async def _run_call(
    data: ToolCallData,
    toolbox: Toolbox,
    context: OperationContext,
    step: int,
    filters: TextFilters,
) -> tuple[ToolResult, ToolCallRecord, bool]:
    started = time.monotonic()
    arguments, problem = _arguments(data, toolbox, filters)
    entry = toolbox.entries.get(data.name)

    def record(ok: bool, error: str | None, result: ToolResult | None) -> ToolCallRecord:
        return ToolCallRecord(
            step=step,
            id=data.id,
            name=data.name,
            arguments=arguments if arguments is not None else data.arguments,
            ok=ok,
            error=error,
            result_chars=len(result.content) if result else 0,
            duration_ms=round((time.monotonic() - started) * 1000),
        )

    if problem is not None or entry is None or arguments is None:
        error = problem or f"no tool named {data.name!r}"
        result = ToolResult(f"error: {error}. Call one of the tools offered, as described.", True)
        return result, record(False, error, result), True
    result = await _call(entry, arguments, data, context)
    result = _capped(result, entry)
    result = ToolResult(filters.to_model(result.content), result.is_error, result.data)
    context.log.info("tool called", tool=data.name, ok=not result.is_error, step=step)
    return (
        result,
        record(not result.is_error, result.content if result.is_error else None, result),
        False,
    )


def _arguments(
    data: ToolCallData, toolbox: Toolbox, filters: TextFilters
) -> tuple[dict[str, Any] | None, str | None]:
    entry = toolbox.entries.get(data.name)
    if entry is None:
        known = ", ".join(sorted(toolbox.entries)) or "none"
        return None, f"there is no tool named {data.name!r} (tools: {known})"
    try:
        arguments = orjson.loads(filters.to_tool(data.arguments or "{}"))
    except orjson.JSONDecodeError as exc:
        return None, f"the arguments are not valid JSON ({exc})"
    if not isinstance(arguments, dict):
        return None, "the arguments must be a JSON object"
    errors = validation_errors(entry.parameters, arguments)
    if errors:
        return arguments, "the arguments do not fit the tool's schema: " + "; ".join(errors)
    return arguments, None


async def _call(
    entry: Entry, arguments: dict[str, Any], data: ToolCallData, context: OperationContext
) -> ToolResult:
    if entry.port is None:
        return ToolResult(entry.mock())
    call = ToolCall(
        id=data.id,
        name=data.name,
        arguments=arguments,
        idempotency_key=f"{context.idempotency_key}:{data.id}",
    )
    try:
        async with asyncio.timeout(entry.spec.timeout):
            return await entry.port.call(call)
    except TimeoutError:
        return ToolResult(f"error: the tool did not answer within {entry.spec.timeout:g}s", True)
    except OperationError as exc:
        if exc.kind == "tool_unavailable":
            raise
        return ToolResult(f"error: {exc}", True)
    except Exception as exc:  # a tool's failure is the model's to handle, not the operation's
        context.log.warning("tool raised", tool=data.name, exc_info=True)
        return ToolResult(f"error: {type(exc).__name__}: {exc}", True)


def _capped(result: ToolResult, entry: Entry) -> ToolResult:
    limit = entry.max_result_chars
    if len(result.content) <= limit:
        return result
    cut = result.content[:limit]
    note = f"\n[the result was cut at {limit} of {len(result.content)} characters]"
    return ToolResult(cut + note, result.is_error, result.data)


def _assistant(completion: Completion) -> Message:
    return {
        "role": "assistant",
        "content": completion.text or None,
        "tool_calls": [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in completion.tool_calls
        ],
    }
