"""The SQL of the run store, built once: statements, row ↔ record conversion."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from raikoo_common.db import tables as t
from raikoo_common.db.fast import PreparedWrite, column_types
from raikoo_common.messages import (
    Envelope,
    Message,
    OperationStateChanged,
    RunStateChanged,
)
from raikoo_scheduler.domain.records import LoopProgress, OpRecord, RunRecord
from raikoo_scheduler.domain.states import UNFINISHED_OP_STATES, OpState, RunState

PRODUCER = "scheduler"
OP_MUTABLE = (
    "state",
    "attempt",
    "needs_pending",
    "needs_failed",
    "needs_skipped",
    "loop",
    "output",
    "error",
    "ready_at",
    "started_at",
    "finished_at",
    "lease_expires_at",
    "next_attempt_at",
    "usage",
    "usage_counted",
)
RUN_MUTABLE = (
    "version",
    "state",
    "outputs",
    "error",
    "active_ops",
    "waits_open",
    "ops_total",
    "ops_done",
    "ops_failed",
    "event_seq",
    "started_at",
    "finished_at",
    "usage",
)
UNFINISHED = sorted(UNFINISHED_OP_STATES)
_op = t.operation_runs.c

# Built once: constructing a statement and its cache key costs more than running it here.
RUN_FIELDS = tuple(RunRecord.__dataclass_fields__)
OP_FIELDS = (
    "id",
    "org_id",
    "project_id",
    "run_id",
    "op_key",
    "kind",
    "seq",
    "created_at",
    "parent_id",
    "item_index",
    "reused_from",
)
EVENT_FIELDS = (
    "org_id",
    "run_id",
    "seq",
    "type",
    "op_key",
    "state",
    "attempt",
    "data",
    "created_at",
)
INSERT_RUN = PreparedWrite(sa.insert(t.runs), RUN_FIELDS, column_types(t.runs))
INSERT_OPS = PreparedWrite(
    sa.insert(t.operation_runs), (*OP_FIELDS, *OP_MUTABLE), column_types(t.operation_runs)
)
INSERT_EVENTS = PreparedWrite(sa.insert(t.run_events), EVENT_FIELDS, column_types(t.run_events))
UPDATE_RUN = PreparedWrite(
    sa.update(t.runs).where(t.runs.c.id == sa.bindparam("b_id")),
    (*RUN_MUTABLE, "b_id"),
    column_types(t.runs, b_id=t.runs.c.id.type),
)
WRITE_ITEMS = PreparedWrite(
    sa.update(t.operation_runs).where(_op.id == sa.bindparam("b_id")),
    ("items", "b_id"),
    column_types(t.operation_runs, b_id=_op.id.type),
)
"""A loop's items, written once: kept out of OP_MUTABLE so progress updates stay small."""
UPDATE_OPS = PreparedWrite(
    sa.update(t.operation_runs).where(_op.id == sa.bindparam("b_id")),
    (*OP_MUTABLE, "b_id"),
    column_types(t.operation_runs, b_id=_op.id.type),
)
SELECT_RUN = sa.select(*[t.runs.c[n] for n in RunRecord.__dataclass_fields__]).where(
    t.runs.c.id == sa.bindparam("b_id")
)
LOCK_RUN = SELECT_RUN.with_for_update()
NOW = sa.bindparam("b_now", type_=t.runs.c.deadline_at.type)
DUE = sa.union_all(
    sa.select(
        sa.literal("retry").label("what"), _op.run_id, _op.id.label("op_id"), _op.attempt
    ).where(_op.state.in_(("retrying", "waiting")), _op.next_attempt_at <= NOW),
    sa.select(sa.literal("lease"), _op.run_id, _op.id, _op.attempt).where(
        _op.state.in_(("ready", "running")), _op.lease_expires_at <= NOW
    ),
    sa.select(
        sa.literal("deadline"), t.runs.c.id, sa.null().cast(sa.Uuid), sa.null().cast(sa.Integer)
    ).where(t.runs.c.state.in_(("running", "waiting")), t.runs.c.deadline_at <= NOW),
).limit(1000)
"""One round trip per timer pass for everything that fell due: retries and durable waits
(both "retry"), leases and deadlines."""


def op_record(row: sa.Row[Any]) -> OpRecord:
    m = row._mapping
    return OpRecord(
        id=m["id"],
        run_id=m["run_id"],
        key=m["op_key"],
        kind=m["kind"],
        seq=m["seq"],
        state=OpState(m["state"]),
        needs_pending=m["needs_pending"],
        created_at=m["created_at"],
        attempt=m["attempt"],
        needs_failed=m["needs_failed"],
        needs_skipped=m["needs_skipped"],
        parent_id=m["parent_id"],
        item_index=m["item_index"],
        loop=LoopProgress.from_json(m["loop"]),
        items=m["items"],
        output=m["output"],
        error=m["error"],
        ready_at=m["ready_at"],
        started_at=m["started_at"],
        finished_at=m["finished_at"],
        lease_expires_at=m["lease_expires_at"],
        next_attempt_at=m["next_attempt_at"],
        usage=m["usage"],
        usage_counted=m["usage_counted"],
        reused_from=m["reused_from"],
    )


def run_record(row: sa.Row[Any]) -> RunRecord:
    m = row._mapping
    record = RunRecord(**{name: m[name] for name in RunRecord.__dataclass_fields__})
    record.state = RunState(record.state)
    return record


def enveloper(run: RunRecord) -> Any:
    def wrap(message: Message) -> Envelope:
        return Envelope.wrap(message, org_id=run.org_id, run_id=run.id, correlation_id=run.id)

    return wrap


def run_values(run: RunRecord) -> dict[str, Any]:
    return {name: getattr(run, name) for name in RunRecord.__dataclass_fields__}


def op_values(run: RunRecord, op: OpRecord) -> dict[str, Any]:
    return {
        "id": op.id,
        "org_id": run.org_id,
        "project_id": run.project_id,
        "run_id": run.id,
        "op_key": op.key,
        "kind": op.kind,
        "seq": op.seq,
        "created_at": op.created_at,
        "parent_id": op.parent_id,
        "item_index": op.item_index,
        "reused_from": op.reused_from,
        **{n: getattr(op, n) for n in OP_MUTABLE},
    }


def event_values(run: RunRecord, note: Message, now: datetime) -> dict[str, Any]:
    data = note.model_dump(mode="json")
    assert isinstance(note, OperationStateChanged | RunStateChanged)
    op = note if isinstance(note, OperationStateChanged) else None
    return {
        "org_id": run.org_id,
        "run_id": run.id,
        "seq": note.seq,
        "type": note.TYPE,
        "op_key": op.op_key if op else None,
        "state": note.state,
        "attempt": op.attempt if op else None,
        "data": data,
        "created_at": now,
    }
