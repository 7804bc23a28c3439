"""The scheduler's view of a run and its operation runs, as plain data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

TERMINAL_OP_STATES = frozenset({"succeeded", "failed", "skipped", "cancelled"})
ACTIVE_OP_STATES = frozenset({"ready", "running"})
TERMINAL_RUN_STATES = frozenset({"succeeded", "failed", "cancelled"})


@dataclass
class RunRecord:
    id: uuid.UUID
    org_id: uuid.UUID
    project_id: uuid.UUID
    workflow_version_id: uuid.UUID
    state: str
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
    outputs: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    deadline_at: datetime | None = None

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_RUN_STATES


@dataclass
class OpRecord:
    id: uuid.UUID
    run_id: uuid.UUID
    key: str
    kind: str
    seq: int
    state: str
    needs_pending: int
    created_at: datetime
    attempt: int = 1
    needs_failed: int = 0
    output: Any = None
    error: dict[str, Any] | None = None
    ready_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    lease_expires_at: datetime | None = None
    next_attempt_at: datetime | None = None

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_OP_STATES

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_OP_STATES
