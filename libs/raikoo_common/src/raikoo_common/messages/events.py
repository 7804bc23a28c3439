"""Events and commands on the bus (DESIGN.md §3): past tense = event, imperative = command."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from raikoo_common.messages.envelope import (
    Envelope,
    MalformedMessage,
    Message,
    register,
    summarize,
)


class ErrorInfo(BaseModel):
    """Why an operation or run failed: kind, message and where."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    message: str
    where: str | None = None
    retryable: bool = True


class TokenUsage(BaseModel):
    """What model calls spent: tokens, calls and, when every model's price is known, cost."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)
    cached_tokens: int = Field(default=0, ge=0, description="Prompt tokens served from cache.")
    reasoning_tokens: int = Field(
        default=0, ge=0, description="Completion tokens the model spent reasoning."
    )
    total_tokens: int = Field(default=0, ge=0)
    calls: int = Field(default=0, ge=0, description="Provider calls made (embeddings included).")
    cost: float | None = Field(
        default=None, ge=0, description="In US dollars; null when a model's price is unknown."
    )


class OperationUsage(TokenUsage):
    """An AI operation's usage, reported on its result (succeeded or failed) so that the
    scheduler can account it against budgets; a failed operation reports what it spent."""

    by_model: dict[str, TokenUsage] = Field(default_factory=dict)


def _unset(value: object) -> bool:
    # Optional fields newer than a message type stay off the wire while unset, so a process
    # of the previous release still reads the message (its models forbid unknown fields).
    return value is None or value is False


class ParentRun(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: uuid.UUID
    op_run_id: uuid.UUID
    call_depth: int = Field(ge=1)
    """How deep this child run is: 1 for a run called by a top-level run."""


@register
class RunRequested(Message):
    TYPE = "run.requested"

    run_id: uuid.UUID
    project_id: uuid.UUID
    workflow_version_id: uuid.UUID
    inputs: dict[str, Any] = Field(default_factory=dict)
    trigger: str = "api"
    requested_at: AwareDatetime
    parent: ParentRun | None = None
    """Set when a ``workflow.call`` operation of another run started this one."""
    dry_run: bool = Field(default=False, exclude_if=_unset)
    """AI operations return their mocks instead of calling providers and tools; a child
    run of a dry run is one too."""
    retry_of: uuid.UUID | None = Field(default=None, exclude_if=_unset)
    """The failed run this one retries: the results of its succeeded operations are reused
    (those whose needs were reused too); the others run again."""


@register
class RunCancelRequested(Message):
    TYPE = "run.cancel_requested"

    run_id: uuid.UUID
    reason: str = "cancelled by request"


@register
class WaitResolved(Message):
    """Someone decided an open ``wait.approval``."""

    TYPE = "wait.resolved"

    run_id: uuid.UUID
    op_key: str
    decision: Literal["approve", "reject"]
    decided_by: str
    role: str
    comment: str | None = None
    decided_at: AwareDatetime


@register
class ChildRunFinished(Message):
    """A run started by ``workflow.call`` ended; its parent operation takes the outcome."""

    TYPE = "run.child_finished"

    parent_run_id: uuid.UUID
    parent_op_run_id: uuid.UUID
    child_run_id: uuid.UUID
    state: Literal["succeeded", "failed", "cancelled"]
    outputs: dict[str, Any] | None = None
    error: ErrorInfo | None = None


@register
class OperationReady(Message):
    TYPE = "operation.ready"

    op_run_id: uuid.UUID
    run_id: uuid.UUID
    project_id: uuid.UUID
    op_key: str
    attempt: int
    kind: str
    config: dict[str, Any]
    timeout_seconds: float | None = None
    deadline: AwareDatetime | None = None
    dry_run: bool = Field(default=False, exclude_if=_unset)
    """Run without side effects: AI kinds return their configured mock instead of calling a
    provider or a tool (``OperationContext.dry_run``)."""


@register
class OperationSucceeded(Message):
    TYPE = "operation.succeeded"

    op_run_id: uuid.UUID
    attempt: int
    output: Any = None
    started_at: AwareDatetime
    finished_at: AwareDatetime
    usage: OperationUsage | None = Field(default=None, exclude_if=_unset)
    execution: uuid.UUID | None = Field(default=None, exclude_if=_unset)
    """Which execution of the attempt reported ``usage`` (``OperationHeartbeat.execution``)."""


@register
class OperationFailed(Message):
    TYPE = "operation.failed"

    op_run_id: uuid.UUID
    attempt: int
    error: ErrorInfo
    started_at: AwareDatetime | None = None
    finished_at: AwareDatetime
    usage: OperationUsage | None = Field(default=None, exclude_if=_unset)
    execution: uuid.UUID | None = Field(default=None, exclude_if=_unset)
    """Which execution of the attempt reported ``usage`` (``OperationHeartbeat.execution``)."""


class RunResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: uuid.UUID
    result: OperationSucceeded | OperationFailed


@register
class OperationResults(Message):
    """Results of several operation runs of one organisation (the envelope's ``org_id``; its
    ``run_id`` when they all belong to one run), sent as one message when they finished
    together on a runner: one publish and one delivery instead of one each. A lone result
    travels as itself. Each result is applied once, as if it had come on its own."""

    TYPE = "operation.results"

    results: list[RunResult] = Field(min_length=1)


def open_results(envelope: Envelope) -> tuple[list[RunResult], list[str]]:
    """The results an ``operation.results`` envelope carries, each validated on its own so
    that one malformed result does not hold the others back: (the valid ones, a problem
    naming the index of each invalid one). Raises MalformedMessage if there is no list of
    results at all."""
    if envelope.message_type() is not OperationResults:
        raise ValueError(f"{envelope.type} is not {OperationResults.TYPE}")
    items = envelope.payload.get("results")
    if not isinstance(items, list) or not items or set(envelope.payload) != {"results"}:
        raise MalformedMessage(
            f"{envelope.type}: invalid payload: expected only 'results', a non-empty list"
        )
    valid: list[RunResult] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            valid.append(RunResult.model_validate(item))
        except ValidationError as exc:
            problems.append(f"results.{index}: {summarize(exc)}")
    return valid, problems


@register
class OperationHeartbeat(Message):
    """Sent by a runner while an operation runs longer than a moment; extends its lease.
    An AI operation also sends one after each model call with what it has spent so far, so
    that the calls of an execution that never reports a result (its runner killed) are
    counted all the same."""

    TYPE = "operation.heartbeat"

    op_run_id: uuid.UUID
    attempt: int
    started_at: AwareDatetime
    usage: OperationUsage | None = Field(default=None, exclude_if=_unset)
    """What this execution has spent so far (a running total: the latest one counts)."""
    execution: uuid.UUID | None = Field(default=None, exclude_if=_unset)
    """One execution of the attempt: a message redelivered after its runner died is
    executed again, as a new execution of the same attempt, whose calls count too."""


@register
class CancelOperations(Message):
    TYPE = "operations.cancel"

    run_id: uuid.UUID
    op_run_ids: list[uuid.UUID]


class OperationAttempt(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    run_id: uuid.UUID
    op_run_id: uuid.UUID
    attempt: int


@register
class CheckOperations(Message):
    """A runner holds dispatches older than what it knows of cancellations (it started, or
    reconnected, after they were sent): which of them should still run? Answered by
    ``OperationsChecked`` on ``ops.control``."""

    TYPE = "operations.check"

    query_id: uuid.UUID
    items: list[OperationAttempt] = Field(min_length=1, max_length=1000)


@register
class OperationsChecked(Message):
    TYPE = "operations.checked"

    query_id: uuid.UUID
    stale: list[uuid.UUID]
    """Operation runs of the query that must not run: their run ended, they were cancelled
    or settled, or another attempt replaced the one asked about."""


@register
class OperationOutputDelta(Message):
    """Text an operation is writing (an AI answer, as its tokens arrive), broadcast on
    ``runs.events`` for live listeners only: never stored, not resumable — the operation's
    output, recorded once when it ends, is the record. ``index`` counts the deltas of one
    attempt from 0, so a listener can tell a gap or a repeat."""

    TYPE = "operation.output_delta"

    run_id: uuid.UUID
    op_run_id: uuid.UUID
    op_key: str
    attempt: int
    index: int = Field(ge=0)
    text: str


RunState = Literal["queued", "running", "waiting", "succeeded", "failed", "cancelled"]
OperationState = Literal[
    "pending",
    "ready",
    "running",
    "retrying",
    "waiting",
    "succeeded",
    "failed",
    "skipped",
    "cancelled",
]


@register
class RunStateChanged(Message):
    TYPE = "run.state_changed"

    run_id: uuid.UUID
    seq: int
    state: RunState
    at: AwareDatetime
    outputs: dict[str, Any] | None = None
    error: ErrorInfo | None = None


@register
class OperationStateChanged(Message):
    TYPE = "operation.state_changed"

    run_id: uuid.UUID
    seq: int
    op_run_id: uuid.UUID
    op_key: str
    state: OperationState
    attempt: int
    at: AwareDatetime
    error: ErrorInfo | None = None


class RecordedEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int
    type: str
    data: dict[str, Any]
    """The RunStateChanged / OperationStateChanged payload, as stored in run_events."""


@register
class RunEventsRecorded(Message):
    """Events recorded for a run, in order, broadcast as one message: live listeners need
    them promptly, and one message per commit (or per several commits that piled up while
    the previous broadcast was in flight) keeps them cheap."""

    TYPE = "run.events_recorded"

    run_id: uuid.UUID
    events: list[RecordedEvent]


@register
class RunEventsBatch(Message):
    """Events of several runs of one organisation, broadcast as one message when they piled
    up together (many runs busy at once): one publish and one delivery per listener process
    instead of one per run."""

    TYPE = "run.events_batch"

    runs: list[RunEventsRecorded] = Field(min_length=1)
