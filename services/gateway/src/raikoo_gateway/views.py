"""What the API answers about runs and operation runs. The models live in
``raikoo_common.api`` (the Python SDK returns them too); imported here for the routes."""

from __future__ import annotations

from raikoo_common.api.runs import (
    Approval,
    Approvals,
    Decision,
    Failure,
    LoopProgress,
    OperationCounts,
    OperationRun,
    ParentRef,
    Run,
    RunSummary,
    WorkflowRef,
)

__all__ = [
    "Approval",
    "Approvals",
    "Decision",
    "Failure",
    "LoopProgress",
    "OperationCounts",
    "OperationRun",
    "ParentRef",
    "Run",
    "RunSummary",
    "WorkflowRef",
]
