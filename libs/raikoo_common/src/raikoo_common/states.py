"""The states a run and an operation run can be in: the scheduler moves them (its table of
moves is in raikoo_scheduler.domain.states), the API shows them."""

from __future__ import annotations

from enum import StrEnum


class RunState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    WAITING = "waiting"
    """Only durable waits are open (an approval, a timer): nothing holds a runner."""
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OpState(StrEnum):
    PENDING = "pending"
    READY = "ready"
    """Dispatched to a runner; holds a parallelism slot."""
    RUNNING = "running"
    RETRYING = "retrying"
    """A failed attempt waits for its backoff; holds no slot."""
    WAITING = "waiting"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


TERMINAL_RUN_STATES = frozenset({RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED})
TERMINAL_OP_STATES = frozenset(
    {OpState.SUCCEEDED, OpState.FAILED, OpState.SKIPPED, OpState.CANCELLED}
)
