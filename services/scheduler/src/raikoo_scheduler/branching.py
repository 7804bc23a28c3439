"""Branches and trigger rules: which operations run, and which are skipped."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from raikoo_common.workflow.control import IfConfig, SwitchConfig, is_truthy
from raikoo_common.workflow.schema import case_label
from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord
from raikoo_scheduler.domain.states import OpState


def decide(plan: Plan, op: OpRecord, config: BaseModel) -> dict[str, Any] | None:
    """The output of an ``if`` or ``switch``: the outcome taken. None for other kinds."""
    if isinstance(config, IfConfig):
        holds = is_truthy(config.condition)
        return {"branch": "then" if holds else "else", "condition": holds}
    if isinstance(config, SwitchConfig):
        label = case_label(config.value)
        cases = plan.branches[op.template]
        return {"branch": label if label in cases else "default", "value": config.value}
    return None


def untaken_targets(plan: Plan, done: OpRecord) -> list[str]:
    """Targets (template keys) of the outcomes a finished branching operation did not take.

    An operation that is also a target of the taken outcome stays. When the branching
    operation itself did not succeed, its targets are skipped by the trigger rules instead.
    """
    branches = plan.branches.get(done.template)
    if not branches or done.state != OpState.SUCCEEDED or not isinstance(done.output, dict):
        return []
    taken = set(branches.get(done.output.get("branch", ""), ()))
    return [
        target
        for outcome, targets in branches.items()
        if outcome != done.output.get("branch")
        for target in targets
        if target not in taken
    ]


def would_run(plan: Plan, op: OpRecord) -> bool:
    """Whether an operation whose needs have all finished runs, by its trigger rule:

    - ``all_succeeded`` (default): every need succeeded;
    - ``none_failed``: no need failed and at least one succeeded (joins after branches);
    - ``one_succeeded``: at least one need succeeded;
    - ``all_done`` / ``always``: in any case.
    """
    rule = plan.spec(op.template).trigger
    total = len(plan.needs[op.template])
    succeeded = total - op.needs_failed - op.needs_skipped
    if rule == "all_succeeded":
        return succeeded == total
    if rule == "none_failed":
        return op.needs_failed == 0 and (succeeded > 0 or total == 0)
    if rule == "one_succeeded":
        return succeeded > 0 or total == 0
    return True
