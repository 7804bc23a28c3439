"""What the scheduler is asked to do, whatever the channel it came from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from raikoo_common.messages import (
    ChildRunFinished,
    OperationFailed,
    OperationHeartbeat,
    OperationSucceeded,
    RunCancelRequested,
    RunRequested,
    WaitResolved,
)


@dataclass(frozen=True)
class StartRun:
    request: RunRequested
    org_id: uuid.UUID


@dataclass(frozen=True)
class RetryDue:
    op_run_id: uuid.UUID


@dataclass(frozen=True)
class LeaseExpired:
    op_run_id: uuid.UUID
    attempt: int


@dataclass(frozen=True)
class DeadlinePassed:
    pass


@dataclass(frozen=True)
class RedispatchActive:
    pass


@dataclass(frozen=True)
class FromOrg:
    """A command that came over the bus on behalf of ``org_id`` (its envelope's): applied
    only to a run of that organisation."""

    org_id: uuid.UUID
    command: Command


Command = (
    StartRun
    | FromOrg
    | RunCancelRequested
    | WaitResolved
    | ChildRunFinished
    | OperationSucceeded
    | OperationFailed
    | OperationHeartbeat
    | RetryDue
    | LeaseExpired
    | DeadlinePassed
    | RedispatchActive
)
