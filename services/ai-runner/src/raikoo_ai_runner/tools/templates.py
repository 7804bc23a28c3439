"""Tool templates rendered with the model's arguments (``args``): the workflows' own bounded
template language, with small bounds (a template over a tool call's arguments does little,
and it runs on the runner's event loop)."""

from __future__ import annotations

from typing import Any

from raikoo_common.runner import OperationError
from raikoo_common.workflow.bounds import RenderLimits
from raikoo_common.workflow.templates import TemplateError, render_value

TOOL_TEMPLATE_LIMITS = RenderLimits(
    max_steps=100_000, max_seconds=0.25, max_size=2_000_000, max_memory=32 * 2**20
)


def render_args(value: Any, arguments: dict[str, Any], where: str) -> Any:
    try:
        return render_value(value, {"args": arguments}, where=where, limits=TOOL_TEMPLATE_LIMITS)
    except TemplateError as exc:
        raise ToolTemplateError(str(exc)) from None


class ToolTemplateError(OperationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, kind="template", retryable=False)
