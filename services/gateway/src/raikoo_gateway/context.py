"""What routes need, built once by the composition root and typed for injection."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.bus import Bus
from raikoo_common.outbox import OutboxRelay
from raikoo_common.runner.kind import Catalog
from raikoo_common.secrets import SecretStore
from raikoo_common.storage import Artifacts
from raikoo_gateway.auth.authenticate import Authenticator
from raikoo_gateway.auth.embed import EmbedTokens
from raikoo_gateway.auth.policy import Projects
from raikoo_gateway.auth.rate_limit import RateLimiter
from raikoo_gateway.events import EventHub
from raikoo_gateway.service.signin import OidcClient
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.settings import GatewaySettings
from raikoo_gateway.webhooks.worker import WebhookWorker


class KindDescriptions(Mapping[str, dict[str, Any]]):
    """Kind name → its description (with the JSON Schemas of its config and output), each
    made the first time it is asked for: making all of them at start-up was ~0.1 s of the
    gateway's start-up CPU, for a list only the operation-kinds routes read."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._made: dict[str, dict[str, Any]] = {}

    def __getitem__(self, name: str) -> dict[str, Any]:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = self._catalog[name].describe()
        return made

    def __contains__(self, name: object) -> bool:
        return name in self._catalog  # Mapping's own would describe the kind to find it

    def __iter__(self) -> Iterator[str]:
        return iter(self._catalog)

    def __len__(self) -> int:
        return len(self._catalog)


@dataclass
class GatewayContext:
    settings: GatewaySettings
    engine: AsyncEngine
    bus: Bus
    relay: OutboxRelay
    hub: EventHub
    auth: Authenticator
    limiter: RateLimiter
    projects: Projects
    embed: EmbedTokens
    kinds: KindDescriptions
    """Kind name → its description (schemas), from the runners' catalogs."""
    kind_configs: dict[str, Any]
    kind_families: dict[str, str]
    artifacts: Artifacts | None = None
    """The artifact store runs write to; None where this gateway was given none."""
    secrets: SecretStore | None = None
    """Where secret values are written (embedded: the local encrypted store); None: no store."""
    tenant: Tenant | None = None
    webhooks: WebhookWorker | None = None
    """Sends outbound webhook deliveries (None in a gateway built without one)."""
    oidc: OidcClient | None = None
    """The OIDC provider's client, made on the first sign-in."""
    ready: bool = False


def _context(request: Request) -> GatewayContext:
    context: GatewayContext = request.app.state.context
    return context


def _tenant(request: Request) -> Tenant:
    tenant = _context(request).tenant
    if tenant is None:
        raise RuntimeError("gateway not started")
    return tenant


ContextDep = Annotated[GatewayContext, Depends(_context)]
TenantDep = Annotated[Tenant, Depends(_tenant)]
