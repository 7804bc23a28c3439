"""What the run widget calls with its embed token: the workflow's form, starting a run,
and the runs the token started (state, outputs, live events). Nothing else answers an
embed token (docs/embedding.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Header, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncConnection
from sse_starlette import EventSourceResponse

from raikoo_common.api.embed import EmbedOperation, EmbedWorkflow
from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.policy import EmbedAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.routes import runs as run_routes
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import embed as service
from raikoo_gateway.service import runs, transactions
from raikoo_gateway.service.pages import INT4_MAX
from raikoo_gateway.service.workflows import definition_of
from raikoo_gateway.views import Run

router = Routes(prefix="/v1/embed", tags=["embed"])


class EmbedRunCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"inputs": {"who": "Ada"}}]}
    )

    inputs: dict[str, Any] = Field(default_factory=dict)


@router.get("/workflow")
async def embedded_workflow(caller: EmbedAccess, context: ContextDep) -> EmbedWorkflow:
    """The token's workflow as a run started now would run it: its inputs (for the form),
    its operations and the names of its outputs."""
    async with read_only(context.engine) as conn:
        version = await service.embedded_version(conn, caller)
    definition = definition_of(version)
    return EmbedWorkflow(
        name=version.name,
        version=version.version,
        description=definition.description,
        inputs=definition.inputs,
        operations=[EmbedOperation(key=k, uses=op.uses) for k, op in definition.operations.items()],
        outputs=list(definition.outputs),
    )


@router.post("/runs", status_code=201)
async def start_embedded_run(
    body: EmbedRunCreate, response: Response, caller: EmbedAccess, context: ContextDep
) -> Run:
    """Start a run of the token's workflow (its pinned version, or the latest)."""

    async def start(conn: AsyncConnection) -> runs.RunCreated:
        return await service.start_run(conn, caller, body.inputs, context.relay.owner)

    created = await transactions.write(context.engine, start)
    await context.relay.publish(created.outbox)
    response.headers["Location"] = f"/v1/embed/runs/{created.run_id}"
    return await run_routes.get_run(created.run_id, context, caller)


@router.get("/runs/{run_id}")
async def get_embedded_run(run_id: uuid.UUID, caller: EmbedAccess, context: ContextDep) -> Run:
    """A run this token started: its state, counts and outputs."""
    await _own(context, caller, run_id)
    return await run_routes.get_run(run_id, context, caller)


@router.get("/runs/{run_id}/events")
async def stream_embedded_run(
    run_id: uuid.UUID,
    caller: EmbedAccess,
    context: ContextDep,
    last_event_id: Annotated[int | None, Header(ge=0, le=INT4_MAX)] = None,
    after: Annotated[int, Query(ge=0, le=INT4_MAX, description="Replay events after this seq")] = 0,
) -> EventSourceResponse:
    """A run this token started, as server-sent events (as ``GET /v1/runs/{id}/events``)."""
    await _own(context, caller, run_id)
    return await run_routes.stream_events(run_id, context, caller, last_event_id, after)


async def _own(context: ContextDep, caller: EmbedAccess, run_id: uuid.UUID) -> None:
    async with read_only(context.engine) as conn:
        await service.require_own_run(conn, caller, run_id)
