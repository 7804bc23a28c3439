"""GitHub-flavoured Markdown tables: reading one table out of a document, and writing one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from raikoo_op_runner.kinds._convert.cells import build_rows, cell_text, display_width, pad
from raikoo_op_runner.kinds._convert.cells import to_table as _to_table
from raikoo_op_runner.kinds._convert.config import ConvertConfig
from raikoo_op_runner.kinds._convert.errors import invalid

_DELIMITER_CELL = re.compile(r":?-+:?")
_FENCE = re.compile(r"\s{0,3}(```|~~~)")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|<br\s*/?>", re.IGNORECASE)
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_MAX_PAD = 40  # wider cells are left unpadded rather than widening every row


def read_markdown_table(text: str, config: ConvertConfig) -> list[Any]:
    index = config.table_index or 0
    tables = list(_tables(text.splitlines()))
    if index >= len(tables):
        raise invalid(f"markdown: no table at table_index {index} (the text has {len(tables)})")
    return build_rows(tables[index], config, "markdown", pad_short=True)


def _tables(lines: list[str]) -> Iterator[list[tuple[str, list[str]]]]:
    number, in_fence = 0, False
    while number < len(lines):
        line = lines[number]
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and number + 1 < len(lines) and _starts_table(line, lines[number + 1]):
            rows = [(f"line {number + 1}", _cells(line))]
            number += 2
            while number < len(lines) and lines[number].strip() and "|" in lines[number]:
                rows.append((f"line {number + 1}", _cells(lines[number])))
                number += 1
            yield rows
            continue
        number += 1


def _starts_table(line: str, next_line: str) -> bool:
    if "|" not in line or "-" not in next_line:
        return False
    delimiters = _split(next_line)
    if not all(_DELIMITER_CELL.fullmatch(cell.strip()) for cell in delimiters):
        return False
    return len(delimiters) == len(_split(line))


def _split(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    marked = _UNESCAPED_PIPE.sub(lambda m: m.group(1) + "\x00", body)
    return marked.split("\x00")


def _cells(line: str) -> list[str]:
    return [_UNESCAPE.sub(_unescape_one, cell.strip()) for cell in _split(line)]


def _unescape_one(match: re.Match[str]) -> str:
    return match.group(1) if match.group(1) is not None else "\n"


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = re.sub(r"<(br\s*/?>)", r"\\<\1", text, flags=re.IGNORECASE)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def write_markdown_table(value: Any, config: ConvertConfig) -> str:
    table = _to_table(value, config, "markdown")
    rows = [[_escape(cell_text(cell)) for cell in row] for row in table.rows]
    if config.header and table.header is not None:
        header = [_escape(name) for name in table.header]
    elif rows:
        header, rows = rows[0], rows[1:]  # a GFM table cannot do without a header row
    else:
        return ""
    width = max([len(header), *(len(row) for row in rows)])
    grid = [row + [""] * (width - len(row)) for row in [header, *rows]]
    widths = [
        max(3, min(_MAX_PAD, max(display_width(row[i]) for row in grid))) for i in range(width)
    ]
    lines = ["| " + " | ".join(pad(c, w) for c, w in zip(row, widths, strict=True)) + " |"
             for row in grid]  # fmt: skip
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines) + "\n"
