"""``json.transform``: reshape data with a JMESPath expression."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.runner import Kind, OperationContext
from raikoo_op_runner.kinds._jmespath import Compiled, JMESPathExpression


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
    compiled = Compiled(config.expression, "expression")
    return JsonTransformOutput(result=compiled.search(config.data, "data"))


KIND = Kind(
    name="json.transform",
    family="programmatic",
    config=JsonTransformConfig,
    output=JsonTransformOutput,
    execute=execute,
    summary="Selects, filters and reshapes JSON data with a JMESPath expression.",
)
