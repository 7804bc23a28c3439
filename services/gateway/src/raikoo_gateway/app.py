"""Composition root of the gateway: builds the context, registers bus handlers and routes."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.bus import Bus
from raikoo_common.outbox import OutboxRelay
from raikoo_common.runner import Catalog
from raikoo_common.secrets import SecretStore
from raikoo_common.storage import Artifacts
from raikoo_gateway import problems
from raikoo_gateway.body_limit import BodyLimit
from raikoo_gateway.context import GatewayContext
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
            hub=EventHub(bus, settings.bus_max_deliveries),
            kinds={name: kind.describe() for name, kind in catalog.items()},
            kind_configs={name: kind.config for name, kind in catalog.items()},
            artifacts=artifacts,
            secrets=secrets,
        )

    async def start(self) -> None:
        self.context.tenant = await ensure_default_tenant(self.context.engine)
        await self.context.relay.start()
        self.context.ready = True

    async def stop(self) -> None:
        self.context.ready = False
        await self.context.relay.stop()

    def asgi(self) -> Any:
        app = FastAPI(
            title="Raikoo",
            version="0.1.0",
            summary="Durable AI workflow automation",
            dependencies=[Depends(problems.refuse_nul)],
        )
        app.state.context = self.context
        problems.install(app)
        for module in (health, workflows, runs, approvals, artifacts, kinds, operations, secrets):
            app.include_router(module.router)
        return BodyLimit(app, self.context.settings.max_body_bytes)
