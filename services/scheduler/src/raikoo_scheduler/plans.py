"""Compiled plans per workflow version. Versions are immutable, so caching is safe."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.db import tables as t
from raikoo_common.workflow.references import ANY_OPERATION, ops_referenced
from raikoo_common.workflow.schema import OperationSpec, WorkflowDefinition
from raikoo_scheduler.domain.plan import Plan, ProjectOperation, body_template, compile_plan


def plan_for(
    definition: WorkflowDefinition,
    operations: Mapping[str, Any] | None = None,
    ai_objects: Mapping[str, Any] | None = None,
) -> Plan:
    """``operations``: the snapshot of project operations the version uses (by name);
    ``ai_objects``: the provider connections, personas and tools it pinned."""
    everything = frozenset(definition.operations)
    references: dict[str, frozenset[str]] = {}
    for key, spec in definition.operations.items():
        references[key] = _read_by(spec, everything)
        for sub, sub_spec in spec.body().items():
            visible = everything | frozenset(spec.body())
            references[body_template(key, sub)] = _read_by(sub_spec, visible)
    outputs = ops_referenced(definition.outputs)
    project = {
        f"op/{name}": ProjectOperation.from_snapshot(snapshot)
        for name, snapshot in (operations or {}).items()
    }
    read = everything if ANY_OPERATION in outputs else outputs
    return compile_plan(definition, references, read, project, ai_objects)


def _read_by(spec: OperationSpec, visible: frozenset[str]) -> frozenset[str]:
    found = ops_referenced([spec.with_, spec.when])
    return visible if ANY_OPERATION in found else found


class PlanCache:
    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._plans: OrderedDict[uuid.UUID, Plan] = OrderedDict()

    async def get(self, conn: AsyncConnection, version_id: uuid.UUID) -> Plan:
        plan = self._plans.get(version_id)
        if plan is not None:
            self._plans.move_to_end(version_id)
            return plan
        v = t.workflow_versions.c
        row = (
            await conn.execute(
                sa.select(v.definition, v.operations, v.ai_objects).where(v.id == version_id)
            )
        ).first()
        if row is None:
            raise LookupError(f"workflow version {version_id} does not exist")
        definition = WorkflowDefinition.model_validate(row.definition)
        plan = plan_for(definition, row.operations, row.ai_objects)
        self._plans[version_id] = plan
        if len(self._plans) > self._size:
            self._plans.popitem(last=False)
        return plan
