"""An inbound hook's call: ``POST /v1/hooks/{hook_id}`` answers to a valid Standard Webhooks
signature made with the hook's secret, not to an API key, and starts a run of its
workflow."""

import asyncio
import uuid
from typing import Annotated, Any
from urllib.parse import parse_qs

import orjson
from fastapi import Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db.engine import read_only
from raikoo_common.states import RunState
from raikoo_gateway.auth.authenticate import unauthenticated
from raikoo_gateway.auth.policy import SignedWebhook, rate_limited
from raikoo_gateway.body_screen import is_json, media_type
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import hook_calls as service
from raikoo_gateway.service import runs, transactions
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.views import Failure
from raikoo_gateway.webhooks.signature import SignatureRefused, verify

router = Routes(prefix="/v1/hooks", tags=["hooks"])

_HIDDEN_HEADERS = frozenset({"authorization", "cookie", "x-api-key", "webhook-signature"})


class HookRun(BaseModel):
    """The run a call started: its outcome when the call waited for it to finish."""

    run_id: uuid.UUID
    state: RunState
    outputs: dict[str, Any] | None
    error: Failure | None


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
