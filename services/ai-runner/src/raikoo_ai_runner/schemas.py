"""JSON Schema for AI operations: checking a schema, validating a value against it, and the
deterministic example a dry run returns for it."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

MAX_ERRORS = 10


def schema_problem(schema: dict[str, Any]) -> str | None:
    """Why ``schema`` is not a valid JSON Schema (draft 2020-12); None when it is."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(part) for part in exc.path)
        return f"{exc.message}" + (f" (at {where})" if where else "")
    return None


def validation_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """What is wrong with ``value`` (each with its path), at most ``MAX_ERRORS``; [] if valid."""
    validator = _validator(orjson.dumps(schema, option=orjson.OPT_SORT_KEYS))
    errors = sorted(validator.iter_errors(value), key=lambda error: list(error.path))
    problems = []
    for error in errors[:MAX_ERRORS]:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        problems.append(f"{'$' + where}: {error.message}")
    return problems


@lru_cache(maxsize=256)
def _validator(schema: bytes) -> Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(orjson.loads(schema))


def example_of(schema: Any, depth: int = 0) -> Any:
    """A value that fits ``schema``, the same every time: its const, first enum value,
    default or first example, else one built from its type."""
    if not isinstance(schema, dict) or depth > 32:
        return None
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            return example_of(schema[key][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    if kind == "object" or (kind is None and "properties" in schema):
        properties = schema.get("properties") or {}
        return {name: example_of(sub, depth + 1) for name, sub in properties.items()}
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        return [example_of(schema.get("items", {}), depth + 1) for _ in range(count)]
    return _SCALARS.get(kind) if isinstance(kind, str) else None


_SCALARS: dict[str, Any] = {
    "string": "example",
    "integer": 0,
    "number": 0,
    "boolean": False,
    "null": None,
}
