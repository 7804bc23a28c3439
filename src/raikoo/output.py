"""A run's outputs on stdout, as JSON, YAML or a readable listing — text as it is, never
``\\u`` escapes."""

from __future__ import annotations

import json
from typing import Any, Literal

OutputFormat = Literal["json", "yaml", "text"]
FORMATS: tuple[OutputFormat, ...] = ("json", "yaml", "text")


def render(outputs: Any, fmt: OutputFormat) -> str:
    """The outputs in ``fmt``, ending with a newline."""
    if fmt == "json":
        return json.dumps(outputs, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt == "yaml":
        import yaml

        def text_block(dumper: Any, data: str) -> Any:
            # Multi-line text (a report, a CSV) as a `|` block, readable as it will be used.
            style = "|" if "\n" in data else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

        dumper: Any = type("Dumper", (yaml.SafeDumper,), {})  # the default one stays as it is
        dumper.add_representer(str, text_block)
        text: str = yaml.dump(
            outputs, Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=False
        )
        return text
    return "".join(line + "\n" for line in _listing(outputs, 0))


def _listing(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "(none)"]
        lines: list[str] = []
        for key, item in value.items():
            lines += _entry(f"{pad}{key}:", item, indent)
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "(empty)"]
        lines = []
        for item in value:
            if isinstance(item, dict) and item:  # the first key on the dash's line
                first, *rest = _listing(item, indent + 2)
                lines += [f"{pad}- {first.lstrip()}", *rest]
            else:
                lines += _entry(f"{pad}-", item, indent)
        return lines
    return [pad + line for line in _scalar(value).splitlines() or [""]]


def _entry(head: str, value: Any, indent: int) -> list[str]:
    """``key: value`` on one line when it fits there, else the value indented below."""
    if isinstance(value, dict | list) and value:
        return [head, *_listing(value, indent + 2)]
    text = _scalar(value) if not isinstance(value, dict | list) else _listing(value, 0)[0]
    if "\n" in text:
        return [head, *(" " * (indent + 2) + line for line in text.splitlines())]
    return [f"{head} {text}" if text else head]


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
