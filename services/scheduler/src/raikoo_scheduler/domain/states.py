"""The states of runs and operation runs, and the one table of moves between them.

A move outside the table is a bug in the scheduler, not a fact about the world: it raises
``IllegalTransition`` (the run then fails with an internal error, instead of drifting into
a state nothing will ever leave).
"""

from __future__ import annotations

from raikoo_common.states import TERMINAL_OP_STATES, TERMINAL_RUN_STATES, OpState, RunState

__all__ = [
    "ACTIVE_OP_STATES",
    "OP_TRANSITIONS",
    "RUN_TRANSITIONS",
    "TERMINAL_OP_STATES",
    "TERMINAL_RUN_STATES",
    "UNFINISHED_OP_STATES",
    "IllegalTransition",
    "OpState",
    "RunState",
    "check_op_move",
    "check_run_move",
]

ACTIVE_OP_STATES = frozenset({OpState.READY, OpState.RUNNING})
"""Held by a runner (or, for loops and calls, running in the scheduler)."""
UNFINISHED_OP_STATES = frozenset(OpState) - TERMINAL_OP_STATES

_ENDS = {OpState.SUCCEEDED, OpState.FAILED, OpState.CANCELLED}

OP_TRANSITIONS: dict[OpState, frozenset[OpState]] = {
    # Dispatched, skipped, failed before dispatch, or decided here (a branch, a loop or a
    # call starting, a wait parking).
    OpState.PENDING: frozenset(
        {OpState.READY, OpState.RUNNING, OpState.WAITING, OpState.SKIPPED, *_ENDS}
    ),
    # READY → READY: sent again after a restart of a bus that keeps nothing.
    OpState.READY: frozenset({OpState.READY, OpState.RUNNING, OpState.RETRYING, *_ENDS}),
    OpState.RUNNING: frozenset({OpState.READY, OpState.RETRYING, *_ENDS}),
    OpState.RETRYING: frozenset({OpState.PENDING, OpState.CANCELLED}),
    OpState.WAITING: frozenset({OpState.RETRYING, *_ENDS}),
    OpState.SUCCEEDED: frozenset(),
    OpState.FAILED: frozenset(),
    OpState.SKIPPED: frozenset(),
    OpState.CANCELLED: frozenset(),
}

RUN_TRANSITIONS: dict[RunState, frozenset[RunState]] = {
    RunState.QUEUED: frozenset({RunState.RUNNING, RunState.FAILED, RunState.CANCELLED}),
    RunState.RUNNING: frozenset(
        {RunState.WAITING, RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED}
    ),
    RunState.WAITING: frozenset(
        {RunState.RUNNING, RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED}
    ),
    RunState.SUCCEEDED: frozenset(),
    RunState.FAILED: frozenset(),
    RunState.CANCELLED: frozenset(),
}


class IllegalTransition(RuntimeError):
    def __init__(self, what: str, current: str, wanted: str) -> None:
        super().__init__(f"{what} cannot go from {current} to {wanted}")


def check_op_move(key: str, current: OpState, wanted: OpState) -> None:
    if wanted not in OP_TRANSITIONS[current]:
        raise IllegalTransition(f"operation {key!r}", current, wanted)


def check_run_move(current: RunState, wanted: RunState) -> None:
    if wanted not in RUN_TRANSITIONS[current]:
        raise IllegalTransition("the run", current, wanted)
