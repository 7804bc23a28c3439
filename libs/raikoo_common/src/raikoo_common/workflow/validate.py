"""Everything wrong with a workflow definition, found at once.

Each check reads the raw document leniently, so a structural error in one place
does not hide a cycle or a template error in another.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache, partial
from typing import Any

import pydantic

from raikoo_common.workflow._control_checks import Operation, control_problems
from raikoo_common.workflow._declaration_checks import declaration_problems
from raikoo_common.workflow._graph import find_cycles, upstream
from raikoo_common.workflow._model_problems import model_problems, suggest
from raikoo_common.workflow._secret_checks import secret_problems
from raikoo_common.workflow._template_checks import Scope, template_problems
from raikoo_common.workflow.deferred import deferred_fields
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
    groups = _groups(operations)
    found += _operation_problems(operations, kinds)
    found += control_problems(operations, groups)
    graphs = {group: _graph(members) for group, members in groups.items()}
    for group, members in groups.items():
        found += _needs_problems(members)
        for cycle in find_cycles(graphs[group]):
            loc = (*members[cycle[0]].loc, "needs")
            found.append((loc, "dependency cycle: " + " → ".join(cycle)))
    found += _template_problems(document, groups, graphs)
    found += declaration_problems(document, operations)
    found += secret_problems(operations, kinds)
    problems = list(dict.fromkeys(problem_at(loc, text, source_map) for loc, text in found))
    problems.sort(key=lambda problem: problem.line or 0)  # stable: without lines, found order
    if problems or definition is None:
        raise DefinitionInvalid(problems, source)
    return definition


def _operations(document: Mapping[str, Any]) -> list[Operation]:
    raw = document.get("operations")
    found: list[Operation] = []
    for key, spec in (raw if isinstance(raw, Mapping) else {}).items():
        if not isinstance(key, str) or not isinstance(spec, Mapping):
            continue
        loop = Operation.read(key, spec, ("operations", key), None)
        found.append(loop)
        body = spec.get("do")
        if not isinstance(body, Mapping):
            continue
        if isinstance(body.get("uses"), str):
            found.append(Operation.read("", body, ("operations", key, "do"), key))
            continue
        for sub, sub_spec in body.items():
            if isinstance(sub, str) and isinstance(sub_spec, Mapping):
                found.append(Operation.read(sub, sub_spec, ("operations", key, "do", sub), key))
    return found


def _groups(operations: list[Operation]) -> dict[str | None, dict[str, Operation]]:
    """Operations by the loop whose body they are (None: the workflow's own)."""
    groups: dict[str | None, dict[str, Operation]] = {None: {}}
    for op in operations:
        groups.setdefault(op.group, {})[op.key] = op
    return groups


def _graph(members: Mapping[str, Operation]) -> dict[str, set[str]]:
    graph = {key: op.known_needs(members) for key, op in members.items()}
    for key, op in members.items():  # what a branch leads to runs after the branch
        for _, targets in op.branch_targets():
            for _, target in targets:
                if target in members and target != key:
                    graph[target].add(key)
    return graph


def _operation_problems(operations: list[Operation], kinds: Kinds) -> Iterator[tuple[Loc, str]]:
    for op in operations:
        if op.uses is None:
            continue
        if op.uses not in kinds:
            message = f"unknown operation kind {op.uses!r}{suggest(op.uses, kinds)}"
            yield (*op.loc, "uses"), message
            continue
        model = kinds[op.uses]
        if model is None or not isinstance(op.config, Mapping):
            continue
        try:
            model.model_validate(op.config)
        except pydantic.ValidationError as exc:
            errors = exc.errors(include_url=False)
            problems = model_problems(model, errors, op.config, templates_unchecked=True)
            yield from (((*op.loc, "with", *loc), text) for loc, text in problems)


def _needs_problems(operations: Mapping[str, Operation]) -> Iterator[tuple[Loc, str]]:
    for key, op in operations.items():
        first_index: dict[str, int] = {}
        for index, need in op.needs:
            loc: Loc = (*op.loc, "needs", index)
            if need == key:
                yield loc, "an operation cannot need itself"
            elif need not in operations:
                yield loc, f"unknown operation {need!r}{suggest(need, operations)}"
            elif need in first_index:
                yield loc, f"{need!r} is already listed at needs[{first_index[need]}]"
            first_index.setdefault(need, index)


def _template_problems(
    document: Mapping[str, Any],
    groups: Mapping[str | None, Mapping[str, Operation]],
    graphs: Mapping[str | None, Mapping[str, set[str]]],
) -> Iterator[tuple[Loc, str]]:
    raw_inputs = document.get("inputs")
    inputs = list(raw_inputs) if isinstance(raw_inputs, Mapping) else []
    top = groups[None]
    for group, members in groups.items():
        visible = [*top, *members] if group is not None else list(top)
        for key, op in members.items():
            scope = Scope(
                visible,
                inputs,
                key,
                cache(partial(_upstream, graphs, group, key)),
                in_loop=group is not None,
            )
            if isinstance(op.config, Mapping):
                deferred = deferred_fields(op.uses or "")
                for field_name, value in op.config.items():
                    field_scope = replace(scope, syntax_only=field_name in deferred)
                    yield from template_problems(value, (*op.loc, "with", field_name), field_scope)
            if isinstance(op.when, str):
                yield from template_problems(op.when, (*op.loc, "when"), scope)
    yield from template_problems(document.get("outputs"), ("outputs",), Scope(list(top), inputs))


def _upstream(
    graphs: Mapping[str | None, Mapping[str, set[str]]], group: str | None, key: str
) -> set[str]:
    """What ``key`` may read: its group's upstream and, in a body, what precedes the loop."""
    found = upstream(graphs[group], key)
    if group is not None and group in graphs[None]:
        found |= upstream(graphs[None], group)
    return found
