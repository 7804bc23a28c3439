"""Composition root of the gateway: builds the context, registers bus handlers and routes."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import Depends
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware.cors import CORSMiddleware

from raikoo_common.bus import Bus
from raikoo_common.outbox import OutboxRelay
from raikoo_common.runner import Catalog
from raikoo_common.secrets import SecretStore
from raikoo_common.storage import Artifacts
from raikoo_gateway import problems
from raikoo_gateway.body_limit import BodyLimit
from raikoo_gateway.body_screen import BodyScreen
from raikoo_gateway.browser_safety import BrowserGate, SecurityHeaders
from raikoo_gateway.context import GatewayContext
from raikoo_gateway.error_boundary import ErrorBoundary
from raikoo_gateway.events import EventHub
from raikoo_gateway.routes import (
    approvals,
    artifacts,
    health,
    kinds,
    operations,
    runs,
    secrets,
    workflows,
)
from raikoo_gateway.service.runs import PRODUCER
from raikoo_gateway.service.tenancy import ensure_default_tenant
from raikoo_gateway.settings import GatewaySettings

log = structlog.get_logger(__name__)


class Gateway:
    def __init__(
        self,
        settings: GatewaySettings,
        engine: AsyncEngine,
        bus: Bus,
        catalog: Catalog,
        artifacts: Artifacts | None = None,
        secrets: SecretStore | None = None,
        *,
        exclusive: bool = False,
    ) -> None:
        """``exclusive``: this process is the only user of the database (embedded mode)."""
        self.context = GatewayContext(
            settings=settings,
            engine=engine,
            bus=bus,
            relay=OutboxRelay(
                engine, bus, PRODUCER, lease=settings.outbox_lease_seconds, exclusive=exclusive
            ),
            hub=EventHub(bus, engine, settings.bus_max_deliveries),
            kinds={name: kind.describe() for name, kind in catalog.items()},
            kind_configs={name: kind.config for name, kind in catalog.items()},
            artifacts=artifacts,
            secrets=secrets,
        )

    async def start(self) -> None:
        self.context.tenant = await ensure_default_tenant(self.context.engine)
        await self.context.relay.start()
        await self.context.hub.start()
        self.context.ready = True

    async def stop(self) -> None:
        self.context.ready = False
        await self.context.hub.stop()
        await self.context.relay.stop()

    def asgi(self) -> Any:
        settings = self.context.settings
        # Swagger UI's assets come from the fastapi-offline package: /docs works offline.
        # ReDoc is off: one documentation page is enough to keep working and secured.
        app = FastAPIOffline(
            docs_url="/docs",
            redoc_url=None,
            static_url="/docs/assets",
            title="Raikoo",
            version="0.1.0",
            summary="Durable AI workflow automation",
            dependencies=[Depends(problems.refuse_nul)],
        )
        app.state.context = self.context
        problems.install(app)
        for module in (health, workflows, runs, approvals, artifacts, kinds, operations, secrets):
            app.include_router(module.router)
        inner: Any = BodyLimit(BodyScreen(app), settings.max_body_bytes)
        if settings.allowed_origins:
            inner = CORSMiddleware(
                inner,
                allow_origins=settings.allowed_origins,
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=["Location"],
            )
        trusted = settings.resolved_trusted_hosts()
        if trusted == ["*"]:
            log.warning(
                "any Host header is accepted: the API listens on all interfaces and "
                "RAIKOO_TRUSTED_HOSTS is not set; set it to the names clients use",
                host=settings.host,
            )
        gate = BrowserGate(inner, trusted, settings.allowed_origins)
        return SecurityHeaders(ErrorBoundary(gate))
