"""Tables as every tabular reader and writer sees them: optional column names and rows of cells."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from raikoo_op_runner.kinds._convert.config import ConvertConfig
from raikoo_op_runner.kinds._convert.errors import invalid, type_name

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")  # no leading zeros: "02134" is a code, not 2134
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?")
_INT64 = 2**63  # JSON consumers (and the bus's serializer) stop at 64-bit integers


def infer(text: str) -> Any:
    if text == "":
        return None
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if _INT.fullmatch(text):
        number = int(text)
        return number if -_INT64 <= number < _INT64 else text
    if _FLOAT.fullmatch(text):
        decimal = float(text)
        return decimal if math.isfinite(decimal) else text
    return text


def cell_value(cell: Any, config: ConvertConfig) -> Any:
    """A read cell as a value: strings are inferred when asked; typed cells stay as they are."""
    return infer(cell) if config.infer_types and isinstance(cell, str) else cell


def cell_text(value: Any) -> str:
    """How a value is written into a text cell: JSON spelling for everything but strings."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Table:
    header: list[str] | None
    rows: list[list[Any]]


def build_rows(
    rows: Iterable[tuple[str, list[Any]]],
    config: ConvertConfig,
    fmt: str,
    *,
    pad_short: bool,
    pad_hint: str = "",
) -> list[Any]:
    """Records (or lists, without column names) from ``(where, cells)`` pairs, header first."""
    remaining = iter(rows)
    names: list[str] | None = None
    if config.header:
        first = next(remaining, None)
        if first is None:
            return []
        names = [cell_text(name) for name in first[1]]
    if config.columns is not None:
        names = config.columns
    if names is not None:
        _check_unique(names, fmt)
    width = len(names) if names is not None else None
    like = "like the header" if names is not None else "like the first row"
    values: list[Any] = []
    for where, given in remaining:
        if width is None:
            width = len(given)
        cells = given + [""] * (width - len(given)) if pad_short else given
        if len(cells) != width:
            hint = pad_hint if len(cells) < width else ""
            found = _fields(len(cells))
            raise invalid(f"{fmt}: {where}: the row has {found}, expected {width} ({like}){hint}")
        typed = [cell_value(cell, config) for cell in cells]
        values.append(dict(zip(names, typed, strict=True)) if names is not None else typed)
    return values


def _fields(count: int) -> str:
    return "1 field" if count == 1 else f"{count} fields"


def _check_unique(names: list[str], fmt: str) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(names, 1):
        if name in seen:
            raise invalid(
                f"{fmt}: column name {name!r} appears twice (columns {seen[name]} and "
                f"{position}); set `columns` to name the columns"
            )
        seen[name] = position


def to_table(value: Any, config: ConvertConfig, fmt: str) -> Table:
    """A value as a table: a list of objects (or of lists, or of scalars), or one object."""
    value = _unwrap(value)
    if isinstance(value, dict):
        items: list[Any] = [value]
    elif isinstance(value, list):
        items = value
    else:
        raise invalid(f"{fmt} output needs a list of records, got {type_name(value)}")
    columns = config.columns
    if all(isinstance(item, dict) for item in items):
        header = columns if columns is not None else _union_of_keys(items)
        return Table(header, [[item.get(name) for name in header] for item in items])
    if all(isinstance(item, list) for item in items):
        return Table(columns, items)
    if not any(isinstance(item, dict | list) for item in items):
        return Table(columns[:1] if columns else ["value"], [[item] for item in items])
    first = type_name(items[0])
    odd = next(i for i, item in enumerate(items) if type_name(item) != first)
    raise invalid(
        f"{fmt} output: item {odd} is {type_name(items[odd])} but item 0 is {first}; "
        "a table needs every item to be an object, or every item a list"
    )


def _unwrap(value: Any) -> Any:
    """Strip single-key wrappers such as an XML root element or ``{"results": [...]}``."""
    while isinstance(value, dict) and len(value) == 1:
        inner = next(iter(value.values()))
        if not isinstance(inner, dict | list):
            break
        value = inner
    return value


def _union_of_keys(items: list[dict[str, Any]]) -> list[str]:
    names: dict[str, None] = {}
    for item in items:
        names.update(dict.fromkeys(item))
    return list(names)


def display_width(text: str) -> int:
    """Columns a string takes in a monospaced font (CJK and emoji take two)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
