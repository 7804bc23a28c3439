"""What the API answers about runs and operation runs: the response models of their routes
(the OpenAPI document and the typed clients follow from them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.messages import OperationUsage
from raikoo_common.roles import Role
from raikoo_common.states import OpState, RunState


class Failure(BaseModel):
    """Why a run or an operation failed."""

    kind: str = Field(description="One of the error kinds (docs/operations.md): timeout, …")
    message: str
    where: str | None = Field(default=None, description="The operation or field it names")
    retryable: bool = True


class WorkflowRef(BaseModel):
    name: str
    version: int


class OperationCounts(BaseModel):
    total: int
    finished: int
    failed: int
    active: int


class ParentRef(BaseModel):
    """The run and operation (a ``workflow.call``) that started this run."""

    run_id: uuid.UUID
    op_run_id: uuid.UUID


class LoopProgress(BaseModel):
    key: str
    kind: str
    state: OpState
    total: int | None = Field(description="Body runs it launches; null for while/until")
    max_iterations: int | None
    done: int
    failed: int
    active: int


class RunSummary(BaseModel):
    id: uuid.UUID
    workflow: WorkflowRef
    state: RunState
    trigger: str
    idempotency_key: str | None
    inputs: dict[str, Any]
    outputs: dict[str, Any] | None
    error: Failure | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    operations: OperationCounts
    parent: ParentRef | None
    usage: OperationUsage | None = Field(
        default=None,
        description="What the run's AI operations spent (tokens, calls, cost), all attempts",
    )
    retry_of: uuid.UUID | None = Field(
        default=None, description="The failed run this run retries (POST /v1/runs/{id}/retry)"
    )


class Run(RunSummary):
    loops: list[LoopProgress] = Field(
        description="The progress of each loop operation, in plan order"
    )
    retries: list[uuid.UUID] = Field(
        default_factory=list, description="The runs that retried this one, oldest first"
    )


class OperationRun(BaseModel):
    id: uuid.UUID
    key: str
    kind: str
    state: OpState
    attempt: int
    item_index: int | None = Field(description="The item of its loop, for a loop's body run")
    output: Any
    error: Failure | None
    ready_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    next_attempt_at: datetime | None = Field(description="When a retrying operation tries again")
    usage: OperationUsage | None = Field(
        default=None, description="What an AI operation spent, per model and in all attempts"
    )
    reused_from: uuid.UUID | None = Field(
        default=None,
        description="In a retry: the operation run of an earlier run whose result this one "
        "took instead of running",
    )


class Approval(BaseModel):
    """An operation waiting for a decision, with what it asks (``wait.approval``'s config)."""

    model_config = ConfigDict(extra="allow")

    op_key: str
    op_run_id: uuid.UUID
    waiting_since: datetime | None
    message: str = ""
    required_role: Role | None = Field(default=None, description="The least role that decides")
    timeout_at: datetime | None = Field(default=None, description="When the wait times out")


class Approvals(BaseModel):
    items: list[Approval]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page"
    )


class Decision(BaseModel):
    op_key: str
    decision: Literal["approve", "reject"]
    decided_by: str
