"""Run inputs checked against a workflow's declared inputs, with defaults applied.

Strings are coerced to the declared type (``--input count=3`` on the command line gives
the string "3"); anything that cannot be coerced is reported with its path.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

from raikoo_common.workflow.problems import DefinitionInvalid, Problem
from raikoo_common.workflow.schema import InputSpec

_CHECKS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "string": (str, "a string"),
    "number": ((int, float), "a number"),
    "integer": (int, "an integer"),
    "boolean": (bool, "true or false"),
    "object": (dict, "an object"),
    "array": (list, "an array"),
}


class InputsInvalid(DefinitionInvalid):
    """Run inputs that do not fit the workflow's declared inputs."""


def resolve_inputs(declared: Mapping[str, InputSpec], given: Mapping[str, Any]) -> dict[str, Any]:
    problems: list[Problem] = []
    resolved: dict[str, Any] = {}
    for name in given:
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            problems.append(
                Problem(
                    path=f"inputs.{name}",
                    message=f"the workflow declares no such input (declared: {known})",
                )
            )
    for name, spec in declared.items():
        if name not in given:
            if spec.is_required:
                problems.append(Problem(path=f"inputs.{name}", message="required input missing"))
            else:
                resolved[name] = spec.default
            continue
        value, error = _coerce(given[name], spec.type)
        if error:
            problems.append(Problem(path=f"inputs.{name}", message=error))
        else:
            resolved[name] = value
    if problems:
        raise InputsInvalid(problems, source="inputs")
    return resolved


def _coerce(value: Any, kind: str) -> tuple[Any, str | None]:
    if kind == "any" or kind not in _CHECKS:
        return value, None
    if isinstance(value, str) and kind != "string":
        with contextlib.suppress(json.JSONDecodeError):
            value = json.loads(value)
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value), None
    return value, type_mismatch(value, kind)


def type_mismatch(value: Any, kind: str) -> str | None:
    """Why ``value`` is not of the declared input type ``kind``; None when it is."""
    if kind not in _CHECKS:
        return None
    expected, label = _CHECKS[kind]
    ok = isinstance(value, expected) and not (
        kind in ("number", "integer") and isinstance(value, bool)
    )
    return None if ok else f"expected {label}, got {type(value).__name__} {value!r:.60}"
