"""Inbound hooks: managed by the project's editors (viewers read them), and called by
anyone holding a hook's secret — ``POST /v1/hooks/{hook_id}`` answers to a valid Standard
Webhooks signature only, no API key."""

import asyncio
import uuid
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

import orjson
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db.engine import read_only
from raikoo_common.states import RunState
from raikoo_gateway.auth.authenticate import unauthenticated
from raikoo_gateway.auth.policy import EditorAccess, SignedWebhook, ViewerAccess, rate_limited
from raikoo_gateway.body_screen import is_json, media_type
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.db_retry import RetryingRoute
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import hooks as service
from raikoo_gateway.service import runs, transactions
from raikoo_gateway.service.pages import INT4_MAX, Cursor, CursorQuery, Limit, PageOut
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.views import Failure
from raikoo_gateway.webhooks.signature import SignatureRefused, verify

router = APIRouter(prefix="/v1/hooks", tags=["hooks"], route_class=RetryingRoute)

NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
_HIDDEN_HEADERS = frozenset({"authorization", "cookie", "x-api-key", "webhook-signature"})
_MAPPING_DESCRIPTION = (
    "Run inputs as templates of the workflow language over `body` (parsed JSON, a form's "
    "fields, or text), `headers` (lower-case names) and `query`; null: a JSON object body "
    "is the inputs as it is"
)


def _valid_mapping(value: dict[str, Any] | None) -> dict[str, Any] | None:
    service.check_mapping(value)
    return value


class HookCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "github-push",
                    "workflow": "triage-feedback",
                    "mapping": {"repo": "{{ body.repository.full_name }}"},
                }
            ]
        },
    )

    name: str = Field(pattern=NAME)
    workflow: str = Field(max_length=128, description="A stored workflow of the project")
    version: int | None = Field(
        default=None, ge=1, le=INT4_MAX, description="Pinned version; null: the latest at each call"
    )
    mapping: dict[str, Any] | None = Field(default=None, description=_MAPPING_DESCRIPTION)

    _mapping = field_validator("mapping")(_valid_mapping)


class HookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"enabled": False}]})

    name: str | None = Field(default=None, pattern=NAME)
    workflow: str | None = Field(default=None, max_length=128)
    version: int | None = Field(default=None, ge=1, le=INT4_MAX)
    mapping: dict[str, Any] | None = Field(default=None, description=_MAPPING_DESCRIPTION)
    enabled: bool | None = None

    _mapping = field_validator("mapping")(_valid_mapping)


class Hook(BaseModel):
    id: uuid.UUID
    name: str
    url: str = Field(description="Where senders POST, relative to the API's base URL")
    workflow: str
    version: int | None
    mapping: dict[str, Any] | None
    enabled: bool
    previous_secret_expires_at: datetime | None = Field(
        description="Until when the secret a rotation replaced is still accepted"
    )
    created_by: str
    created_at: datetime
    updated_at: datetime


class HookWithSecret(Hook):
    secret: str = Field(description="whsec_…: shown this once; senders sign with it")


class HookRun(BaseModel):
    """The run a call started: its outcome when the call waited for it to finish."""

    run_id: uuid.UUID
    state: RunState
    outputs: dict[str, Any] | None
    error: Failure | None


@router.post("", status_code=201)
async def create_hook(
    body: HookCreate, response: Response, context: ContextDep, access: EditorAccess
) -> HookWithSecret:
    """A hook of a stored workflow; its secret is in this answer only."""

    async def create(conn: AsyncConnection) -> tuple[dict[str, Any], str]:
        return await service.create(
            conn,
            access,
            name=body.name,
            workflow=body.workflow,
            version=body.version,
            mapping=body.mapping,
        )

    view, secret = await transactions.write(context.engine, create)
    response.headers["Location"] = view["url"]
    return HookWithSecret(**view, secret=secret)


@router.get("")
async def list_hooks(
    context: ContextDep, access: ViewerAccess, limit: Limit = 100, cursor: CursorQuery = None
) -> PageOut[Hook]:
    """The project's hooks, by name (never their secrets)."""
    async with read_only(context.engine) as conn:
        page = await service.page(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[Hook].of(page)


@router.get("/{hook_id}")
async def get_hook(hook_id: uuid.UUID, context: ContextDep, access: ViewerAccess) -> Hook:
    async with read_only(context.engine) as conn:
        return Hook(**await service.get(conn, access, hook_id))


@router.patch("/{hook_id}")
async def update_hook(
    hook_id: uuid.UUID, body: HookUpdate, context: ContextDep, access: EditorAccess
) -> Hook:
    """Change a hook (``enabled: false`` stops it answering: calls get 404)."""
    changes = body.model_dump(exclude_unset=True)
    for field in ("name", "workflow", "enabled"):
        if field in changes and changes[field] is None:
            raise Problem(
                422,
                "Invalid request",
                f"{field} may not be null",
                "invalid-request",
                errors=[{"path": field, "message": "may not be null"}],
            )
    async with context.engine.begin() as conn:
        return Hook(**await service.update(conn, access, hook_id, changes))


@router.delete("/{hook_id}", status_code=204)
async def delete_hook(hook_id: uuid.UUID, context: ContextDep, access: EditorAccess) -> Response:
    async with context.engine.begin() as conn:
        await service.delete(conn, access, hook_id)
    return Response(status_code=204)


@router.post("/{hook_id}/rotate-secret")
async def rotate_hook_secret(
    hook_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> HookWithSecret:
    """A new secret, shown this once; the replaced one stays valid for
    ``RAIKOO_HOOK_PREVIOUS_SECRET_SECONDS`` (a day by default)."""
    grace = context.settings.hook_previous_secret_seconds
    async with context.engine.begin() as conn:
        view, secret = await service.rotate(conn, access, hook_id, grace)
    return HookWithSecret(**view, secret=secret)


@router.post(
    "/{hook_id}",
    status_code=202,
    dependencies=[SignedWebhook],
    responses={200: {"model": HookRun, "description": "The run finished within `wait`"}},
    openapi_extra={
        "parameters": [
            {
                "name": name,
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
                "description": description,
            }
            for name, description in (
                ("webhook-id", "The message's id: a call with an id seen before is a 409"),
                ("webhook-timestamp", "Seconds since the Unix epoch, within 5 minutes of now"),
                (
                    "webhook-signature",
                    "v1,<base64 HMAC-SHA256 of id.timestamp.body>, space-separated when several",
                ),
            )
        ],
        "requestBody": {
            "description": "Any body: JSON, a form (application/x-www-form-urlencoded) or text",
            "content": {
                "application/json": {},
                "application/x-www-form-urlencoded": {},
                "text/plain": {},
            },
        },
    },
)
async def call_hook(
    hook_id: str,
    request: Request,
    response: Response,
    context: ContextDep,
    wait: Annotated[
        float,
        Query(
            ge=0,
            le=3600,
            description="Seconds to wait for the run's outputs (capped by "
            "RAIKOO_HOOK_MAX_WAIT_SECONDS); 0: answer 202 at once",
        ),
    ] = 0,
) -> HookRun:
    """Start a run of the hook's workflow. Signed with the Standard Webhooks headers
    (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``); a message id is taken
    once. Answers 202 with the run id, or 200 with its outputs when it finished within
    ``wait`` seconds."""
    hook = await _hook(context, hook_id)
    body = await request.body()
    try:
        message = verify(request.headers, body, hook.secrets, utcnow().timestamp())
    except SignatureRefused as exc:
        raise unauthenticated(f"the webhook signature is refused: {exc}") from None
    limits = [
        (f"hook:{hook.id}", context.settings.rate_limit_per_key),
        (f"org:{hook.tenant.org_id}", context.settings.rate_limit_per_org),
    ]
    retry_after = context.limiter.admit(limits)
    if retry_after is not None:
        raise rate_limited(f"hook {hook.name} or its organization", retry_after)
    scope = {
        "body": _parsed(body, request.headers.get("content-type", "")),
        "headers": {k: v for k, v in request.headers.items() if k not in _HIDDEN_HEADERS},
        "query": {k: v for k, v in request.query_params.items() if k != "wait"},
    }
    inputs = service.inputs_of(hook, scope)

    async def accept(conn: AsyncConnection) -> runs.RunCreated:
        return await service.accept(conn, hook, message.message_id, inputs, context.relay.owner)

    created = await transactions.write(context.engine, accept)
    await context.relay.publish(created.outbox)
    response.headers["Location"] = f"/v1/runs/{created.run_id}"
    seconds = min(wait, context.settings.hook_max_wait_seconds)
    if seconds <= 0:
        return HookRun(run_id=created.run_id, state="queued", outputs=None, error=None)
    view = await _outcome(context, hook.tenant, created.run_id, seconds)
    if view["state"] in runs.TERMINAL:
        response.status_code = 200
    return HookRun(
        run_id=created.run_id, state=view["state"], outputs=view["outputs"], error=view["error"]
    )


async def _hook(context: GatewayContext, hook_id: str) -> service.HookCall:
    try:
        parsed = uuid.UUID(hook_id)
    except ValueError:
        raise not_found("hook", hook_id[:64]) from None
    async with read_only(context.engine) as conn:
        hook = await service.for_call(conn, parsed)
    if hook is None:
        raise not_found("hook", parsed)
    return hook


def _parsed(body: bytes, content_type: str) -> Any:
    media = media_type(content_type)
    if is_json(media) or (not media and body.lstrip()[:1] in (b"{", b"[")):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise Problem(
                422,
                "Invalid JSON",
                f"the body is not JSON: {exc}",
                "invalid-request",
                errors=[{"path": "body", "message": str(exc)}],
            ) from None
    text = body.decode("utf-8", errors="replace")
    if media == "application/x-www-form-urlencoded":
        fields = parse_qs(text, keep_blank_values=True)
        return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}
    return text


async def _outcome(
    context: GatewayContext, tenant: Tenant, run_id: uuid.UUID, seconds: float
) -> dict[str, Any]:
    """The run as it is after at most ``seconds``, woken by its state changes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    async with context.hub.listen(run_id) as live:
        while True:
            async with read_only(context.engine) as conn:
                view = await runs.get_run(conn, tenant, run_id)
            assert view is not None
            left = deadline - loop.time()
            if view["state"] in runs.TERMINAL or left <= 0:
                return view
            while True:
                try:
                    item = await asyncio.wait_for(live.get(), left)
                except TimeoutError:
                    break
                if item is None or item.get("type") == "run.state_changed":
                    break
                left = deadline - loop.time()
