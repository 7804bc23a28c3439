"""JSON, JSON Lines and YAML: parsing with positioned errors, and serializing."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from typing import Any

import yaml

from raikoo_op_runner.kinds._convert.errors import invalid

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise invalid(f"json: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def read_jsonl(text: str) -> list[Any]:
    items: list[Any] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line, parse_constant=_reject_constant))
        except json.JSONDecodeError as exc:
            raise invalid(f"jsonl: line {number}, column {exc.colno}: {exc.msg}") from None
    return items


def _reject_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not valid JSON", name, 0)


def read_yaml(text: str) -> Any:
    try:
        loaded = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "malformed YAML"
        raise invalid(f"yaml: {where}{problem}") from None
    except yaml.YAMLError as exc:
        raise invalid(f"yaml: {exc}") from None
    # Aliases share one object however often they are used; copying them into plain JSON
    # could explode (the YAML "billion laughs"), so the copy has a budget.
    return _Jsonable(budget=max(100_000, 20 * len(text))).convert(loaded)


class _Jsonable:
    """Copies a YAML value into JSON types: dates to ISO text, keys to strings."""

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def convert(self, value: Any) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise invalid("yaml: aliases expand to too many values (a YAML bomb?)")
        if isinstance(value, dict):
            return {self._key(k): self.convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set):
            return [self.convert(v) for v in value]
        return _scalar(value)

    def _key(self, key: Any) -> str:
        if isinstance(key, str):
            return key
        converted = _scalar(key)
        if converted is None or isinstance(converted, bool | int | float):
            return json.dumps(converted)
        return str(converted)


def _scalar(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def write_json(value: Any, indent: int | None) -> str:
    separators = None if indent is not None else (",", ":")
    return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)


def write_jsonl(value: Any) -> str:
    items = value if isinstance(value, list) else [value]
    return "".join(write_json(item, None) + "\n" for item in items)


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no type hints
    """Block style, and multi-line strings as literal blocks so they stay readable."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def write_yaml(value: Any) -> str:
    return str(
        yaml.dump(
            value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False
        )
    )
