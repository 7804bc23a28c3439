"""Checks of what a definition declares that would otherwise fail only when it runs — or,
worse, never: an input default of the wrong type, a ``retry.on`` naming an error kind that
nothing raises (so the operation never retries), outputs that read secrets (refused when
the run ends, after all the work is done)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from raikoo_common.error_kinds import ERROR_KINDS, RETRY_ANY
from raikoo_common.workflow._control_checks import Operation
from raikoo_common.workflow._model_problems import suggest
from raikoo_common.workflow.inputs import type_mismatch
from raikoo_common.workflow.problems import Loc
from raikoo_common.workflow.templates import is_template, referenced_names, template_syntax_error

_OUTPUTS_ARE_PUBLIC = (
    "outputs cannot read secrets: a run's outputs are stored and shown to everyone who can "
    "read the run. Use the secret in an operation's `with` (where the runner masks it)"
)


def declaration_problems(
    document: Mapping[str, Any], operations: list[Operation]
) -> Iterator[tuple[Loc, str]]:
    yield from _default_problems(document.get("inputs"))
    yield from _retry_problems(operations)
    yield from _secrets_in(document.get("outputs"), ("outputs",))


def _default_problems(inputs: Any) -> Iterator[tuple[Loc, str]]:
    if not isinstance(inputs, Mapping):
        return
    for name, spec in inputs.items():
        if not isinstance(spec, Mapping) or spec.get("default") is None:
            continue  # null is "no default" (or an optional input's null value)
        kind = spec.get("type", "any")
        mismatch = type_mismatch(spec["default"], kind) if isinstance(kind, str) else None
        if mismatch is not None:
            yield (
                ("inputs", name, "default"),
                f"the default does not fit `type: {kind}`: {mismatch}",
            )


def _retry_problems(operations: list[Operation]) -> Iterator[tuple[Loc, str]]:
    # `fail` reports whatever error kind it is given: retrying on one is legitimate.
    declared = {
        op.config["error_kind"]
        for op in operations
        if op.uses == "fail"
        and isinstance(op.config, Mapping)
        and isinstance(op.config.get("error_kind"), str)
    }
    known = sorted({*ERROR_KINDS, *declared, RETRY_ANY})
    for op in operations:
        retry = op.spec.get("retry")
        on = retry.get("on") if isinstance(retry, Mapping) else None
        if not isinstance(on, list):
            continue
        for index, kind in enumerate(on):
            if isinstance(kind, str) and kind not in known:
                yield (
                    (*op.loc, "retry", "on", index),
                    f"unknown error kind {kind!r}{suggest(kind, known)}: nothing fails with it, "
                    f"so it never retries; `{RETRY_ANY}` retries every retryable error "
                    "(docs/workflows.md lists the kinds)",
                )


def _secrets_in(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        # A template that does not parse is reported by the template checks.
        if is_template(value) and template_syntax_error(value) is None and _reads_secrets(value):
            yield loc, _OUTPUTS_ARE_PUBLIC
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _secrets_in(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secrets_in(item, (*loc, index))


def _reads_secrets(template: str) -> bool:
    return any(path[0] == "secrets" for path in referenced_names(template) if path)
