"""Pydantic validation errors restated as problems at the document's own paths."""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

import pydantic
from pydantic_core import ErrorDetails

from raikoo_common.workflow.problems import Loc
from raikoo_common.workflow.templates import is_template

_KEY_RULE = (
    "an operation key starts with a letter or _ and has only letters, digits, _ and - (64 at most)"
)


def model_problems(
    model: type[pydantic.BaseModel],
    errors: Iterable[ErrorDetails],
    data: Any,
    *,
    templates_unchecked: bool = False,
    by_name: bool | None = None,
) -> Iterator[tuple[Loc, str]]:
    """``(where, message)`` for ``errors`` from validating ``data`` as ``model``.

    With ``templates_unchecked``, errors about a value that is a template (or inside
    one) are dropped: its type is only known once rendered. ``by_name`` says whether
    fields were looked up by name as well as alias (None: as the model's config says).
    """
    for error in errors:
        loc, reached_template = _document_loc(data, error["loc"], error["type"])
        if reached_template and templates_unchecked and error["type"] != "extra_forbidden":
            continue
        yield loc, _message(model, error, by_name)


def _document_loc(data: Any, error_loc: Sequence[str | int], kind: str) -> tuple[Loc, bool]:
    """The part of pydantic's ``loc`` that names places in ``data``, and whether it met a template.

    Pydantic adds steps that are not in the document (union members, ``[key]``).
    """
    loc: list[str | int] = []
    current = data
    for step, part in enumerate(error_loc):
        in_mapping = isinstance(current, Mapping) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            current = current[part]
        elif isinstance(current, str) and is_template(current):
            return tuple(loc), True
        elif not (kind == "missing" and step == len(error_loc) - 1):
            continue
        loc.append(part)
    return tuple(loc), isinstance(current, str) and is_template(current)


def _message(model: type[pydantic.BaseModel], error: ErrorDetails, by_name: bool | None) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return (
            f"unknown field {loc[-1]!r}{suggest(str(loc[-1]), _keys_at(model, loc[:-1], by_name))}"
        )
    if kind == "string_pattern_mismatch" and loc[-1:] == ("[key]",) and loc[0] == "operations":
        return _KEY_RULE
    return error["msg"].removeprefix("Value error, ")


def suggest(word: str, choices: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, sorted(choices), n=3)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(repr(match) for match in matches) + "?)"


def accepted_keys(model: type[pydantic.BaseModel], by_name: bool | None = None) -> set[str]:
    """The keys ``model`` reads from a mapping, as pydantic will look for them."""
    if by_name is None:
        config = model.model_config
        by_name = bool(config.get("validate_by_name") or config.get("populate_by_name"))
    keys = set()
    for name, field in model.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, str):
            keys.add(alias)
        elif isinstance(alias, pydantic.AliasChoices):
            keys.update(choice for choice in alias.choices if isinstance(choice, str))
        if by_name or alias is None:
            keys.add(name)
    return keys


def _keys_at(
    model: type[pydantic.BaseModel], loc: Sequence[str | int], by_name: bool | None
) -> set[str]:
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if _is_model(annotation):
            fields = annotation.model_fields
            annotation = next(
                (f.annotation for n, f in fields.items() if part in (n, f.alias)), None
            )
        elif get_origin(annotation) in (dict, list):
            annotation = get_args(annotation)[-1]
        else:
            return set()
    annotation = _unwrap(annotation)
    return accepted_keys(annotation, by_name) if _is_model(annotation) else set()


def _unwrap(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _unwrap(members[0]) if len(members) == 1 else annotation
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)
