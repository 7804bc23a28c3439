"""The scheduler's view of a run and its operation runs, as plain data."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

_INDEX = re.compile(r"\[\d+\]")
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
    trigger: str = "api"
    """What started the run: api, cli, workflow.call… (``run.trigger`` in templates)."""
    waits_open: int = 0
    """Operations waiting for a person or a time: with nothing active, the run is waiting."""
    parent_run_id: uuid.UUID | None = None
    parent_op_run_id: uuid.UUID | None = None
    call_depth: int = 0
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
    needs_skipped: int = 0
    parent_id: uuid.UUID | None = None
    """The loop operation run this one is a body run of."""
    item_index: int | None = None
    loop: dict[str, Any] | None = None
    """A loop's progress (see ``loops.LoopProgress``)."""
    items: list[Any] | None = None
    """A loop's items: stored once when it starts, never rewritten."""
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
