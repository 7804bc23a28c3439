"""Project operations: a built-in kind with a preset config, reused as ``uses: op/<name>``.

A workflow binds the operation's declared inputs in its ``with``. The scheduler renders
the preset ``config`` with those values as ``inputs`` and, when ``outputs`` is given, maps
the kind's result (``output``) to the operation's own output. A workflow version keeps a
snapshot of every project operation it uses, so changing one never alters a stored version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Annotated, Any, get_args

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from raikoo_common.secrets.sinks import credential_sinks
from raikoo_common.workflow._model_problems import model_problems, suggest
from raikoo_common.workflow._secret_checks import config_secret_problems
from raikoo_common.workflow._template_checks import Scope, template_problems
from raikoo_common.workflow.deferred import deferred_fields
from raikoo_common.workflow.inputs import InputsInvalid, resolve_inputs
from raikoo_common.workflow.problems import DefinitionInvalid, Loc, Problem, SourceMap, problem_at
from raikoo_common.workflow.schema import NAME_PATTERN, InputSpec, InputType, WorkflowDefinition
from raikoo_common.workflow.validate import Kinds, _operations, validate_definition

USES_PREFIX = "op/"
INPUT_TYPES: tuple[str, ...] = get_args(InputType)
CONFIG_NAMES = ("inputs", "secrets")
"""What a project operation's config may read: its own inputs, bound by the workflow, and
the organization's secrets (as references, resolved by the runner)."""
OUTPUT_NAMES = ("output",)
"""What its output mapping may read: the result of the kind it wraps."""

_INPUT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
"""Names a template reads as ``inputs.<name>``, without quoting."""


def _input_name(name: str) -> str:
    if not _INPUT_NAME.fullmatch(name):
        raise ValueError(
            f"input name {name!r}: use letters, digits and _ (64 at most), not starting "
            "with a digit, so templates can read it as inputs.<name>"
        )
    return name


InputName = Annotated[str, AfterValidator(_input_name)]


class ProjectOperation(BaseModel):
    """A reusable operation definition, as posted to ``/v1/operations``.

    The model checks its shape; ``validate_operation`` also checks it against the kinds.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN, description="Used in workflows as `op/<name>`.")
    description: str | None = Field(default=None, max_length=4000)
    kind: str = Field(min_length=1, max_length=128, description="The built-in kind it wraps.")
    inputs: dict[InputName, InputSpec] = Field(default_factory=dict)
    config: dict[str, Any] = Field(
        default_factory=dict, description="The kind's config; templates read `inputs`."
    )
    outputs: dict[str, Any] = Field(
        default_factory=dict,
        description="The operation's output mapped from the kind's `output`; "
        "empty: the kind's output as it is.",
    )

    @property
    def uses(self) -> str:
        return USES_PREFIX + self.name

    def snapshot(self, version: int) -> OperationSnapshot:
        return OperationSnapshot(
            version=version,
            kind=self.kind,
            config=self.config,
            inputs=self.inputs,
            outputs=self.outputs,
        )


class OperationSnapshot(BaseModel):
    """A project operation as a workflow version pinned it (``workflow_versions.operations``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    kind: str
    config: dict[str, Any]
    inputs: dict[str, InputSpec]
    outputs: dict[str, Any]

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def operation_name(uses: str) -> str | None:
    """The project operation a ``uses`` names, or None for a built-in kind."""
    return uses.removeprefix(USES_PREFIX) if uses.startswith(USES_PREFIX) else None


def input_type_error(kind: InputType, value: Any) -> str | None:
    """Why ``value`` is not of input type ``kind``, by the rule run inputs are checked with."""
    try:
        resolve_inputs({"value": InputSpec(type=kind)}, {"value": value})
    except InputsInvalid as exc:
        return exc.problems[0].message
    return None


def with_model(name: str, inputs: Mapping[str, InputSpec]) -> type[BaseModel]:
    """The model of a workflow's ``with`` for ``op/<name>``: one field per declared input.

    Literal values are checked as run inputs are; a template passes here, being checked
    only once rendered. Fields carry the input names as aliases, so an input may be called
    ``json`` or ``copy`` without shadowing the model's own attributes.
    """
    fields: dict[str, Any] = {}
    for index, (input_name, spec) in enumerate(inputs.items()):
        annotation = Annotated[Any, AfterValidator(_fits(spec.type))]
        extra: JsonDict | None = None if spec.type == "any" else {"type": spec.type}
        default = ... if spec.is_required else spec.default
        field = Field(
            default, alias=input_name, description=spec.description, json_schema_extra=extra
        )
        fields[f"input_{index}"] = (annotation, field)
    config = ConfigDict(extra="forbid", validate_by_alias=True, validate_by_name=False)
    model: type[BaseModel] = pydantic.create_model(
        f"{USES_PREFIX}{name}", __config__=config, **fields
    )
    return model


def _fits(kind: InputType) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if (error := input_type_error(kind, value)) is not None:
            raise ValueError(error)
        return value

    return check


class OperationInvalid(Exception):
    """A project operation definition with problems; nothing is stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def validate_operation(
    document: Any,
    *,
    kinds: Kinds,
    families: Mapping[str, str],
    source_map: SourceMap | None = None,
) -> ProjectOperation:
    """The definition as a model, or ``OperationInvalid`` listing every problem found.

    ``kinds`` maps each built-in kind to its config model, ``families`` to its family:
    ``control`` kinds are the scheduler's own and cannot be wrapped.
    """
    if not isinstance(document, Mapping):
        message = "an operation definition is a mapping of keys to values"
        raise OperationInvalid([problem_at((), message, source_map)])
    found: list[tuple[Loc, str]] = []
    operation = None
    try:
        operation = ProjectOperation.model_validate(document)
    except pydantic.ValidationError as exc:
        found += model_problems(ProjectOperation, exc.errors(include_url=False), document)
    kind, config = document.get("kind"), document.get("config")
    if isinstance(kind, str) and kind:
        found += _kind_problems(kind, config, kinds, families)
    found += _default_problems(document)
    found += _template_problems(document, kind if isinstance(kind, str) else "")
    problems = list(dict.fromkeys(problem_at(loc, text, source_map) for loc, text in found))
    problems.sort(key=lambda problem: problem.line or 0)
    if problems or operation is None:
        raise OperationInvalid(problems)
    return operation


def _kind_problems(
    kind: str, config: Any, kinds: Kinds, families: Mapping[str, str]
) -> list[tuple[Loc, str]]:
    if kind.startswith(USES_PREFIX):
        message = "a project operation wraps a built-in kind, not another project operation"
        return [(("kind",), message)]
    wrappable = [name for name in kinds if families.get(name) != "control"]
    if kind not in kinds:
        return [(("kind",), f"unknown operation kind {kind!r}{suggest(kind, wrappable)}")]
    if families.get(kind) == "control":
        message = (
            f"{kind!r} is a control kind (branches, loops, waits, sub-workflows), run by "
            "the scheduler within its workflow: it cannot be a project operation"
        )
        return [(("kind",), message)]
    model = kinds[kind]
    if model is None or not isinstance(config, Mapping):
        return []
    found = list(config_secret_problems(config, ("config",), kind, credential_sinks(model)))
    try:
        model.model_validate(config)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = model_problems(model, errors, config, templates_unchecked=True)
        found += [(("config", *loc), text) for loc, text in problems]
    return found


def _default_problems(document: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    raw_inputs = document.get("inputs")
    found: list[tuple[Loc, str]] = []
    for name, spec in (raw_inputs if isinstance(raw_inputs, Mapping) else {}).items():
        if not isinstance(spec, Mapping) or spec.get("default") is None:
            continue
        kind = spec.get("type", "any")
        if kind in INPUT_TYPES and (error := input_type_error(kind, spec["default"])):
            found.append((("inputs", name, "default"), error))
    return found


def _template_problems(document: Mapping[str, Any], kind: str) -> list[tuple[Loc, str]]:
    raw_inputs = document.get("inputs")
    inputs = list(raw_inputs) if isinstance(raw_inputs, Mapping) else []
    found: list[tuple[Loc, str]] = []
    config = document.get("config")
    if isinstance(config, Mapping):
        deferred = deferred_fields(kind)
        for field_name, value in config.items():
            scope = Scope((), inputs, names=CONFIG_NAMES, syntax_only=field_name in deferred)
            found += template_problems(value, ("config", field_name), scope)
    output_scope = Scope((), (), names=OUTPUT_NAMES)
    found += template_problems(document.get("outputs"), ("outputs",), output_scope)
    return found


def used_operations(document: Any) -> dict[str, list[Loc]]:
    """Each project operation a workflow document uses, with where (its ``uses``)."""
    used: dict[str, list[Loc]] = {}
    if isinstance(document, Mapping):
        for op in _operations(document):
            name = operation_name(op.uses or "")
            if name is not None:
                used.setdefault(name, []).append((*op.loc, "uses"))
    return used


def validate_workflow(
    document: Mapping[str, Any],
    *,
    kinds: Kinds,
    operations: Mapping[str, ProjectOperation],
    project_names: Collection[str] = (),
    source_map: SourceMap | None = None,
) -> WorkflowDefinition:
    """``validate_definition``, with ``op/<name>`` resolved against the project's operations.

    ``operations`` holds those the workflow uses that exist; ``project_names`` every name
    in the project, to suggest one for a misspelt ``op/…``.
    """
    used = used_operations(document)
    resolved: dict[str, type[BaseModel] | None] = dict(kinds)
    unknown: list[Problem] = []
    for name, locs in used.items():
        operation = operations.get(name)
        if operation is not None:
            resolved[USES_PREFIX + name] = with_model(name, operation.inputs)
            continue
        resolved[USES_PREFIX + name] = None  # reported below, once, as what it is
        message = f"unknown project operation {name!r}{suggest(name, project_names)}"
        unknown += [problem_at(loc, message, source_map) for loc in locs]
    try:
        definition = validate_definition(document, kinds=resolved, source_map=source_map)
    except DefinitionInvalid as exc:
        problems = [*exc.problems, *unknown]
        problems.sort(key=lambda problem: problem.line or 0)
        raise DefinitionInvalid(problems, exc.source) from None
    if unknown:
        raise DefinitionInvalid(unknown, source_map.source if source_map else None)
    return definition
