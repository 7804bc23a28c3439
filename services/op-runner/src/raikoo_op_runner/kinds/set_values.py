from typing import Any

from pydantic import BaseModel, ConfigDict

from raikoo_common.runner import Kind, OperationContext


class SetConfig(BaseModel):
    model_config = ConfigDict(extra="allow")


async def execute(config: SetConfig, context: OperationContext) -> dict[str, Any]:
    return dict(config.model_extra or {})


KIND = Kind(
    name="set",
    family="programmatic",
    config=SetConfig,
    output=None,
    execute=execute,
    summary="Returns its rendered `with` values as its output (a mapping).",
)
