from pydantic import BaseModel, ConfigDict

from raikoo_common.runner import Kind, OperationContext


class NoopConfig(BaseModel):
    model_config = ConfigDict(extra="allow")


async def execute(config: NoopConfig, context: OperationContext) -> None:
    return None


KIND = Kind(
    name="noop",
    family="programmatic",
    config=NoopConfig,
    output=None,
    execute=execute,
    summary="Does nothing and succeeds; accepts any config. Useful to join branches.",
)
