"""``template.render``: render a Jinja template with the operation's own values.

The scheduler leaves ``template`` unrendered (``raikoo_common.workflow.deferred``), so the
template sees only ``values`` and runs in the workflows' one sandboxed environment, in a
worker process (``raikoo_op_runner.workers``): the operation's timeout kills
it on time, and the render has the bigger budget of a job there.
"""

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.runner import Kind, OperationContext, OperationError
from raikoo_op_runner.workers import WorkerFailed, run_template_job


class TemplateRenderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(
        description=(
            "Jinja template (sandboxed, the same language as workflow templates). It is "
            "rendered by the runner with `values` as its only names, e.g. `Hello {{ name }}`."
        )
    )
    values: dict[str, Any] = Field(
        default_factory=dict,
        description="Names the template can use; these are rendered by the workflow first.",
    )
    output: Literal["text", "json"] = Field(
        default="text",
        description="`json`: also parse the rendered text as JSON into `data`.",
    )
    trim: bool = Field(
        default=False, description="Strip leading and trailing whitespace of the rendered text."
    )


class TemplateRenderOutput(BaseModel):
    text: str = Field(description="The rendered text.")
    data: Any = Field(default=None, description="The text parsed as JSON (with `output: json`).")


async def execute(config: TemplateRenderConfig, context: OperationContext) -> TemplateRenderOutput:
    rendered = await _render(config.template, config.values)
    if isinstance(rendered, str):
        text = rendered.strip() if config.trim else rendered
        data = _parse_json(text) if config.output == "json" else None
    else:
        # A template that is one `{{ expression }}` gives that value itself, already data.
        text = _to_json(rendered)
        data = rendered if config.output == "json" else None
    return TemplateRenderOutput(text=text, data=data)


async def _render(template: str, values: dict[str, Any]) -> Any:
    request = {"job": "render", "template": template, "values": values, "where": "template"}
    try:
        reply = await run_template_job(request)
    except WorkerFailed as failure:
        message = f"template: the template did not finish: {failure}"
        raise OperationError(message, kind="template", retryable=False) from None
    if "error" in reply:
        raise OperationError(reply["error"]["message"], kind="template", retryable=False)
    return reply["ok"]


def _to_json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise OperationError(
            f"template: the expression's value cannot be written as JSON ({error})",
            kind="template",
            retryable=False,
        ) from None


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise OperationError(
            f"the rendered template is not JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}",
            kind="invalid_json",
            retryable=False,
        ) from None


KIND = Kind(
    name="template.render",
    family="programmatic",
    config=TemplateRenderConfig,
    output=TemplateRenderOutput,
    execute=execute,
    summary="Renders a sandboxed Jinja template with given values, as text or parsed JSON.",
)
