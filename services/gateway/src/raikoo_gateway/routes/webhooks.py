"""Outbound webhook subscriptions of a project: where its run and operation events are
sent, signed (Standard Webhooks), with the log of their deliveries. Editors manage them,
viewers read them; the secret is shown when made or rotated only."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from raikoo_common.db.engine import read_only
from raikoo_common.net import EgressGuard
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import Problem
from raikoo_gateway.routes.hooks import NAME
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import subscriptions as service
from raikoo_gateway.service import transactions
from raikoo_gateway.service.pages import Cursor, CursorQuery, Limit, PageOut
from raikoo_gateway.webhooks.events import checked_event_types

router = Routes(prefix="/v1/webhooks", tags=["webhooks"])

_TYPES = (
    "run.<state> or operation.<state> (run.succeeded, operation.failed, …), run.* or "
    "operation.*; empty: every event"
)
DeliveryState = Literal["pending", "succeeded", "failed"]


def _event_types(value: list[str] | None) -> list[str] | None:
    return None if value is None else checked_event_types(value)


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "ops-alerts",
                    "url": "https://hooks.example.com/raikoo",
                    "event_types": ["run.failed", "run.succeeded"],
                    "workflows": ["triage-feedback"],
                }
            ]
        },
    )

    name: str = Field(pattern=NAME)
    url: str = Field(max_length=2048, description="http(s); checked by the SSRF guard")
    event_types: list[str] = Field(default_factory=list, max_length=40, description=_TYPES)
    workflows: list[Annotated[str, Field(max_length=128)]] = Field(
        default_factory=list, max_length=100, description="Workflow names; empty: every workflow"
    )

    _types = field_validator("event_types")(_event_types)


class SubscriptionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"enabled": True}]})

    name: str | None = Field(default=None, pattern=NAME)
    url: str | None = Field(default=None, max_length=2048)
    event_types: list[str] | None = Field(default=None, max_length=40, description=_TYPES)
    workflows: list[Annotated[str, Field(max_length=128)]] | None = Field(
        default=None, max_length=100
    )
    enabled: bool | None = Field(
        default=None, description="true re-enables a subscription disabled after failures"
    )

    _types = field_validator("event_types")(_event_types)


class Subscription(BaseModel):
    id: uuid.UUID
    name: str
    url: str
    event_types: list[str]
    workflows: list[str]
    enabled: bool
    disabled_reason: str | None
    failing_since: datetime | None = Field(
        description="Since when every attempt has failed; null after a success"
    )
    previous_secret_expires_at: datetime | None = Field(
        description="Until when deliveries are signed with the replaced secret as well"
    )
    created_by: str
    created_at: datetime
    updated_at: datetime


class SubscriptionWithSecret(Subscription):
    secret: str = Field(description="whsec_…: shown this once; verify deliveries with it")


class Delivery(BaseModel):
    id: uuid.UUID
    webhook_id: str = Field(description="The webhook-id header every attempt carries")
    event_type: str
    run_id: uuid.UUID
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status: int | None = Field(description="The receiver's HTTP status; null: no answer")
    last_latency_ms: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


def _guard(context: GatewayContext, org_id: uuid.UUID) -> EgressGuard:
    return EgressGuard(context.settings.webhook_allow_list(org_id))


@router.post("", status_code=201)
async def create_subscription(
    body: SubscriptionCreate, response: Response, context: ContextDep, access: EditorAccess
) -> SubscriptionWithSecret:
    """Send the project's events to ``url``; the secret is in this answer only."""
    fields = body.model_dump()
    fields["url"] = await service.checked_url(_guard(context, access.org_id), body.url)
    view, secret = await transactions.write(
        context.engine, lambda conn: service.create(conn, access, fields)
    )
    response.headers["Location"] = f"/v1/webhooks/{view['id']}"
    return SubscriptionWithSecret(**view, secret=secret)


@router.get("")
async def list_subscriptions(
    context: ContextDep, access: ViewerAccess, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Subscription]:
    async with read_only(context.engine) as conn:
        page = await service.page(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[Subscription].of(page)


@router.get("/{subscription_id}")
async def get_subscription(
    subscription_id: uuid.UUID, context: ContextDep, access: ViewerAccess
) -> Subscription:
    async with read_only(context.engine) as conn:
        return Subscription(**await service.get(conn, access, subscription_id))


@router.patch("/{subscription_id}")
async def update_subscription(
    subscription_id: uuid.UUID, body: SubscriptionUpdate, context: ContextDep, access: EditorAccess
) -> Subscription:
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    nulls = [field for field, value in changes.items() if value is None]
    if nulls:
        raise Problem(
            422,
            "Invalid request",
            f"{', '.join(nulls)} may not be null",
            "invalid-request",
            errors=[{"path": field, "message": "may not be null"} for field in nulls],
        )
    if "url" in changes:
        changes["url"] = await service.checked_url(_guard(context, access.org_id), changes["url"])
    async with context.engine.begin() as conn:
        view = await service.update(conn, access, subscription_id, changes)
    return Subscription(**view)


@router.delete("/{subscription_id}", status_code=204)
async def delete_subscription(
    subscription_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> Response:
    """Stop sending, and forget its deliveries."""
    async with context.engine.begin() as conn:
        await service.delete(conn, access, subscription_id)
    return Response(status_code=204)


@router.post("/{subscription_id}/rotate-secret")
async def rotate_subscription_secret(
    subscription_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> SubscriptionWithSecret:
    """A new secret, shown this once; deliveries carry a signature with each secret until
    the replaced one expires (``RAIKOO_HOOK_PREVIOUS_SECRET_SECONDS``)."""
    grace = context.settings.hook_previous_secret_seconds
    async with context.engine.begin() as conn:
        view, secret = await service.rotate(conn, access, subscription_id, grace)
    return SubscriptionWithSecret(**view, secret=secret)


@router.get("/{subscription_id}/deliveries")
async def list_deliveries(
    subscription_id: uuid.UUID,
    context: ContextDep,
    access: ViewerAccess,
    state: Annotated[
        DeliveryState | None, Query(description="Only deliveries in this state")
    ] = None,
    limit: Limit = 100,
    cursor: CursorQuery = None,
) -> PageOut[Delivery]:
    """The delivery log, newest first: state, attempts, the last answer's status and
    latency."""
    async with read_only(context.engine) as conn:
        page = await service.deliveries(
            conn, access, subscription_id, state=state, limit=limit, cursor=Cursor.decode(cursor)
        )
    return PageOut[Delivery].of(page)


@router.post("/{subscription_id}/deliveries/{delivery_id}/redeliver", status_code=202)
async def redeliver(
    subscription_id: uuid.UUID, delivery_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> Delivery:
    """Send a delivery again now (same webhook-id, a fresh set of retries)."""
    async with context.engine.begin() as conn:
        view = await service.redeliver(conn, access, subscription_id, delivery_id)
    if context.webhooks is not None:
        context.webhooks.wake()
    return Delivery(**view)
