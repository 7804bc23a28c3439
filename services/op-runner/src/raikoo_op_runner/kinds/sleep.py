import asyncio

from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.runner import Kind, OperationContext
from raikoo_common.workflow.durations import Duration


class SleepConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duration: Duration = Field(description="How long to sleep: seconds or '500ms', '2s', '1m'")


class SleepOutput(BaseModel):
    slept_seconds: float


async def execute(config: SleepConfig, context: OperationContext) -> SleepOutput:
    await asyncio.sleep(config.duration)
    return SleepOutput(slept_seconds=config.duration)


KIND = Kind(
    name="sleep",
    family="programmatic",
    config=SleepConfig,
    output=SleepOutput,
    execute=execute,
    summary="Waits for a duration, holding a runner slot (use `delay` for durable waits).",
)
