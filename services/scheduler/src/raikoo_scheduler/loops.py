"""Loops (``foreach``, ``for``, ``while``, ``until``): starting, launching body runs, finishing.

A loop's progress is a few counters on its own operation run; its items are stored once.
Body runs are created only as they are launched, at most ``max_parallel`` at a time, so
the work per finished item is constant: however many items, nothing scans them all until
the loop collects its outputs, once, at the end.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from raikoo_common.messages import ErrorInfo
from raikoo_common.storage import ArtifactStoreError
from raikoo_common.workflow.control import (
    MAX_ITEMS,
    ConditionLoopConfig,
    ForConfig,
    ForeachConfig,
    is_truthy,
)
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_scheduler.context import loop_context, unit_output
from raikoo_scheduler.domain.records import LoopProgress, OpRecord, instance_key
from raikoo_scheduler.domain.states import OpState
from raikoo_scheduler.ports import RunUnit
from raikoo_scheduler.transitions import stop_ops

_MAX_ITEM_ERRORS = 100
"""Item errors kept on a loop that continues past failures (the count is always exact)."""


@dataclass
class LoopOutcome:
    state: OpState
    output: Any = None
    error: dict[str, Any] | None = field(default=None)


async def start_loop(unit: RunUnit, loop: OpRecord, config: BaseModel) -> LoopOutcome | None:
    """Begin a loop; an outcome when it is over at once (no items, a false ``while``)."""
    progress: LoopProgress
    if isinstance(config, ForeachConfig | ForConfig):
        items = (
            config.items
            if isinstance(config, ForeachConfig)
            else range(config.start, config.stop, config.step)
        )
        batch = config.batch_size if isinstance(config, ForeachConfig) else 1
        total = math.ceil(len(items) / batch)
        if total > MAX_ITEMS:
            return _failed(
                loop,
                "too_many_items",
                f"{total} body runs exceed the limit of {MAX_ITEMS} per loop: "
                "batch the items (batch_size) or split the work into sub-workflows",
            )
        loop.items = list(items)
        unit.write_items(loop)
        progress = LoopProgress(
            mode="items",
            total=total,
            batch=batch,
            max_parallel=config.max_parallel,
            on_error=config.on_error,
        )
    else:
        assert isinstance(config, ConditionLoopConfig)
        mode = unit.plan.spec(loop.template).uses
        progress = LoopProgress(
            mode="while" if mode == "while" else "until",
            max_iterations=config.max_iterations,
            max_parallel=1,
            on_error="fail_fast",
        )
    loop.loop = progress
    unit.touch(loop)
    if progress.mode == "items":
        total = progress.total or 0
        for _ in range(min(progress.max_parallel, total)):
            _launch(unit, loop)
        return None if total else LoopOutcome(OpState.SUCCEEDED, output=[])
    if progress.mode == "while":
        return await _next_iteration(unit, loop, item=None)
    _launch(unit, loop)
    return None


async def body_run_finished(unit: RunUnit, loop: OpRecord, index: int) -> LoopOutcome | None:
    """Account for a finished body operation; an outcome when the loop is over."""
    body = [instance_key(t, index) for t in unit.plan.bodies[loop.key].values()]
    ops = await unit.ops(body)
    if len(ops) < len(body) or not all(op.is_terminal for op in ops):
        return None  # other operations of this item are still to run
    progress = loop.loop
    assert progress is not None, f"{loop.key} has no loop progress"
    failed = [op for op in ops if op.state == OpState.FAILED]
    progress.item_finished(failed=bool(failed))
    unit.touch(loop)
    if failed and progress.on_error == "fail_fast":
        stop_ops(unit, await unit.children(loop.id), OpState.CANCELLED)
        first = failed[0]
        reason = (first.error or {}).get("message", "failed")
        kind = (first.error or {}).get("kind", "error")
        return _failed(
            loop, "item_failed", f"item {index} failed at {first.key}: [{kind}] {reason}"
        )
    mode = progress.mode
    if mode == "items":
        if progress.next < (progress.total or 0):
            _launch(unit, loop)
            return None
        return await _collect(unit, loop) if progress.active == 0 else None
    try:
        item = await unit_output(unit, loop, index)
    except ArtifactStoreError as exc:
        return _failed(loop, "artifact", f"iteration {index}'s result is unavailable: {exc}")
    if mode == "until":
        holds = await _condition(unit, loop, item, progress.next)
        if not isinstance(holds, bool):
            return holds
        if holds:
            return await _collect(unit, loop)
        return _launch_within_limit(unit, loop)
    return await _next_iteration(unit, loop, item)


async def _next_iteration(unit: RunUnit, loop: OpRecord, item: Any) -> LoopOutcome | None:
    assert loop.loop is not None
    holds = await _condition(unit, loop, item, loop.loop.next)
    if not isinstance(holds, bool):
        return holds
    if not holds:
        return await _collect(unit, loop)
    return _launch_within_limit(unit, loop)


def _launch_within_limit(unit: RunUnit, loop: OpRecord) -> LoopOutcome | None:
    assert loop.loop is not None
    limit = loop.loop.max_iterations or 0
    if loop.loop.next >= limit:
        return _failed(
            loop,
            "max_iterations",
            f"the loop's condition still asked for more after {limit} iterations (max_iterations)",
        )
    _launch(unit, loop)
    return None


async def _condition(unit: RunUnit, loop: OpRecord, item: Any, index: int) -> bool | LoopOutcome:
    spec = unit.plan.spec(loop.template)
    try:
        context = await loop_context(unit, unit.plan.references[loop.template], item, index)
        value = render_value(
            spec.with_["condition"], context, where=f"operations.{loop.key}.with.condition"
        )
    except TemplateError as exc:
        return _failed(loop, "template", str(exc))
    except ArtifactStoreError as exc:
        return _failed(loop, "artifact", str(exc))
    return is_truthy(value)


def _launch(unit: RunUnit, loop: OpRecord) -> None:
    assert loop.loop is not None
    index = loop.loop.next
    plan, run = unit.plan, unit.run
    ops = [
        OpRecord(
            id=uuid.uuid4(),
            run_id=run.id,
            key=instance_key(template, index),
            kind=plan.kind(template),
            seq=plan.seq(template),
            state=OpState.PENDING,
            needs_pending=len(plan.needs[template]),
            created_at=unit.now,
            parent_id=loop.id,
            item_index=index,
        )
        for template in plan.bodies[loop.key].values()
    ]
    unit.add_ops(ops)
    run.ops_planned(len(ops))
    loop.loop.launched()
    unit.touch(loop)


async def _collect(unit: RunUnit, loop: OpRecord) -> LoopOutcome:
    """The loop's output: each body run's result in item order (once, at the end)."""
    try:
        return await _collected(unit, loop)
    except ArtifactStoreError as exc:
        return _failed(loop, "artifact", f"the loop's results could not be collected: {exc}")


async def _collected(unit: RunUnit, loop: OpRecord) -> LoopOutcome:
    assert loop.loop is not None
    names = unit.plan.bodies[loop.key]
    single = list(names) == [""]
    name_of = {template: name for name, template in names.items()}
    results: list[Any] = [None if single else dict.fromkeys(names) for _ in range(loop.loop.next)]
    errors: list[dict[str, Any]] = []
    failed: set[int] = set()
    for op in sorted(await unit.children(loop.id), key=lambda o: (o.item_index or 0, o.seq)):
        index = op.item_index or 0
        value = await unit.resolve(op.output) if op.state == OpState.SUCCEEDED else None
        if single:
            results[index] = value
        else:
            results[index][name_of[op.template]] = value
        if op.state == OpState.FAILED:
            failed.add(index)
            if len(errors) < _MAX_ITEM_ERRORS:
                errors.append({"index": index, "op_key": op.key, **(op.error or {})})
    for index in failed:  # a failed item gives null, whatever parts of it succeeded
        results[index] = None
    output = await unit.offload(results, loop.key, "output.json")
    outcome = LoopOutcome(OpState.SUCCEEDED, output=output)
    if loop.loop.failed:
        outcome.error = {
            "kind": "item_errors",
            "message": f"{loop.loop.failed} of {len(results)} items failed; their results are null",
            "where": loop.key,
            "retryable": False,
            "items": errors,
        }
    return outcome


def _failed(loop: OpRecord, kind: str, message: str) -> LoopOutcome:
    error = ErrorInfo(kind=kind, message=message, where=loop.key, retryable=False)
    return LoopOutcome(OpState.FAILED, error=error.model_dump())
