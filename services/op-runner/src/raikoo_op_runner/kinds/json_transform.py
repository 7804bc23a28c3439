"""``json.transform``: reshape data with a JMESPath expression.

The expression runs in a worker process (``raikoo_op_runner.workers``), with
the bounds of a template job: ``[@, @][]`` doubles a list per few characters, and the
operation's timeout must be able to stop it.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.runner import Kind, OperationContext, OperationError
from raikoo_op_runner.kinds._jmespath import Compiled, JMESPathExpression
from raikoo_op_runner.workers import WorkerFailed, run_template_job


class JsonTransformConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: Any = Field(description="The value to transform: any JSON value (object, list…).")
    expression: JMESPathExpression = Field(
        min_length=1,
        description=(
            "JMESPath expression applied to `data` (https://jmespath.org), e.g. "
            "`items[?status=='open'].{id: id, title: title}`. Checked when the workflow is saved."
        ),
    )


class JsonTransformOutput(BaseModel):
    result: Any = Field(description="What the expression gives; null when it matches nothing.")


async def execute(config: JsonTransformConfig, context: OperationContext) -> JsonTransformOutput:
    Compiled(config.expression, "expression")  # a templated expression is checked here
    request = {
        "job": "jmespath",
        "expression": config.expression,
        "data": config.data,
        "where": "expression",
        "about": "data",
    }
    try:
        reply = await run_template_job(request)
    except WorkerFailed as failure:
        message = f"expression: {config.expression!r} did not finish: {failure}"
        raise OperationError(message, kind="expression_error", retryable=False) from None
    if "error" in reply:
        error = reply["error"]
        raise OperationError(error["message"], kind=error["kind"], retryable=False)
    return JsonTransformOutput(result=reply["ok"])


KIND = Kind(
    name="json.transform",
    family="programmatic",
    config=JsonTransformConfig,
    output=JsonTransformOutput,
    execute=execute,
    summary="Selects, filters and reshapes JSON data with a JMESPath expression.",
)
