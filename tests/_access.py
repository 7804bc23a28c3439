"""Acting as an organization's owner in tests that call the gateway's services directly."""

from __future__ import annotations

import uuid

from raikoo_gateway.auth.principal import Access, Principal
from raikoo_gateway.service.tenancy import Tenant


def owner_of(tenant: Tenant, name: str = "test owner") -> Access:
    """The tenant, acted in by an owner key named ``name`` (as audit records show it)."""
    principal = Principal("key", uuid.uuid4(), name, tenant.org_id, "owner")
    return Access(tenant.org_id, tenant.project_id, principal)
