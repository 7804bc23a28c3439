"""Composition root of the gateway: builds the context, registers bus handlers and routes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware.cors import CORSMiddleware

from raikoo_common.bus import Bus
from raikoo_common.outbox import OutboxRelay
from raikoo_common.runner import Catalog
from raikoo_common.secrets import SecretStore
from raikoo_common.storage import Artifacts
from raikoo_gateway import problems
from raikoo_gateway.auth.authenticate import Authenticator
from raikoo_gateway.auth.embed import EmbedTokens
from raikoo_gateway.auth.policy import Projects, require_policies, served_routes
from raikoo_gateway.auth.rate_limit import RateLimiter
from raikoo_gateway.body_limit import BodyLimit
from raikoo_gateway.body_screen import BodyScreen
from raikoo_gateway.browser_safety import BrowserGate, SecurityHeaders
from raikoo_gateway.console import Console, api_segments
from raikoo_gateway.context import GatewayContext, KindDescriptions
from raikoo_gateway.error_boundary import ErrorBoundary
from raikoo_gateway.events import EventHub
from raikoo_gateway.routes import (
    access,
    approvals,
    artifacts,
    auth,
    budgets,
    chats,
    embed,
    embed_tokens,
    health,
    hook_calls,
    hooks,
    kinds,
    ledger,
    operations,
    personas,
    providers,
    runs,
    schedules,
    secrets,
    tools,
    webhooks,
    workflows,
)
from raikoo_gateway.schedules.ticker import ScheduleTicker
from raikoo_gateway.service.bootstrap import ensure_key, ensure_local_admin
from raikoo_gateway.service.runs import PRODUCER
from raikoo_gateway.service.tenancy import ensure_default_tenant
from raikoo_gateway.settings import GatewaySettings
from raikoo_gateway.webhooks.delivery import DeliveryPolicy
from raikoo_gateway.webhooks.worker import WebhookWorker

log = structlog.get_logger(__name__)

DOCUMENTATION_ROUTES = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect"})
"""The API's own documentation: open to anyone, like the OpenAPI document it serves."""

ROUTERS = (
    health,
    access,
    auth,
    workflows,
    runs,
    approvals,
    artifacts,
    kinds,
    operations,
    providers,
    personas,
    tools,
    secrets,
    chats,
    hooks,
    hook_calls,
    webhooks,
    embed_tokens,
    embed,
    budgets,
    ledger,
    schedules,
)


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
            auth=Authenticator(engine),
            limiter=RateLimiter(engine),
            projects=Projects(engine),
            embed=EmbedTokens(engine),
            kinds=KindDescriptions(catalog),
            kind_configs={name: kind.config for name, kind in catalog.items()},
            kind_families={name: kind.family for name, kind in catalog.items()},
            artifacts=artifacts,
            secrets=secrets,
            webhooks=WebhookWorker(
                engine,
                DeliveryPolicy(
                    retry_seconds=settings.webhook_retry_seconds,
                    disable_after=settings.webhook_disable_after_seconds,
                    timeout=settings.webhook_timeout_seconds,
                    lease=settings.webhook_lease_seconds,
                    retention=timedelta(days=settings.webhook_delivery_retention_days),
                ),
                settings.webhook_allow_list,
                poll=settings.webhook_poll_seconds,
                batch=settings.webhook_batch,
            ),
        )
        self.ticker = ScheduleTicker(
            engine,
            self.context.relay,
            every=settings.schedule_tick_seconds if settings.schedules_fire else None,
            grace=timedelta(seconds=settings.schedule_grace_seconds),
        )
        self.exclusive = exclusive
        self.new_local_admin_key: str | None = None
        """Embedded mode's local admin key, when this start made it (to be shown once)."""

    async def start(self) -> None:
        context, settings = self.context, self.context.settings
        context.tenant = tenant = await ensure_default_tenant(context.engine)
        if self.exclusive:
            self.new_local_admin_key = await ensure_local_admin(
                context.engine, tenant, settings.data_dir
            )
        if settings.bootstrap_admin_key is not None:
            await ensure_key(
                context.engine,
                tenant,
                settings.bootstrap_admin_key.get_secret_value(),
                name="RAIKOO_BOOTSTRAP_ADMIN_KEY",
            )
        await context.relay.start()
        await context.hub.start()
        await context.auth.start()
        await context.limiter.start()
        if context.webhooks is not None:
            await context.webhooks.start()
        await self.ticker.start()
        context.ready = True

    async def stop(self) -> None:
        self.context.ready = False
        await self.ticker.stop()
        if self.context.webhooks is not None:
            await self.context.webhooks.stop()
        await self.context.limiter.stop()
        await self.context.auth.stop()
        await self.context.hub.stop()
        await self.context.relay.stop()

    def asgi(self) -> Any:
        settings = self.context.settings
        app = build_api()
        app.state.context = self.context
        inner: Any = BodyLimit(BodyScreen(app), settings.max_body_bytes)
        if settings.allowed_origins:
            inner = CORSMiddleware(
                inner,
                allow_origins=settings.allowed_origins,
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=["Location"],
            )
        if settings.console_dir is not None:
            paths = [route.path for route in served_routes(app)] + [*DOCUMENTATION_ROUTES]
            inner = Console(
                inner,
                settings.console_dir,
                api_segments(paths),
                frame_ancestors=self.context.embed.frame_ancestors,
            )
        trusted = settings.resolved_trusted_hosts()
        if trusted == ["*"]:
            log.warning(
                "any Host header is accepted: the API listens on all interfaces and "
                "RAIKOO_TRUSTED_HOSTS is not set; set it to the names clients use",
                host=settings.host,
            )
        gate = BrowserGate(
            inner, trusted, settings.allowed_origins, embed_origins=self.context.embed.listed
        )
        return SecurityHeaders(ErrorBoundary(gate))


def build_api() -> FastAPI:
    """The application's routes, their policies and its problem documents, without state:
    ``Gateway.asgi`` gives it its context and middleware. Tests read its route list."""
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
        responses=problems.ERROR_RESPONSES,
    )
    problems.install(app)
    problems.document_problems(app)
    for module in ROUTERS:
        module.router.add_to(app)
    require_policies(app, exempt=DOCUMENTATION_ROUTES)
    return app
