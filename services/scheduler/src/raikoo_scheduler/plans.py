"""Compiled plans per workflow version. Versions are immutable, so caching is safe."""

from __future__ import annotations

import uuid
from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.db import tables as t
from raikoo_common.workflow.references import ANY_OPERATION, ops_referenced
from raikoo_common.workflow.schema import OperationSpec, WorkflowDefinition
from raikoo_scheduler.domain.plan import Plan, body_template, compile_plan


def plan_for(definition: WorkflowDefinition) -> Plan:
    everything = frozenset(definition.operations)
    references: dict[str, frozenset[str]] = {}
    for key, spec in definition.operations.items():
        references[key] = _read_by(spec, everything)
        for sub, sub_spec in spec.body().items():
            visible = everything | frozenset(spec.body())
            references[body_template(key, sub)] = _read_by(sub_spec, visible)
    outputs = ops_referenced(definition.outputs)
    return compile_plan(definition, references, everything if ANY_OPERATION in outputs else outputs)


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
        document = await conn.scalar(
            sa.select(t.workflow_versions.c.definition).where(
                t.workflow_versions.c.id == version_id
            )
        )
        if document is None:
            raise LookupError(f"workflow version {version_id} does not exist")
        plan = plan_for(WorkflowDefinition.model_validate(document))
        self._plans[version_id] = plan
        if len(self._plans) > self._size:
            self._plans.popitem(last=False)
        return plan
