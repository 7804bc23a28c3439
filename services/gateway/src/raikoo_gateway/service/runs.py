"""Run requests (gateway-owned) and read views over the scheduler's run state."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.messages import Channel, Envelope, RunCancelRequested, RunRequested
from raikoo_common.outbox import OutboxMessage, OutboxOwner, insert_outbox
from raikoo_common.workflow.inputs import resolve_inputs
from raikoo_common.workflow.schema import LOOP_KINDS
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.tenancy import Tenant
from raikoo_gateway.service.workflows import StoredVersion, definition_of, version_by_id

PRODUCER = "gateway"
TERMINAL = frozenset({"succeeded", "failed", "cancelled"})


class IdempotencyConflict(Exception):
    def __init__(self, run_id: uuid.UUID) -> None:
        super().__init__(run_id)
        self.run_id = run_id


@dataclass(frozen=True)
class RunCreated:
    run_id: uuid.UUID
    created: bool
    outbox: list[OutboxMessage]


async def request_run(
    conn: AsyncConnection,
    tenant: Tenant,
    version: StoredVersion,
    inputs: Mapping[str, Any],
    *,
    idempotency_key: str | None,
    trigger: str,
    outbox_owner: OutboxOwner,
    dry_run: bool = False,
    retry_of: uuid.UUID | None = None,
) -> RunCreated:
    resolved = resolve_inputs(definition_of(version).inputs, inputs)
    requested: list[Any] = [str(version.version_id), resolved, *(["dry_run"] if dry_run else [])]
    if retry_of is not None:
        requested.append(str(retry_of))
    digest = hashlib.sha256(orjson.dumps(requested, option=orjson.OPT_SORT_KEYS)).hexdigest()
    rr = t.run_requests.c
    if idempotency_key is not None:
        existing = (
            await conn.execute(
                sa.select(rr.id, rr.request_digest).where(
                    rr.org_id == tenant.org_id,
                    rr.project_id == tenant.project_id,
                    rr.idempotency_key == idempotency_key,
                )
            )
        ).first()
        if existing is not None:
            if existing.request_digest != digest:
                raise IdempotencyConflict(existing.id)
            return RunCreated(existing.id, created=False, outbox=[])
    run_id, now = uuid.uuid4(), utcnow()
    await conn.execute(
        sa.insert(t.run_requests).values(
            id=run_id,
            org_id=tenant.org_id,
            project_id=tenant.project_id,
            workflow_version_id=version.version_id,
            inputs=resolved,
            trigger=trigger,
            idempotency_key=idempotency_key,
            request_digest=digest,
            created_at=now,
            retry_of=retry_of,
        )
    )
    message = RunRequested(
        run_id=run_id,
        project_id=tenant.project_id,
        workflow_version_id=version.version_id,
        inputs=resolved,
        trigger=trigger,
        requested_at=now,
        dry_run=dry_run,
        retry_of=retry_of,
    )
    envelope = Envelope.wrap(message, org_id=tenant.org_id, run_id=run_id, correlation_id=run_id)
    outbox = await insert_outbox(conn, outbox_owner, [(Channel.RUNS_REQUESTED, envelope)], now)
    return RunCreated(run_id, created=True, outbox=outbox)


RETRYABLE = frozenset({"failed", "cancelled"})


class NotRetryable(Exception):
    """Only a run that failed or was cancelled can be retried."""

    def __init__(self, run_id: uuid.UUID, state: str) -> None:
        super().__init__(f"run {run_id} is {state}: only a failed or cancelled run is retried")
        self.state = state


async def request_retry(
    conn: AsyncConnection,
    tenant: Tenant,
    run_id: uuid.UUID,
    *,
    idempotency_key: str | None,
    outbox_owner: OutboxOwner,
) -> RunCreated | None:
    """A new run of the failed run's workflow version and inputs that reuses what succeeded
    (the scheduler decides which results, ``raikoo_scheduler.domain.reuse``); None when
    there is no such run in the project. Raises ``NotRetryable`` for a run that did not
    fail, ``IdempotencyConflict`` as ``request_run`` does."""
    r = t.runs.c
    row = (
        await conn.execute(
            sa.select(r.state, r.workflow_version_id, r.inputs).where(
                r.id == run_id, r.org_id == tenant.org_id, r.project_id == tenant.project_id
            )
        )
    ).first()
    if row is None:
        rr = t.run_requests.c
        queued = await conn.scalar(
            sa.select(rr.id).where(
                rr.id == run_id, rr.org_id == tenant.org_id, rr.project_id == tenant.project_id
            )
        )
        if queued is None:
            return None
        raise NotRetryable(run_id, "queued")
    if row.state not in RETRYABLE:
        raise NotRetryable(run_id, row.state)
    version = await version_by_id(conn, tenant, row.workflow_version_id)
    if version is None:  # a version is never deleted while a run pins it
        return None
    return await request_run(
        conn,
        tenant,
        version,
        row.inputs,
        idempotency_key=idempotency_key,
        trigger="retry",
        outbox_owner=outbox_owner,
        retry_of=run_id,
    )


async def request_cancel(
    conn: AsyncConnection,
    tenant: Tenant,
    run_id: uuid.UUID,
    reason: str,
    outbox_owner: OutboxOwner,
) -> list[OutboxMessage]:
    message = RunCancelRequested(run_id=run_id, reason=reason)
    envelope = Envelope.wrap(message, org_id=tenant.org_id, run_id=run_id, correlation_id=run_id)
    return await insert_outbox(conn, outbox_owner, [(Channel.RUNS_REQUESTED, envelope)], utcnow())


def _run_state(r: sa.Table) -> tuple[sa.Column[Any], ...]:
    """The columns of a run's state, shared by the view of requested and of child runs."""
    names = (
        "state", "outputs", "error", "started_at", "finished_at", "ops_total", "ops_done",
        "ops_failed", "active_ops", "parent_run_id", "parent_op_run_id", "usage",
    )  # fmt: skip
    return tuple(r.c[name] for name in names)


def _run_view_query(tenant: Tenant, *columns: sa.ColumnElement[Any]) -> sa.Select[Any]:
    rr, r, v, w = t.run_requests, t.runs, t.workflow_versions, t.workflows
    return (
        sa.select(
            rr.c.id,
            rr.c.created_at,
            rr.c.inputs,
            rr.c.trigger,
            rr.c.idempotency_key,
            rr.c.retry_of,
            v.c.version,
            w.c.name,
            *_run_state(r),
            *columns,
        )
        .join(v, v.c.id == rr.c.workflow_version_id)
        .join(w, w.c.id == v.c.workflow_id)
        .outerjoin(r, r.c.id == rr.c.id)
        .where(rr.c.org_id == tenant.org_id, rr.c.project_id == tenant.project_id)
    )


def _run_view(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "workflow": {"name": row.name, "version": row.version},
        "state": row.state or "queued",
        "trigger": row.trigger,
        "idempotency_key": row.idempotency_key,
        "inputs": row.inputs,
        "outputs": row.outputs,
        "error": row.error,
        "created_at": row.created_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "operations": {
            "total": row.ops_total or 0,
            "finished": row.ops_done or 0,
            "failed": row.ops_failed or 0,
            "active": row.active_ops or 0,
        },
        "parent": (
            {"run_id": str(row.parent_run_id), "op_run_id": str(row.parent_op_run_id)}
            if row.parent_run_id
            else None
        ),
        "usage": row.usage,
        "retry_of": str(row.retry_of) if row.retry_of else None,
    }


class LoopView(TypedDict):
    """How far one loop operation (``foreach``, ``for``, ``while``, ``until``) has got."""

    key: str
    kind: str
    state: str
    """The loop operation's own state: ``pending`` until it starts."""
    total: int | None
    """Body runs it will launch (items, or batches of them); None for ``while``/``until``,
    which run until their condition says stop."""
    max_iterations: int | None
    """The bound of a ``while``/``until`` loop; None for the others."""
    done: int
    """Body runs finished, whatever their outcome; ``failed`` of them failed."""
    failed: int
    active: int
    """Body runs launched and not finished yet."""


async def get_run(
    conn: AsyncConnection, tenant: Tenant, run_id: uuid.UUID
) -> dict[str, Any] | None:
    """The run with ``loops``: the progress of each of its loops, read from the loop
    operations' own rows (their counters), never from the body runs."""
    definition = t.workflow_versions.c.definition
    query = _run_view_query(tenant, definition).where(t.run_requests.c.id == run_id)
    row = (await conn.execute(query)).first()
    if row is None:  # a child run, started by a workflow.call rather than a request
        query = _child_run_query(tenant, definition).where(t.runs.c.id == run_id)
        row = (await conn.execute(query)).first()
    if row is None:
        return None
    view = _run_view(row)
    view["loops"] = await _loop_views(conn, tenant, row.id, row.definition)
    view["retries"] = await _retries(conn, tenant, row.id)
    return view


MAX_RETRIES_SHOWN = 100


async def _retries(conn: AsyncConnection, tenant: Tenant, run_id: uuid.UUID) -> list[str]:
    """The runs that retried this one, oldest first (through the ``retry_of`` index)."""
    rr = t.run_requests.c
    rows = await conn.execute(
        sa.select(rr.id)
        .where(rr.retry_of == run_id, rr.org_id == tenant.org_id)
        .order_by(rr.created_at, rr.id)
        .limit(MAX_RETRIES_SHOWN)
    )
    return [str(row.id) for row in rows]


async def _loop_views(
    conn: AsyncConnection, tenant: Tenant, run_id: uuid.UUID, definition: dict[str, Any]
) -> list[LoopView]:
    # The pinned definition names the loops (only top-level operations can be loops), so
    # their rows are found by key through the (run_id, op_key) index, and a run without
    # loops costs no query at all. Listed in plan order.
    operations = definition.get("operations") or {}
    keys = [key for key, spec in operations.items() if spec.get("uses") in LOOP_KINDS]
    if not keys:
        return []
    o = t.operation_runs.c
    rows = await conn.execute(
        sa.select(o.op_key, o.kind, o.state, o.loop)
        .where(o.run_id == run_id, o.org_id == tenant.org_id, o.op_key.in_(keys))
        .order_by(o.seq)
    )
    views = [_loop_view(row.op_key, row.kind, row.state, row.loop) for row in rows]
    # Before the scheduler has planned the run, its loops have no rows yet.
    planned = {view["key"] for view in views}
    views += [
        _loop_view(key, operations[key]["uses"], "pending", None)
        for key in sorted(set(keys) - planned)
    ]
    return views


def _loop_view(key: str, kind: str, state: str, progress: dict[str, Any] | None) -> LoopView:
    counters = progress or {}
    return LoopView(
        key=key,
        kind=kind,
        state=state,
        total=counters.get("total"),
        max_iterations=counters.get("max_iterations"),
        done=counters.get("done", 0),
        failed=counters.get("failed", 0),
        active=counters.get("active", 0),
    )


def _child_run_query(tenant: Tenant, *columns: sa.ColumnElement[Any]) -> sa.Select[Any]:
    r, v, w = t.runs, t.workflow_versions, t.workflows
    return (
        sa.select(
            r.c.id,
            r.c.created_at,
            r.c.inputs,
            r.c.trigger,
            sa.null().label("idempotency_key"),
            sa.null().label("retry_of"),
            v.c.version,
            w.c.name,
            *_run_state(r),
            *columns,
        )
        .join(v, v.c.id == r.c.workflow_version_id)
        .join(w, w.c.id == v.c.workflow_id)
        .where(r.c.org_id == tenant.org_id, r.c.project_id == tenant.project_id)
    )


async def list_runs(
    conn: AsyncConnection,
    tenant: Tenant,
    *,
    limit: int,
    cursor: Cursor | None = None,
    state: str | None = None,
    workflow: str | None = None,
) -> Page[dict[str, Any]]:
    """The project's runs, newest first (runs started by a request; a workflow.call's
    child runs are reached from their parent)."""
    rr = t.run_requests.c
    query = _run_view_query(tenant)
    if state == "queued":
        query = query.where(t.runs.c.id.is_(None))
    elif state is not None:
        query = query.where(t.runs.c.state == state)
    if workflow is not None:
        query = query.where(t.workflows.c.name == workflow)
    rows, after = await keyset_page(
        conn, query, [rr.created_at, rr.id], limit=limit, cursor=cursor, descending=True
    )
    return Page([_run_view(row) for row in rows], after)


async def list_operations(
    conn: AsyncConnection,
    tenant: Tenant,
    run_id: uuid.UUID,
    *,
    loop: str | None = None,
    limit: int = 1000,
    cursor: Cursor | None = None,
) -> Page[dict[str, Any]]:
    """Operation runs in plan order, a loop's body runs in item order."""
    o = t.operation_runs.c
    query = sa.select(t.operation_runs).where(
        o.run_id == run_id, o.org_id == tenant.org_id, o.project_id == tenant.project_id
    )
    if loop is not None:
        parent = (
            sa.select(o.id)
            .where(o.run_id == run_id, o.op_key == loop, o.org_id == tenant.org_id)
            .scalar_subquery()
        )
        query = query.where(o.parent_id == parent)
    # item_index is null outside loops: -1 stands for it in the order.
    order = [o.seq, sa.func.coalesce(o.item_index, -1).label("item_order"), o.op_key]
    rows, after = await keyset_page(conn, query, order, limit=limit, cursor=cursor)
    items = [
        {
            "id": str(row.id),
            "key": row.op_key,
            "kind": row.kind,
            "state": row.state,
            "attempt": row.attempt,
            "item_index": row.item_index,
            "output": row.output,
            "error": row.error,
            "ready_at": row.ready_at,
            "started_at": row.started_at,
            "finished_at": row.finished_at,
            "next_attempt_at": row.next_attempt_at,
            "usage": row.usage,
            "reused_from": row.reused_from,
        }
        for row in rows
    ]
    return Page(items, after)


async def events_after(
    conn: AsyncConnection, tenant: Tenant, run_id: uuid.UUID, after_seq: int
) -> list[dict[str, Any]]:
    e = t.run_events.c
    rows = await conn.execute(
        sa.select(e.seq, e.type, e.data)
        .where(e.run_id == run_id, e.org_id == tenant.org_id, e.seq > after_seq)
        .order_by(e.seq)
    )
    return [{"seq": row.seq, "type": row.type, "data": row.data} for row in rows]
