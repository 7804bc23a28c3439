"""The caller of a request, once authenticated, and the tenant it acts in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from raikoo_common.workflow.control import ROLE_RANK, Role
from raikoo_gateway.service.tenancy import Tenant

Kind = Literal["key", "user", "embed"]


@dataclass(frozen=True)
class Principal:
    kind: Kind
    id: uuid.UUID
    """The API key's, the user's or the embed token's id."""
    name: str
    """Shown in audit records and approvals: the key's name or the user's."""
    org_id: uuid.UUID
    role: Role
    project_id: uuid.UUID | None = None
    """A key bound to one project acts in that project only."""
    session_id: uuid.UUID | None = None
    """Set when the caller signed in with a session cookie (writes then need CSRF)."""

    @property
    def actor_id(self) -> str:
        return f"{self.kind}:{self.id}"

    def at_least(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


@dataclass(frozen=True)
class Access(Tenant):
    """What a route works with: the tenant (organization and project) and who asks."""

    principal: Principal
