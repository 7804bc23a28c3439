"""XLSX workbooks: one sheet as a table, or every sheet as Markdown.

Cells keep their spreadsheet types (numbers, booleans); dates become ISO 8601 text and
empty cells null. The whole-workbook Markdown is written here rather than by markitdown,
whose pandas rendering turns empty dates into ``NaT`` and integers into ``300.0``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from raikoo_op_runner.kinds._convert.cells import build_rows
from raikoo_op_runner.kinds._convert.config import ConvertConfig
from raikoo_op_runner.kinds._convert.errors import invalid
from raikoo_op_runner.kinds._convert.guards import check_archive
from raikoo_op_runner.kinds._convert.markdown_table import write_markdown_table

Rows = list[tuple[str, list[Any]]]


def read_xlsx_table(blob: bytes, config: ConvertConfig) -> list[Any]:
    with _workbook(blob, config) as workbook:
        sheet = _sheet(workbook, config.sheet)
        rows = _rows(sheet)
    if rows and config.header and config.columns is None:
        width = len(rows[0][1])
    else:
        width = len(config.columns) if config.columns else max((len(r) for _, r in rows), default=0)
    for where, cells in rows:
        if len(cells) > width:
            raise invalid(
                f"xlsx: sheet {sheet.title!r}, {where}: a value in column {len(cells)} lies "
                f"outside the table's {width} columns"
            )
    return build_rows(_padded(rows, width), config, "xlsx", pad_short=False)


def workbook_markdown(blob: bytes, config: ConvertConfig) -> str:
    """Every sheet as a ``## name`` heading and a table whose first row is its header."""
    plain = config.model_copy(update={"header": True, "columns": None})
    sections: list[str] = []
    with _workbook(blob, config) as workbook:
        for name in workbook.sheetnames:
            rows = _rows(workbook[name])
            width = max((len(cells) for _, cells in rows), default=0)
            table = [cells for _, cells in _padded(rows, width)]
            sections.append(f"## {name}\n\n{write_markdown_table(table, plain)}".rstrip())
    return "\n\n".join(sections) + "\n"


@contextmanager
def _workbook(blob: bytes, config: ConvertConfig) -> Iterator[Any]:
    check_archive(blob, "xlsx", config.max_expanded_bytes)
    import openpyxl  # on first use: most runners never open a workbook

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl reports a damaged workbook in many ways
        raise invalid(f"xlsx: cannot open the workbook: {type(exc).__name__}: {exc}") from None
    try:
        yield workbook
    finally:
        workbook.close()


def _sheet(workbook: Any, wanted: str | int | None) -> Any:
    names = workbook.sheetnames
    if wanted is None:
        return workbook[names[0]]
    if isinstance(wanted, int):
        if wanted >= len(names):
            raise invalid(f"xlsx: no sheet at position {wanted}; the sheets are {names}")
        return workbook[names[wanted]]
    if wanted not in names:
        raise invalid(f"xlsx: no sheet named {wanted!r}; the sheets are {names}")
    return workbook[wanted]


def _rows(sheet: Any) -> Rows:
    # The declared dimension can claim 16384 columns; read only the cells that exist.
    sheet.reset_dimensions()
    rows: Rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = [_plain(value) for value in values]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:  # an empty row separates nothing
            rows.append((f"row {number}", cells))
    return rows


def _padded(rows: Rows, width: int) -> Rows:
    return [(where, cells + [None] * (width - len(cells))) for where, cells in rows]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
