"""``raikoo up`` logs a line when a run starts and one when it ends: which workflow, how it
ended, how long it took and, when it failed, why."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.bus import Bus, Subscription
from raikoo_common.db import tables as t
from raikoo_common.db.engine import read_only
from raikoo_common.logging import get_logger
from raikoo_common.messages import Channel, Envelope, RunEventsBatch, RunEventsRecorded

_RUN_STATE = "run.state_changed"
_FINAL = frozenset({"succeeded", "failed", "cancelled"})


class RunLog:
    def __init__(self, bus: Bus, engine: AsyncEngine, max_deliveries: int) -> None:
        self._engine = engine
        self._started: set[uuid.UUID] = set()
        self._log = get_logger("raikoo.runs")
        bus.subscribe(Subscription(Channel.RUNS_EVENTS, self._on_events, 1, max_deliveries))

    async def _on_events(self, envelope: Envelope) -> None:
        # Every operation's state change passes by here; only the runs' own matter. They are
        # picked from the raw payload, so the batches are not validated and decoded.
        for run_id, data in run_states(envelope):
            await self._record(run_id, data)

    async def _record(self, run_id: uuid.UUID, data: Mapping[str, Any]) -> None:
        state = data.get("state")
        if state == "running":
            event = "run resumed" if run_id in self._started else "run started"
            self._started.add(run_id)
        elif state in _FINAL or state == "waiting":
            event = f"run {state}"
            if state in _FINAL:
                self._started.discard(run_id)
        else:
            return
        facts = await self._facts(run_id, ended=state in _FINAL)
        error = data.get("error") or {}
        if state in _FINAL and error.get("message"):
            facts["error"] = error["message"]
        self._log.info(event, run_id=str(run_id), **facts)

    async def _facts(self, run_id: uuid.UUID, *, ended: bool) -> dict[str, Any]:
        r, v, w = t.runs.c, t.workflow_versions.c, t.workflows.c
        query = (
            sa.select(w.name, v.version, r.started_at, r.finished_at, r.parent_run_id)
            .select_from(
                t.runs.join(t.workflow_versions, v.id == r.workflow_version_id).join(
                    t.workflows, w.id == v.workflow_id
                )
            )
            .where(r.id == run_id)
        )
        async with read_only(self._engine) as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return {}
        facts: dict[str, Any] = {"workflow": f"{row.name} v{row.version}"}
        if row.parent_run_id is not None:
            facts["parent_run_id"] = str(row.parent_run_id)
        if ended and row.started_at is not None and row.finished_at is not None:
            facts["duration"] = f"{(row.finished_at - row.started_at).total_seconds():.3f}s"
        return facts


def run_states(envelope: Envelope) -> Iterator[tuple[uuid.UUID, Mapping[str, Any]]]:
    """The run-level state changes an event broadcast carries, read from its raw payload."""
    if envelope.type == RunEventsRecorded.TYPE:
        recorded = [envelope.payload]
    elif envelope.type == RunEventsBatch.TYPE:
        recorded = envelope.payload.get("runs") or []
    else:
        return
    for run in recorded:
        for event in run.get("events") or ():
            if event.get("type") == _RUN_STATE:
                yield uuid.UUID(run["run_id"]), event.get("data") or {}
