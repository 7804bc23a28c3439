"""Everything wrong with a workflow definition, found at once.

Each check reads the raw document leniently, so a structural error in one place
does not hide a cycle or a template error in another.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pydantic

from raikoo_common.workflow._graph import find_cycles, upstream
from raikoo_common.workflow._model_problems import model_problems, suggest
from raikoo_common.workflow._template_checks import Scope, template_problems
from raikoo_common.workflow.problems import DefinitionInvalid, Loc, SourceMap, problem_at
from raikoo_common.workflow.schema import WorkflowDefinition

Kinds = Mapping[str, type[pydantic.BaseModel] | None]
"""Operation kinds by ``uses`` name, each with the model of its ``with`` (None: anything goes)."""


def validate_definition(
    document: Mapping[str, Any], *, kinds: Kinds, source_map: SourceMap | None = None
) -> WorkflowDefinition:
    """The definition as a model, or ``DefinitionInvalid`` listing every problem found."""
    source = source_map.source if source_map else None
    if not isinstance(document, Mapping):
        message = "a workflow definition is a mapping of keys to values"
        raise DefinitionInvalid([problem_at((), message, source_map)], source)
    found: list[tuple[Loc, str]] = []
    definition = None
    try:
        definition = WorkflowDefinition.model_validate(document, by_alias=True, by_name=False)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False)
        found += model_problems(WorkflowDefinition, errors, document, by_name=False)
    operations = _operations(document)
    found += _operation_problems(operations, kinds)
    found += _needs_problems(operations)
    graph = {key: op.known_needs(operations) for key, op in operations.items()}
    for cycle in find_cycles(graph):
        found.append((("operations", cycle[0], "needs"), "dependency cycle: " + " → ".join(cycle)))
    found += _template_problems(document, operations, graph)
    problems = list(dict.fromkeys(problem_at(loc, text, source_map) for loc, text in found))
    problems.sort(key=lambda problem: problem.line or 0)  # stable: without lines, found order
    if problems or definition is None:
        raise DefinitionInvalid(problems, source)
    return definition


@dataclass
class _Operation:
    """What can be read of one operation, however malformed the rest of it is."""

    key: str
    uses: str | None
    config: Any
    needs: list[tuple[int, str]] = field(default_factory=list)

    def known_needs(self, operations: Mapping[str, _Operation]) -> set[str]:
        return {need for _, need in self.needs if need in operations} - {self.key}


def _operations(document: Mapping[str, Any]) -> dict[str, _Operation]:
    raw = document.get("operations")
    operations = {}
    for key, spec in (raw if isinstance(raw, Mapping) else {}).items():
        if not isinstance(key, str) or not isinstance(spec, Mapping):
            continue
        uses = spec.get("uses")
        needs = spec.get("needs")
        operations[key] = _Operation(
            key=key,
            uses=uses if isinstance(uses, str) and uses else None,
            config=spec.get("with", {}),
            needs=list(_strings(needs) if isinstance(needs, list) else ()),
        )
    return operations


def _strings(items: list[Any]) -> Iterator[tuple[int, str]]:
    return ((index, item) for index, item in enumerate(items) if isinstance(item, str))


def _operation_problems(
    operations: Mapping[str, _Operation], kinds: Kinds
) -> Iterator[tuple[Loc, str]]:
    for key, op in operations.items():
        if op.uses is None:
            continue
        if op.uses not in kinds:
            message = f"unknown operation kind {op.uses!r}{suggest(op.uses, kinds)}"
            yield ("operations", key, "uses"), message
            continue
        model = kinds[op.uses]
        if model is None or not isinstance(op.config, Mapping):
            continue
        try:
            model.model_validate(op.config)
        except pydantic.ValidationError as exc:
            errors = exc.errors(include_url=False)
            problems = model_problems(model, errors, op.config, templates_unchecked=True)
            yield from ((("operations", key, "with", *loc), text) for loc, text in problems)


def _needs_problems(operations: Mapping[str, _Operation]) -> Iterator[tuple[Loc, str]]:
    for key, op in operations.items():
        first_index: dict[str, int] = {}
        for index, need in op.needs:
            loc: Loc = ("operations", key, "needs", index)
            if need == key:
                yield loc, "an operation cannot need itself"
            elif need not in operations:
                yield loc, f"unknown operation {need!r}{suggest(need, operations)}"
            elif need in first_index:
                yield loc, f"{need!r} is already listed at needs[{first_index[need]}]"
            first_index.setdefault(need, index)


def _template_problems(
    document: Mapping[str, Any],
    operations: Mapping[str, _Operation],
    graph: Mapping[str, set[str]],
) -> Iterator[tuple[Loc, str]]:
    raw_inputs = document.get("inputs")
    inputs = list(raw_inputs) if isinstance(raw_inputs, Mapping) else []
    for key, op in operations.items():
        scope = Scope(operations, inputs, key, cache(lambda key=key: upstream(graph, key)))
        if isinstance(op.config, Mapping):
            yield from template_problems(op.config, ("operations", key, "with"), scope)
    yield from template_problems(document.get("outputs"), ("outputs",), Scope(operations, inputs))
