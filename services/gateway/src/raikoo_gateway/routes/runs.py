import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Annotated, Any

import orjson
from fastapi import Header, Query, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.ext.asyncio import AsyncConnection
from sse_starlette import EventSourceResponse, ServerSentEvent

from raikoo_common.db.engine import read_only
from raikoo_common.states import RunState
from raikoo_common.workflow.loader import read_document
from raikoo_gateway.auth.policy import EditorAccess, ViewerAccess
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import audit, runs, transactions
from raikoo_gateway.service.pages import INT4_MAX, Cursor, CursorQuery, PageOut
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import find_version, store_version
from raikoo_gateway.views import OperationRun, Run, RunSummary

router = Routes(prefix="/v1/runs", tags=["runs"])


class RunCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"workflow": "csv-enrichment", "inputs": {"rows": 100}, "idempotency_key": "n-42"},
                {
                    "definition": {
                        "name": "hello",
                        "inputs": {"who": {"type": "string", "default": "world"}},
                        "operations": {
                            "greet": {"uses": "set", "with": {"text": "Hello, {{ inputs.who }}!"}}
                        },
                        "outputs": {"text": "{{ ops.greet.output.text }}"},
                    },
                    "inputs": {"who": "Ada"},
                },
            ]
        },
    )

    workflow: str | None = Field(default=None, description="Name of a stored workflow")
    version: int | None = Field(
        default=None, ge=1, le=INT4_MAX, description="Default: the latest version"
    )
    definition: dict[str, Any] | str | None = Field(
        default=None, description="An inline definition (object, or YAML/JSON text)"
    )
    inputs: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = Field(default=None, max_length=255)
    trigger: str = Field(default="api", max_length=32)
    dry_run: bool = Field(
        default=False,
        description="AI operations return their configured mock (or one made from their "
        "output schema) and tools their mocks: no provider or tool is called",
    )

    @model_validator(mode="after")
    def _one_source(self) -> "RunCreate":
        if (self.workflow is None) == (self.definition is None):
            raise ValueError("give exactly one of `workflow` (a stored name) or `definition`")
        if self.definition is not None and self.version is not None:
            raise ValueError("`version` applies to a stored `workflow`, not to `definition`")
        return self


class CancelBody(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "wrong inputs"}]})

    reason: str = Field(default="cancelled by request", max_length=1000)


@router.post(
    "",
    status_code=201,
    responses={200: {"model": Run, "description": "The run this idempotency key started"}},
)
async def create_run(
    body: RunCreate,
    response: Response,
    context: ContextDep,
    tenant: EditorAccess,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> Run:
    """Start a run of a stored workflow or an inline definition.

    With an idempotency key (body or ``Idempotency-Key`` header), repeating the request
    returns the run it created (200); reusing the key for different inputs is a 409.
    """
    key = body.idempotency_key or idempotency_key

    async def start(conn: AsyncConnection) -> runs.RunCreated:
        if body.definition is not None:
            document, source_map = (
                read_document(body.definition, source="definition")
                if isinstance(body.definition, str)
                else (body.definition, None)
            )
            version = await store_version(conn, tenant, document, context.kind_configs, source_map)
        else:
            assert body.workflow is not None
            found = await find_version(conn, tenant, body.workflow, body.version)
            if found is None:
                what = repr(body.workflow) + (f" version {body.version}" if body.version else "")
                raise not_found("workflow", what)
            version = found
        try:
            created = await runs.request_run(
                conn,
                tenant,
                version,
                body.inputs,
                idempotency_key=key,
                trigger=body.trigger,
                outbox_owner=context.relay.owner,
                dry_run=body.dry_run,
            )
        except runs.IdempotencyConflict as exc:
            raise _key_reused(key, exc, "a different workflow or inputs") from None
        if created.created:
            details = {
                "workflow": version.name,
                "version": version.version,
                "trigger": body.trigger,
            } | ({"dry_run": True} if body.dry_run else {})
            await audit.record(conn, tenant, "run.started", str(created.run_id), details)
        return created

    return await _started(
        context, tenant, response, await transactions.write(context.engine, start)
    )


@router.get("")
async def list_runs(
    context: ContextDep,
    tenant: ViewerAccess,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: CursorQuery = None,
    state: Annotated[RunState | None, Query(description="Only runs in this state")] = None,
    workflow: Annotated[
        str | None, Query(max_length=200, description="Only runs of this workflow")
    ] = None,
) -> PageOut[RunSummary]:
    """The project's runs, newest first."""
    async with read_only(context.engine) as conn:
        page = await runs.list_runs(
            conn,
            tenant,
            limit=limit,
            cursor=Cursor.decode(cursor),
            state=state,
            workflow=workflow,
        )
    return PageOut[RunSummary].of(page)


@router.get("/{run_id}")
async def get_run(run_id: uuid.UUID, context: ContextDep, tenant: ViewerAccess) -> Run:
    return Run.model_validate(await _require_run(context, tenant, run_id))


@router.get("/{run_id}/operations")
async def get_operations(
    run_id: uuid.UUID,
    context: ContextDep,
    tenant: ViewerAccess,
    loop: Annotated[
        str | None, Query(description="Only the body runs of this loop operation")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    cursor: CursorQuery = None,
) -> PageOut[OperationRun]:
    """Operation runs in plan order, a loop's body runs in item order."""
    await _require_run(context, tenant, run_id)
    async with read_only(context.engine) as conn:
        page = await runs.list_operations(
            conn, tenant, run_id, loop=loop, limit=limit, cursor=Cursor.decode(cursor)
        )
    return PageOut[OperationRun].of(page)


@router.post("/{run_id}/cancel", status_code=202)
async def cancel_run(
    run_id: uuid.UUID, context: ContextDep, tenant: EditorAccess, body: CancelBody | None = None
) -> Run:
    """Ask the run to stop: queued operations never start, running ones are cut. Answers
    the run as it was when asked."""
    view = await _require_run(context, tenant, run_id)
    if view["state"] in runs.TERMINAL:
        raise Problem(
            409,
            "Run already finished",
            f"run {run_id} is {view['state']}",
            "run-finished",
            state=view["state"],
        )
    async with context.engine.begin() as conn:
        reason = (body or CancelBody()).reason
        outbox = await runs.request_cancel(conn, tenant, run_id, reason, context.relay.owner)
        await audit.record(conn, tenant, "run.cancel_requested", str(run_id), {"reason": reason})
    await context.relay.publish(outbox)
    return Run.model_validate(view)


@router.post(
    "/{run_id}/retry",
    status_code=201,
    responses={
        200: {"model": Run, "description": "The retry this idempotency key started"},
        409: {"description": "The run did not fail (it is queued, running or succeeded)"},
    },
)
async def retry_run(
    run_id: uuid.UUID,
    response: Response,
    context: ContextDep,
    tenant: EditorAccess,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> Run:
    """Start a new run of a failed (or cancelled) run's workflow version and inputs that
    reuses the results of the operations that succeeded and runs again what failed, was
    cancelled or never ran, and everything that depends on it. The new run's ``retry_of``
    names the original; the original's ``retries`` lists it."""

    async def start(conn: AsyncConnection) -> runs.RunCreated:
        try:
            created = await runs.request_retry(
                conn,
                tenant,
                run_id,
                idempotency_key=idempotency_key,
                outbox_owner=context.relay.owner,
            )
        except runs.NotRetryable as exc:
            raise Problem(
                409, "Run did not fail", str(exc), "run-not-retryable", state=exc.state
            ) from None
        except runs.IdempotencyConflict as exc:
            raise _key_reused(idempotency_key, exc, "a different request") from None
        if created is None:
            raise not_found("run", run_id)
        if created.created:
            details = {"retry_of": str(run_id)}
            await audit.record(conn, tenant, "run.retried", str(created.run_id), details)
        return created

    return await _started(
        context, tenant, response, await transactions.write(context.engine, start)
    )


@router.get("/{run_id}/events")
async def stream_events(
    run_id: uuid.UUID,
    context: ContextDep,
    tenant: ViewerAccess,
    last_event_id: Annotated[int | None, Header(ge=0, le=INT4_MAX)] = None,
    after: Annotated[int, Query(ge=0, le=INT4_MAX, description="Replay events after this seq")] = 0,
) -> EventSourceResponse:
    """Server-sent events: run and operation state changes, replayed then live.

    Each event's ``id`` is its sequence number; reconnecting with ``Last-Event-ID``
    resumes without gaps or repeats. The stream ends after the run's final state.
    """
    await _require_run(context, tenant, run_id)
    start = max(after, last_event_id or 0)
    return EventSourceResponse(
        _event_stream(context, tenant, run_id, start),
        ping=int(context.settings.sse_keepalive_seconds),
    )


async def _event_stream(
    context: GatewayContext, tenant: Tenant, run_id: uuid.UUID, last: int
) -> AsyncIterator[ServerSentEvent]:
    async with aclosing(follow_run(context, tenant, run_id, last)) as events:
        async for event in events:
            # AI text as it is written (no seq) is not stored, has no id, is not resumable.
            yield _sse(event) if "seq" in event else _transient(event)


async def follow_run(
    context: GatewayContext, tenant: Tenant, run_id: uuid.UUID, last: int
) -> AsyncGenerator[dict[str, Any]]:
    """The run's stored events after ``last``, then live ones, until its final state; a
    gap (a broadcast missed, or one that came before we listened) is read from the store.
    No polling: the hub says when the store holds more than the broadcasts brought. An
    event without ``seq`` is transient (``operation.output_delta``). Closing the generator
    (the client went away) stops listening."""
    async with context.hub.listen(run_id) as live:
        pending = await _events_after(context, tenant, run_id, last)
        from_store = True
        while True:
            for event in pending:
                if event["seq"] <= last:
                    continue
                if event["seq"] > last + 1 and not from_store:
                    pending = await _events_after(context, tenant, run_id, last)
                    from_store = True
                    break
                last = event["seq"]
                yield event
                if _is_final(event):
                    return
            else:
                context.hub.seen(run_id, last)
                item = await live.get()
                if item is not None and "seq" not in item:
                    yield item  # AI text as it is written: not stored, no id
                    pending = []
                    continue
                from_store = item is None
                if item is None:
                    pending = await _events_after(context, tenant, run_id, last)
                else:
                    pending = [item]


async def _events_after(
    context: GatewayContext, tenant: Tenant, run_id: uuid.UUID, last: int
) -> list[dict[str, Any]]:
    async with read_only(context.engine) as conn:
        return await runs.events_after(conn, tenant, run_id, last)


def _is_final(event: dict[str, Any]) -> bool:
    return event["type"] == "run.state_changed" and event["data"].get("state") in runs.TERMINAL


def _transient(event: dict[str, Any]) -> ServerSentEvent:
    return ServerSentEvent(data=orjson.dumps(event["data"]).decode(), event=event["type"])


def _sse(event: dict[str, Any]) -> ServerSentEvent:
    return ServerSentEvent(
        data=orjson.dumps(event["data"]).decode(), event=event["type"], id=str(event["seq"])
    )


async def _started(
    context: GatewayContext, tenant: Tenant, response: Response, created: runs.RunCreated
) -> Run:
    """Publish what starting a run wrote; answer the run (200 when the idempotency key
    had started it already)."""
    await context.relay.publish(created.outbox)
    if not created.created:
        response.status_code = 200
    response.headers["Location"] = f"/v1/runs/{created.run_id}"
    return Run.model_validate(await _require_run(context, tenant, created.run_id))


def _key_reused(key: str | None, exc: runs.IdempotencyConflict, what: str) -> Problem:
    return Problem(
        409,
        "Idempotency key reused",
        f"idempotency key {key!r} was used for run {exc.run_id} with {what}",
        "idempotency-conflict",
        run_id=str(exc.run_id),
    )


async def _require_run(
    context: GatewayContext, tenant: Tenant, run_id: uuid.UUID
) -> dict[str, Any]:
    async with read_only(context.engine) as conn:
        view = await runs.get_run(conn, tenant, run_id)
    if view is None:
        raise not_found("run", run_id)
    return view
