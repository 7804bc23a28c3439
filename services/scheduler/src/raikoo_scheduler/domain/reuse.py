"""Retry from failure: which results of the failed run a retry takes instead of running.

An operation's result is reused when it succeeded (or was skipped: an untaken branch, a
false ``when``) in the original run and every operation it needs was reused too, so its
inputs are the ones it had. Everything else — what failed or was cancelled, and all that
depends on it — runs again. Only the workflow's own operations are judged: a loop whose
items partly failed failed as a whole and runs again whole; a reused loop keeps its output
(and its progress counters) but gets no body runs. A failed ``workflow.call`` starts a new
child run; a succeeded one keeps the child's outputs.
"""

from __future__ import annotations

from collections.abc import Iterable

from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord
from raikoo_scheduler.domain.states import OpState

REUSABLE_STATES = frozenset({OpState.SUCCEEDED, OpState.SKIPPED})


def reusable(plan: Plan, original: Iterable[OpRecord]) -> dict[str, OpRecord]:
    """The original operation runs whose results a retry reuses, by key."""
    by_key = {op.key: op for op in original if op.parent_id is None}
    reused: dict[str, OpRecord] = {}
    for key in plan.order:  # dependencies first: a key's needs are judged before it
        op = by_key.get(key)
        if op is None or op.state not in REUSABLE_STATES:
            continue
        if all(need in reused for need in plan.needs[key]):
            reused[key] = op
    return reused


def take_result(op: OpRecord, source: OpRecord) -> None:
    """``op`` (new, pending) becomes what ``source`` ended as, linked to the operation run
    that produced the result (the first one, when ``source`` was itself reused)."""
    op.state = source.state
    op.attempt = source.attempt
    op.output = source.output
    op.loop = source.loop
    op.needs_pending = 0
    op.ready_at = source.ready_at
    op.started_at = source.started_at
    op.finished_at = source.finished_at
    op.reused_from = source.reused_from or source.id
