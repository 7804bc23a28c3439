"""The scheduler's view of a run and its operation runs, as plain data."""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from raikoo_common.messages import OperationUsage
from raikoo_common.usage import added, increase
from raikoo_scheduler.domain.states import (
    ACTIVE_OP_STATES,
    TERMINAL_OP_STATES,
    TERMINAL_RUN_STATES,
    OpState,
    RunState,
)

_INDEX = re.compile(r"\[\d+\]")


@dataclass
class RunRecord:
    id: uuid.UUID
    org_id: uuid.UUID
    project_id: uuid.UUID
    workflow_version_id: uuid.UUID
    state: RunState
    inputs: dict[str, Any]
    max_parallel: int
    fail_fast: bool
    ops_total: int
    created_at: datetime
    active_ops: int = 0
    ops_done: int = 0
    ops_failed: int = 0
    event_seq: int = 0
    version: int = 0
    """Bumped by every committed change; validates a scheduler's cached copy of the run."""
    trigger: str = "api"
    """What started the run: api, cli, workflow.call… (``run.trigger`` in templates)."""
    waits_open: int = 0
    """Operations waiting for a person or a time: with nothing active, the run is waiting."""
    parent_run_id: uuid.UUID | None = None
    parent_op_run_id: uuid.UUID | None = None
    call_depth: int = 0
    dry_run: bool = False
    """AI operations return their mocks (``OperationReady.dry_run``)."""
    outputs: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    deadline_at: datetime | None = None
    usage: dict[str, Any] | None = None
    """What the run's AI operations spent, all attempts (an OperationUsage as JSON)."""

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_RUN_STATES

    def spent(self, usage: OperationUsage) -> None:
        self.usage = added(self.usage, usage)

    # The counters change only here, so what they mean is written down once.

    @property
    def free_slots(self) -> int:
        return self.max_parallel - self.active_ops

    @property
    def all_settled(self) -> bool:
        return self.ops_done >= self.ops_total

    def slot_taken(self) -> None:
        """An operation went to a runner (or a loop or call started here)."""
        self.active_ops += 1

    def slot_freed(self) -> None:
        if self.active_ops <= 0:
            raise RuntimeError(f"run {self.id}: a slot freed with none taken")
        self.active_ops -= 1

    def slots_cleared(self) -> None:
        """Nothing of the run holds a slot any more (it ended, or everything was stopped)."""
        self.active_ops = 0

    def ops_planned(self, count: int) -> None:
        """Operation runs were added (a loop launched an item)."""
        self.ops_total += count

    def op_settled(self, *, failed: bool) -> None:
        self.ops_done += 1
        self.ops_failed += failed

    def wait_moved(self, before: OpState, after: OpState) -> None:
        self.waits_open += (after == OpState.WAITING) - (before == OpState.WAITING)


@dataclass
class LoopProgress:
    """A loop's counters, kept on its own operation run (JSON in the ``loop`` column)."""

    mode: Literal["items", "while", "until"]
    max_parallel: int
    on_error: Literal["fail_fast", "continue"]
    next: int = 0
    """Index of the next body run to launch (= body runs launched so far)."""
    done: int = 0
    failed: int = 0
    active: int = 0
    total: int | None = None
    """Body runs in all (items mode: items, or batches of them)."""
    batch: int = 1
    max_iterations: int | None = None
    """Condition loops only."""

    def launched(self) -> None:
        self.next += 1
        self.active += 1

    def item_finished(self, *, failed: bool) -> None:
        self.done += 1
        self.active -= 1
        self.failed += failed

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> LoopProgress | None:
        if data is None:
            return None
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class OpRecord:
    id: uuid.UUID
    run_id: uuid.UUID
    key: str
    kind: str
    seq: int
    state: OpState
    needs_pending: int
    created_at: datetime
    attempt: int = 1
    needs_failed: int = 0
    needs_skipped: int = 0
    parent_id: uuid.UUID | None = None
    """The loop operation run this one is a body run of."""
    item_index: int | None = None
    loop: LoopProgress | None = None
    items: list[Any] | None = None
    """A loop's items: stored once when it starts, never rewritten."""
    output: Any = None
    error: dict[str, Any] | None = None
    ready_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    lease_expires_at: datetime | None = None
    next_attempt_at: datetime | None = None
    usage: dict[str, Any] | None = None
    """What this AI operation spent, all attempts (an OperationUsage as JSON)."""
    usage_counted: dict[str, Any] | None = None
    """Each execution's running total counted in ``usage`` so far, by execution (an
    execution that reported none: its attempt, ``attempt:N``)."""
    reused_from: uuid.UUID | None = None
    """In a retry: the operation run of an earlier run whose result this one took."""

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_OP_STATES

    def spent(
        self, usage: OperationUsage, attempt: int, execution: uuid.UUID | None
    ) -> OperationUsage | None:
        """Count an execution's running total: what it adds to what was counted of that
        execution, or None if nothing (a result redelivered, a total passed by a later one).
        Every execution counts, those of one attempt too: a runner killed mid-operation
        made its calls, and the execution that ran the attempt again made its own."""
        key = f"attempt:{attempt}" if execution is None else str(execution)
        counted = self.usage_counted or {}
        more = increase(counted.get(key), usage)
        if more is None:
            return None
        self.usage = added(self.usage, more)
        self.usage_counted = {**counted, key: usage.model_dump(mode="json")}
        return more

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_OP_STATES

    @property
    def template(self) -> str:
        return self.key if self.item_index is None else template_key(self.key)


@lru_cache(maxsize=65536)
def template_key(key: str) -> str:
    """``loop[7].fetch`` → ``loop[].fetch``: the plan's key for an operation run's key."""
    return _INDEX.sub("[]", key, count=1)


def instance_key(template: str, index: int | None) -> str:
    """``loop[].fetch``, 7 → ``loop[7].fetch``; a workflow operation's key is its own."""
    return template if index is None else template.replace("[]", f"[{index}]", 1)
