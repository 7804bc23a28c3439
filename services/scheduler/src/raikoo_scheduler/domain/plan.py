"""A workflow definition compiled for scheduling: topological order and dependents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from graphlib import TopologicalSorter
from types import MappingProxyType

from raikoo_common.workflow.schema import OperationSpec, RetryPolicy, WorkflowDefinition

_NO_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Plan:
    definition: WorkflowDefinition
    order: tuple[str, ...]
    needs: Mapping[str, tuple[str, ...]]
    dependents: Mapping[str, tuple[str, ...]]
    references: Mapping[str, frozenset[str]]
    """Operations whose outputs each operation's templates read (loaded before dispatch)."""
    output_references: frozenset[str]
    positions: Mapping[str, int]

    def spec(self, key: str) -> OperationSpec:
        return self.definition.operations[key]

    def retry(self, key: str) -> RetryPolicy:
        return self.definition.operations[key].retry or _NO_RETRY

    def seq(self, key: str) -> int:
        return self.positions[key]


def compile_plan(
    definition: WorkflowDefinition,
    references: Mapping[str, frozenset[str]],
    outputs: frozenset[str],
) -> Plan:
    needs = {key: tuple(dict.fromkeys(spec.needs)) for key, spec in definition.operations.items()}
    dependents: dict[str, list[str]] = {key: [] for key in needs}
    for key, deps in needs.items():
        for dep in deps:
            dependents[dep].append(key)
    order = tuple(TopologicalSorter(needs).static_order())
    return Plan(
        definition=definition,
        order=order,
        needs=MappingProxyType(needs),
        dependents=MappingProxyType({k: tuple(v) for k, v in dependents.items()}),
        references=MappingProxyType(dict(references)),
        output_references=outputs,
        positions=MappingProxyType({key: i for i, key in enumerate(order)}),
    )
