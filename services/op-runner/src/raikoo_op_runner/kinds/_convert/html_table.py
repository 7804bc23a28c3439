"""HTML tables: reading one ``<table>`` of a page (spans filled in), and writing one."""

from __future__ import annotations

import html
import re
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, Tag

from raikoo_op_runner.kinds._convert.cells import build_rows, cell_text, to_table
from raikoo_op_runner.kinds._convert.config import ConvertConfig
from raikoo_op_runner.kinds._convert.errors import invalid

_SPACES = re.compile(r"[ \t\r\n\f]+")
_MAX_SPAN = 1000
_MAX_CELLS = 5_000_000  # spans must not let a small page allocate millions of cells


def read_html_table(text: str, config: ConvertConfig) -> list[Any]:
    index = config.table_index or 0
    tables = BeautifulSoup(text, "html.parser").find_all("table")
    if index >= len(tables):
        raise invalid(f"html: no table at table_index {index} (the page has {len(tables)})")
    grid = _grid(tables[index])
    rows = [(f"row {number} of table {index}", cells) for number, cells in enumerate(grid, 1)]
    return build_rows(rows, config, "html", pad_short=True)


def _grid(table: Tag) -> list[list[str]]:
    """The table's rows with colspan/rowspan cells repeated, as a browser lays them out."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}  # (row, column) filled by a rowspan above
    budget = _MAX_CELLS
    for row_number, row in enumerate(_own_rows(table)):
        cells: list[str] = []
        for cell in row.find_all(["td", "th"], recursive=False):
            while (row_number, len(cells)) in pending:
                cells.append(pending.pop((row_number, len(cells))))
            text = _cell_text(cell)
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            budget -= colspan * rowspan
            if budget < 0:
                raise invalid("html: the table has too many cells once spans are expanded")
            for _ in range(colspan):
                for below in range(1, rowspan):
                    pending[(row_number + below, len(cells))] = text
                cells.append(text)
        while (row_number, len(cells)) in pending:
            cells.append(pending.pop((row_number, len(cells))))
        grid.append(cells)
    return grid


def _own_rows(table: Tag) -> list[Tag]:
    # Rows of nested tables belong to those tables.
    return [row for row in table.find_all("tr") if row.find_parent("table") is table]


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(str(cell.get(name) or 1))))
    except ValueError:
        return 1


def _cell_text(cell: Tag) -> str:
    """Text as rendered: whitespace runs collapse to one space, ``<br>`` is a line break."""
    parts: list[str] = []
    for node in cell.descendants:
        if isinstance(node, Tag) and node.name == "br":
            parts.append("\n")
        elif isinstance(node, NavigableString) and _visible(node):
            parts.append(_SPACES.sub(" ", str(node)))
    return "\n".join(line.strip() for line in "".join(parts).split("\n"))


def _visible(node: NavigableString) -> bool:
    if isinstance(node, Comment):
        return False
    return node.find_parent(["script", "style"]) is None


def write_html_table(value: Any, config: ConvertConfig) -> str:
    table = to_table(value, config, "html")
    lines = ["<table>"]
    if config.header and table.header is not None:
        heads = "".join(f"<th>{_escape(name)}</th>" for name in table.header)
        lines += ["  <thead>", f"    <tr>{heads}</tr>", "  </thead>"]
    lines.append("  <tbody>")
    for row in table.rows:
        cells = "".join(f"<td>{_escape(cell_text(cell))}</td>" for cell in row)
        lines.append(f"    <tr>{cells}</tr>")
    lines += ["  </tbody>", "</table>"]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    escaped = html.escape(text, quote=True)
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
