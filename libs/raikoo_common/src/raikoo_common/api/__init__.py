"""The API's typed answers, shared by the gateway (its response models) and the Python
SDK (what it returns). Pydantic only: a client imports no server."""

from __future__ import annotations

from raikoo_common.api.access import (
    AuditEvent,
    Invitation,
    InvitationCreated,
    Key,
    KeyCreated,
    Me,
    Member,
    Membership,
    Organization,
    Project,
)
from raikoo_common.api.pages import (
    PageOut,
)
from raikoo_common.api.problems import (
    ProblemDocument,
)
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
from raikoo_common.api.secrets import (
    Secret,
    SecretScope,
)
from raikoo_common.api.workflows import (
    VersionDiff,
    WorkflowSummary,
    WorkflowVersion,
    WorkflowVersionDetail,
)

__all__ = [
    "Approval",
    "Approvals",
    "AuditEvent",
    "Decision",
    "Failure",
    "Invitation",
    "InvitationCreated",
    "Key",
    "KeyCreated",
    "LoopProgress",
    "Me",
    "Member",
    "Membership",
    "OperationCounts",
    "OperationRun",
    "Organization",
    "PageOut",
    "ParentRef",
    "ProblemDocument",
    "Project",
    "Run",
    "RunSummary",
    "Secret",
    "SecretScope",
    "VersionDiff",
    "WorkflowRef",
    "WorkflowSummary",
    "WorkflowVersion",
    "WorkflowVersionDetail",
]
