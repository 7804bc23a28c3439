from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.runner import Kind, OperationContext, OperationError, RunnerFault


class FailConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = "failed on purpose"
    error_kind: str = Field(
        default="error", description="Error kind reported (retry `on` matches it)"
    )
    retryable: bool = True
    fail_attempts: int | None = Field(
        default=None,
        ge=1,
        description="Fail only the first N attempts, then succeed (to exercise retry policies).",
    )
    runner_fault: bool = Field(
        default=False,
        description=(
            "Simulate a runner fault instead of an operation failure: the message is "
            "redelivered and finally dead-lettered, as when a runner dependency is down."
        ),
    )


async def execute(config: FailConfig, context: OperationContext) -> None:
    if config.fail_attempts is not None and context.attempt > config.fail_attempts:
        return
    if config.runner_fault:
        raise RunnerFault(config.message)
    raise OperationError(config.message, kind=config.error_kind, retryable=config.retryable)


KIND = Kind(
    name="fail",
    family="programmatic",
    config=FailConfig,
    output=None,
    execute=execute,
    summary="Fails with a given message (for tests, demos and exercising failure handling).",
)
