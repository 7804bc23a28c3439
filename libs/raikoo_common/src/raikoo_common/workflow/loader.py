"""Reading a workflow definition from YAML or JSON text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import pydantic

from raikoo_common.nul import NUL_REFUSED, find_nul
from raikoo_common.workflow._json_reader import json_lines
from raikoo_common.workflow.limits import (
    NESTING_REFUSED,
    SURROGATE_REFUSED,
    find_surrogate,
    json_too_deep,
    shown_path,
)
from raikoo_common.workflow.problems import (
    DefinitionInvalid,
    Loc,
    Problem,
    SourceMap,
    format_path,
    problem_at,
)
from raikoo_common.workflow.schema import WorkflowDefinition
from raikoo_common.workflow.validate import validate_definition

if TYPE_CHECKING:
    import yaml

Format = Literal["yaml", "json"]


def parse_document(
    text: str | bytes, *, source: str = "<definition>", fmt: Format | None = None
) -> dict[str, Any]:
    """The definition as plain data. Raises ``DefinitionInvalid``."""
    return read_document(text, source=source, fmt=fmt)[0]


def load_definition(
    text: str | bytes,
    *,
    kinds: Mapping[str, type[pydantic.BaseModel] | None],
    source: str = "<definition>",
    fmt: Format | None = None,
) -> WorkflowDefinition:
    """Parse and validate; problems point at lines of ``text``. Raises ``DefinitionInvalid``."""
    document, source_map = read_document(text, source=source, fmt=fmt)
    return validate_definition(document, kinds=kinds, source_map=source_map)


def read_document(
    text: str | bytes, *, source: str = "<definition>", fmt: Format | None = None
) -> tuple[dict[str, Any], SourceMap]:
    """The data and where each of its parts sits in ``text``. Raises ``DefinitionInvalid``."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _invalid(source, f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    text = text.removeprefix("\ufeff")
    data, source_map = _read(text, source, fmt or _guess_format(source))
    if not isinstance(data, dict):
        what = "the document is empty" if data is None else f"this is {_kind_of(data)}"
        message = f"a workflow definition is a mapping of keys to values, but {what}"
        raise _invalid(source, message, line=1)
    for find, refused in ((find_nul, NUL_REFUSED), (find_surrogate, SURROGATE_REFUSED)):
        # A "\0" or "\ud800" escape, say: refused here in every mode, not by the database
        # or an encoder later.
        at = find(data)
        if at is not None:
            problem = problem_at(at, f"the text here {refused}", source_map)
            raise DefinitionInvalid([problem], source)
    return data, source_map


def _guess_format(source: str) -> Format | None:
    suffix = source.lower().rpartition(".")[2]
    if suffix == "json":
        return "json"
    if suffix in ("yaml", "yml"):
        return "yaml"
    return None


def _read(text: str, source: str, fmt: Format | None) -> tuple[Any, SourceMap]:
    if fmt == "yaml" or (fmt is None and not text.lstrip().startswith(("{", "["))):
        return _read_yaml(text, source)
    try:
        return _read_json(text, source)
    except DefinitionInvalid:
        if fmt == "json":
            raise
    # `{a: 1}` looks like JSON but is a YAML flow mapping.
    try:
        return _read_yaml(text, source)
    except DefinitionInvalid:
        return _read_json(text, source)


def _read_json(text: str, source: str) -> tuple[Any, SourceMap]:
    duplicated = False

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        result = dict(pairs)
        duplicated = duplicated or len(result) != len(pairs)
        return result

    too_deep = json_too_deep(text)  # before parsing: the parser recurses per level
    if too_deep is not None:
        loc, line, column = too_deep
        message = f"the document {NESTING_REFUSED} (column {column})"
        raise DefinitionInvalid([Problem(path=shown_path(loc), message=message, line=line)], source)
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        message = f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise _invalid(source, message, line=exc.lineno) from None
    if duplicated:
        duplicates = json_lines(text)[1]
        problems = [_duplicate(loc, key, line, first) for loc, key, line, first in duplicates]
        raise DefinitionInvalid(problems, source)
    return data, SourceMap(source, lambda: json_lines(text)[0])


def _read_yaml(text: str, source: str) -> tuple[Any, SourceMap]:
    # PyYAML is loaded by the first YAML document, not by a service's start.
    import yaml

    from raikoo_common.workflow._yaml_reader import RefusedYaml, read_yaml

    try:
        data, lines, duplicates = read_yaml(text)
    except RefusedYaml as exc:
        problem = Problem(path=shown_path(exc.loc), message=exc.message, line=exc.line)
        raise DefinitionInvalid([problem], source) from None
    except yaml.MarkedYAMLError as exc:
        raise _invalid(source, *_describe_yaml_error(exc)) from None
    except yaml.YAMLError as exc:
        raise _invalid(source, f"invalid YAML: {exc}") from None
    if duplicates:
        problems = [_duplicate(d.loc, d.key, d.line, d.first_line) for d in duplicates]
        raise DefinitionInvalid(problems, source)
    return data, SourceMap(source, lambda: lines)


def _describe_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[str, int | None]:
    mark = exc.problem_mark or exc.context_mark
    what = " ".join(part for part in (exc.context, exc.problem) if part) or "syntax error"
    if mark is None:
        return f"invalid YAML: {what}", None
    line = mark.line + 1
    return f"invalid YAML: {what} (line {line}, column {mark.column + 1})", line


def _duplicate(loc: Loc, key: object, line: int, first_line: int) -> Problem:
    message = f"duplicate key {key!r} (first defined on line {first_line})"
    return Problem(path=format_path((*loc, key)), message=message, line=line)


def _invalid(source: str, message: str, line: int | None = None) -> DefinitionInvalid:
    return DefinitionInvalid([Problem(path="", message=message, line=line)], source)


def _kind_of(data: object) -> str:
    if isinstance(data, list):
        return "a list"
    if isinstance(data, str):
        return "a string"
    if isinstance(data, bool):
        return "a boolean"
    return "a number" if isinstance(data, int | float) else f"a {type(data).__name__}"
