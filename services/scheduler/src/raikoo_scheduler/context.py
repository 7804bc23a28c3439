"""What an operation's templates see: inputs, upstream outputs, run, and in a loop body
the item, its index and the sibling body operations of the same item."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from raikoo_common.secrets import SecretReferences
from raikoo_scheduler.domain.records import OpRecord, instance_key
from raikoo_scheduler.ports import RunUnit


async def template_context(unit: RunUnit, op: OpRecord) -> dict[str, Any]:
    references = unit.plan.references[op.template]
    if op.parent_id is None:
        return await outputs_context(unit, references)
    loop = await unit.op(op.parent_id)
    assert loop is not None, f"loop of {op.key} is missing"
    names = unit.plan.bodies[loop.key]
    index = op.item_index
    siblings = {name: instance_key(names[name], index) for name in references if name in names}
    outer = [name for name in references if name not in names]
    found = await unit.outputs([*outer, *siblings.values()])
    outputs = {name: await unit.resolve(found.get(name)) for name in outer}
    outputs.update({name: await unit.resolve(found.get(key)) for name, key in siblings.items()})
    context = base_context(unit, outputs)
    context["item"] = await loop_item(unit, loop, index or 0)
    context["index"] = index
    return context


async def outputs_context(unit: RunUnit, references: Iterable[str]) -> dict[str, Any]:
    """The scope of the workflow's own templates. An operation that was skipped (or failed,
    under a rule such as ``all_done``) reads as ``output: null``, not as an error."""
    references = list(references)
    found = await unit.outputs(references) if references else {}
    return base_context(unit, {name: await unit.resolve(found.get(name)) for name in references})


async def loop_context(
    unit: RunUnit, references: Iterable[str], item: Any, index: int
) -> dict[str, Any]:
    """The scope of a ``while``/``until`` condition."""
    context = await outputs_context(unit, references)
    context["item"] = item
    context["index"] = index
    return context


async def loop_item(unit: RunUnit, loop: OpRecord, index: int) -> Any:
    """What ``item`` is in body run ``index``: the item, the batch, or (while/until) the
    previous iteration's output."""
    if loop.items is not None:
        batch = loop.loop.batch if loop.loop is not None else 1
        if batch == 1:
            return loop.items[index]
        return loop.items[index * batch : (index + 1) * batch]
    return await unit_output(unit, loop, index - 1) if index > 0 else None


async def unit_output(unit: RunUnit, loop: OpRecord, index: int) -> Any:
    """Body run ``index``'s result: the operation's output, or a mapping for a group."""
    names = unit.plan.bodies[loop.key]
    keys = {name: instance_key(template, index) for name, template in names.items()}
    found = await unit.outputs(keys.values())
    if list(names) == [""]:
        return await unit.resolve(found.get(keys[""]))
    return {name: await unit.resolve(found.get(key)) for name, key in keys.items()}


_SECRETS = SecretReferences()  # renders references: values never leave the runners


def base_context(unit: RunUnit, outputs: dict[str, Any]) -> dict[str, Any]:
    run = unit.run
    return {
        "secrets": _SECRETS,
        "inputs": run.inputs,
        "ops": {key: {"output": value} for key, value in outputs.items()},
        "run": {
            "id": str(run.id),
            "started_at": run.started_at.isoformat() if run.started_at else None,
            "trigger": run.trigger,
        },
    }
