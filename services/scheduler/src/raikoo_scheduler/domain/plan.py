"""A workflow definition compiled for scheduling: order, dependents, branches, loop bodies.

A loop's body operations are planned once, under template keys (``loop[].fetch``, or
``loop[]`` for a single-operation body); each body run is an instance of its template
(``loop[7].fetch``). Everything keyed by template is shared by all of a loop's items.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from graphlib import TopologicalSorter
from types import MappingProxyType
from typing import Any

from raikoo_common.workflow.schema import (
    InputSpec,
    OperationSpec,
    RetryPolicy,
    WorkflowDefinition,
)

_NO_RETRY = RetryPolicy()


@dataclass(frozen=True)
class ProjectOperation:
    """A project operation (``uses: op/<name>``) as the workflow version pinned it."""

    kind: str
    config: Mapping[str, Any]
    inputs: Mapping[str, InputSpec]
    outputs: Mapping[str, Any]

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any]) -> ProjectOperation:
        inputs = {k: InputSpec.model_validate(v) for k, v in snapshot.get("inputs", {}).items()}
        return cls(snapshot["kind"], snapshot["config"], inputs, snapshot.get("outputs") or {})


def body_template(loop: str, sub: str) -> str:
    return f"{loop}[].{sub}" if sub else f"{loop}[]"


@dataclass(frozen=True)
class Plan:
    definition: WorkflowDefinition
    order: tuple[str, ...]
    """The workflow's own operations (not loop bodies), dependencies first."""
    specs: Mapping[str, OperationSpec]
    needs: Mapping[str, tuple[str, ...]]
    dependents: Mapping[str, tuple[str, ...]]
    references: Mapping[str, frozenset[str]]
    """Operations whose outputs each operation's templates read (loaded before dispatch);
    in a body, sibling names as written (``fetch``) and the workflow's operations."""
    output_references: frozenset[str]
    positions: Mapping[str, int]
    branches: Mapping[str, Mapping[str, tuple[str, ...]]]
    """For each ``if``/``switch``: every outcome's target operations."""
    bodies: Mapping[str, Mapping[str, str]]
    """For each loop: its body's names (``""`` for a single operation) → template keys."""
    project: Mapping[str, ProjectOperation]
    """The project operations used, by ``op/<name>``."""
    ai_objects: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """The provider connections, personas and tools its AI operations name, as pinned
    (``raikoo_common.workflow.ai_objects``)."""

    def kind(self, key: str) -> str:
        """The kind that executes ``key``: a project operation's built-in kind."""
        uses = self.specs[key].uses
        found = self.project.get(uses)
        return found.kind if found else uses

    def spec(self, key: str) -> OperationSpec:
        return self.specs[key]

    def retry(self, key: str) -> RetryPolicy:
        return self.specs[key].retry or _NO_RETRY

    def seq(self, key: str) -> int:
        return self.positions[key]


def compile_plan(
    definition: WorkflowDefinition,
    references: Mapping[str, frozenset[str]],
    outputs: frozenset[str],
    project: Mapping[str, ProjectOperation] | None = None,
    ai_objects: Mapping[str, Any] | None = None,
) -> Plan:
    specs: dict[str, OperationSpec] = dict(definition.operations)
    needs = _needs(definition.operations, _same)
    branches = _branches(definition.operations, _same)
    order = tuple(TopologicalSorter(needs).static_order())
    positions = {key: i for i, key in enumerate(order)}
    bodies: dict[str, Mapping[str, str]] = {}
    for loop in order:
        body = definition.operations[loop].body()
        if not body:
            continue
        key_of = partial(body_template, loop)
        bodies[loop] = MappingProxyType({sub: key_of(sub) for sub in body})
        specs.update((key_of(sub), sub_spec) for sub, sub_spec in body.items())
        inner = _needs(body, key_of)
        needs.update(inner)
        branches.update(_branches(body, key_of))
        for template in TopologicalSorter(inner).static_order():
            positions[template] = len(positions)
    dependents: dict[str, list[str]] = {key: [] for key in needs}
    for key, deps in needs.items():
        for dep in deps:
            dependents[dep].append(key)
    return Plan(
        definition=definition,
        order=order,
        specs=MappingProxyType(specs),
        needs=MappingProxyType(needs),
        dependents=MappingProxyType({k: tuple(v) for k, v in dependents.items()}),
        references=MappingProxyType(dict(references)),
        output_references=outputs,
        positions=MappingProxyType(positions),
        branches=MappingProxyType(branches),
        bodies=MappingProxyType(bodies),
        project=MappingProxyType(dict(project or {})),
        ai_objects=MappingProxyType(dict(ai_objects or {})),
    )


def _same(key: str) -> str:
    return key


def _needs(
    specs: Mapping[str, OperationSpec], key_of: Callable[[str], str]
) -> dict[str, tuple[str, ...]]:
    """Each operation's needs, plus each branching operation it is a target of."""
    found = {key_of(name): [key_of(dep) for dep in spec.needs] for name, spec in specs.items()}
    for name, spec in specs.items():
        for targets in spec.branches().values():
            for target in targets:
                found[key_of(target)].append(key_of(name))
    return {key: tuple(dict.fromkeys(deps)) for key, deps in found.items()}


def _branches(
    specs: Mapping[str, OperationSpec], key_of: Callable[[str], str]
) -> dict[str, Mapping[str, tuple[str, ...]]]:
    return {
        key_of(name): MappingProxyType(
            {outcome: tuple(map(key_of, targets)) for outcome, targets in branches.items()}
        )
        for name, spec in specs.items()
        if (branches := spec.branches())
    }
