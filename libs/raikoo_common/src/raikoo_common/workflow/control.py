"""Control kinds: branching, loops and timers, evaluated by the scheduler itself.

The scheduler already renders every operation's config, so deciding a branch or
expanding a loop where the config is rendered saves two bus hops per decision and keeps
runners generic executors. These models give the kinds the same schemas, validation and
discoverability as runner kinds.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from raikoo_common import roles
from raikoo_common.runner.kind import Catalog, Kind
from raikoo_common.workflow.durations import Duration

MAX_ITEMS = 100_000
"""Most body executions one loop may have: beyond, split the work or use sub-workflows."""


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IfConfig(_Config):
    condition: Any = Field(
        description="Truthy runs the `then` operations, falsy the `else` ones. Strings "
        "'false', 'no', 'off', '0' and '' count as false."
    )


class IfOutput(BaseModel):
    branch: Literal["then", "else"]
    condition: bool


class SwitchConfig(_Config):
    value: Any = Field(description="Compared as text with each key of `cases`.")


class SwitchOutput(BaseModel):
    branch: str = Field(description="The matching case key, or `default`.")
    value: Any


OnError = Literal["fail_fast", "continue"]


class _LoopConfig(_Config):
    max_parallel: int = Field(
        default=10, ge=1, le=1000, description="Body executions running at once."
    )
    on_error: OnError = Field(
        default="fail_fast",
        description="fail_fast: the first failed item cancels the rest and fails the loop. "
        "continue: every item runs; failed items give null and are listed in "
        "`ops.<loop>.errors`.",
    )


class ForeachConfig(_LoopConfig):
    items: list[Any] = Field(description="The list to iterate over.")
    batch_size: int = Field(
        default=1, ge=1, le=10_000, description="Items per body execution; >1 makes `item` a list."
    )


class ForConfig(_LoopConfig):
    start: int = Field(default=0, description="First value of `item`.")
    stop: int = Field(description="Iteration ends before this value.")
    step: int = Field(default=1, description="Added each iteration; negative counts down.")

    @model_validator(mode="after")
    def _step_not_zero(self) -> ForConfig:
        if self.step == 0:
            raise ValueError("step must not be 0")
        return self


class ConditionLoopConfig(_Config):
    condition: str = Field(
        description="A `{{ expression }}` evaluated before (while) or after (until) each "
        "iteration; `item` is the latest iteration's output, `index` the iteration count."
    )
    max_iterations: int = Field(
        ge=1, le=MAX_ITEMS, description="Fail the loop rather than iterate more often."
    )


class DelayConfig(_Config):
    duration: Duration = Field(description="How long to wait: seconds or '30s', '5m', '2h'.")


class TimerOutput(BaseModel):
    waited_seconds: float


class WaitUntilConfig(_Config):
    until: AwareDatetime = Field(
        description="When to go on: an ISO 8601 time with a zone, e.g. 2026-12-01T09:00:00Z. "
        "A time in the past goes on at once."
    )


Role = roles.Role
ROLE_RANK = roles.ROLE_RANK


class WaitApprovalConfig(_Config):
    message: str = Field(default="", description="What the approvers are asked; shown by the API.")
    required_role: Role | None = Field(
        default=None, description="The least role that may decide (owner > admin > editor)."
    )
    timeout: Duration | None = Field(
        default=None, description="How long to wait for a decision (none: forever)."
    )
    on_timeout: Literal["fail", "approve", "reject"] = Field(
        default="fail", description="What a timeout means."
    )
    on_reject: Literal["fail", "continue"] = Field(
        default="fail",
        description="fail: a rejection fails the operation (kind `rejected`); continue: it "
        "succeeds with decision `reject`, for an `if` to branch on.",
    )


class ApprovalOutput(BaseModel):
    decision: Literal["approve", "reject"]
    decided_by: str
    role: str | None = None
    comment: str | None = None
    decided_at: str


MAX_CALL_DEPTH = 8
"""How deeply workflow.call may nest: bounds recursion, direct or through other workflows."""


class WorkflowCallConfig(_Config):
    workflow: str = Field(
        pattern=r"^[a-z0-9][a-z0-9._-]{0,127}$",
        description="Name of a workflow of the same project.",
    )
    version: int | None = Field(
        default=None,
        ge=1,
        description="The version to run; none: the latest when the operation starts (the "
        "version used is recorded).",
    )
    inputs: dict[str, Any] = Field(default_factory=dict, description="The child run's inputs.")


def _kind(
    name: str, config: type[BaseModel], output: type[BaseModel] | None, summary: str
) -> Kind[Any]:
    return Kind(
        name=name, family="control", config=config, output=output, execute=None, summary=summary
    )


CONTROL_KINDS: Catalog = {
    kind.name: kind
    for kind in (
        _kind(
            "if", IfConfig, IfOutput, "Runs its `then` or its `else` operations; skips the other."
        ),
        _kind("switch", SwitchConfig, SwitchOutput, "Runs the operations of the matching case."),
        _kind(
            "foreach",
            ForeachConfig,
            None,
            "Runs its `do` body per item (or batch); outputs in input order.",
        ),
        _kind("for", ForConfig, None, "Runs its `do` body for each number of a range."),
        _kind("while", ConditionLoopConfig, None, "Runs its `do` body while a condition holds."),
        _kind(
            "until",
            ConditionLoopConfig,
            None,
            "Runs its `do` body, again and again until a condition holds.",
        ),
        _kind(
            "delay",
            DelayConfig,
            TimerOutput,
            "Waits durably: holds no runner and survives restarts.",
        ),
        _kind("wait.until", WaitUntilConfig, TimerOutput, "Waits durably until a given time."),
        _kind(
            "wait.approval",
            WaitApprovalConfig,
            ApprovalOutput,
            "Pauses until someone approves or rejects through the API.",
        ),
        _kind(
            "workflow.call",
            WorkflowCallConfig,
            None,
            "Runs another workflow of the project as a child run; its outputs are the output.",
        ),
    )
}


def is_truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in {"", "false", "no", "off", "0", "none", "null"}
    return bool(value)
