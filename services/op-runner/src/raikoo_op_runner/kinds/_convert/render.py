"""``to: text`` for structured data: what a person (or a prompt) reads best.

Flat records become an aligned plain-text table; anything nested becomes YAML, which reads
as an indented outline; a string is itself.
"""

from __future__ import annotations

import json
from typing import Any

from raikoo_op_runner.kinds._convert.cells import cell_text, display_width, pad
from raikoo_op_runner.kinds._convert.structured import write_yaml


def render_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, list) and value and all(_is_scalar(item) for item in value):
        return "".join(_one_line(cell_text(item)) + "\n" for item in value)
    if isinstance(value, list) and value and all(_is_flat_record(item) for item in value):
        header = list(dict.fromkeys(key for item in value for key in item))
        return _aligned([header, *([item.get(k) for k in header] for item in value)], header=True)
    if isinstance(value, list) and value and all(_is_flat_row(item) for item in value):
        return _aligned(value, header=False)
    return write_yaml(value)


def _aligned(rows: list[list[Any]], *, header: bool) -> str:
    texts = [[_one_line(cell_text(cell)) for cell in row] for row in rows]
    width = max(len(row) for row in texts)
    widths = [max(display_width(row[i]) for row in texts if i < len(row)) for i in range(width)]
    lines = ["  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=False)).rstrip()
             for row in texts]  # fmt: skip
    if header:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _is_flat_record(value: Any) -> bool:
    return isinstance(value, dict) and all(_is_scalar(v) for v in value.values())


def _is_flat_row(value: Any) -> bool:
    return isinstance(value, list) and all(_is_scalar(v) for v in value)
