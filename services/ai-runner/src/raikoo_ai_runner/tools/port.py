"""The interface between the tool loop and a tool: a call in, a result out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class ToolCall:
    id: str
    """The model's id for the call; unique within the operation's answer."""
    name: str
    arguments: dict[str, Any]
    """Validated against the tool's JSON Schema already."""
    idempotency_key: str
    """Stable for this call of this attempt: a tool with side effects can pass it on."""


@dataclass(frozen=True)
class ToolResult:
    content: str
    """What the model is told."""
    is_error: bool = False
    data: Any = None
    """The result as data, where the tool has one (a workflow's outputs)."""


class ToolPort(Protocol):
    async def call(self, call: ToolCall) -> ToolResult: ...
