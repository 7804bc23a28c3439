"""What an operation kind is: a config schema, an output schema and an async ``execute``."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import structlog
from pydantic import BaseModel

from raikoo_common.budgets import BudgetLedger
from raikoo_common.messages import OperationUsage
from raikoo_common.storage.artifacts import ArtifactScope

ConfigT = TypeVar("ConfigT", bound=BaseModel)


def _ignore(_: Any) -> None:
    return None


@dataclass(frozen=True)
class OperationContext:
    org_id: uuid.UUID
    project_id: uuid.UUID
    run_id: uuid.UUID
    op_run_id: uuid.UUID
    op_key: str
    attempt: int
    log: structlog.typing.FilteringBoundLogger
    artifacts: ArtifactScope | None = None
    """Files this operation writes or reads (None where the runner has no store)."""
    dry_run: bool = False
    """Run without side effects: return the configured mock, call no provider or tool."""
    stream: Callable[[str], None] = _ignore
    """Publish text the operation is writing (an AI answer as it arrives) to live listeners;
    the executor batches it. Never blocks."""
    record_usage: Callable[[OperationUsage], None] = _ignore
    """Report what the operation has spent so far (cumulative, the latest call wins); the
    executor puts it on the result, whether the operation succeeds or fails."""
    budgets: BudgetLedger | None = None
    """Where model calls reserve their estimate before they are made and settle what they
    spent after (None: this runner enforces no budgets, as in unit tests)."""

    @property
    def idempotency_key(self) -> str:
        """The same for every execution of this attempt — a redelivery after a crash runs
        it again with the same key — and different for the next attempt, so a service
        that honours it (an ``Idempotency-Key`` header) performs a side effect once."""
        return f"{self.op_run_id}:{self.attempt}"


class OperationError(Exception):
    """An operation failed in a way it can explain; the scheduler applies the retry policy."""

    def __init__(self, message: str, *, kind: str = "error", retryable: bool = True) -> None:
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable


class RunnerFault(Exception):
    """The runner itself cannot process this message now (e.g. a dependency is down).

    It is not reported as an operation result: the bus redelivers the message and, after
    the configured number of deliveries, dead-letters it; the run then fails with the reason.
    """


@dataclass(frozen=True)
class Kind(Generic[ConfigT]):
    name: str
    family: Literal["programmatic", "ai", "control"]
    """``control`` kinds (if, switch, loops, timers) are evaluated by the scheduler itself."""
    config: type[ConfigT]
    output: type[BaseModel] | None
    execute: Callable[[ConfigT, OperationContext], Awaitable[Any]] | None
    summary: str

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "family": self.family,
            "summary": self.summary,
            "config_schema": self.config.model_json_schema(),
            "output_schema": self.output.model_json_schema() if self.output else {},
        }


Catalog = Mapping[str, Kind[Any]]
