"""CSV and TSV: reading into records with line-accurate errors, and writing them back."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any, Literal

from raikoo_op_runner.kinds._convert.cells import build_rows, cell_text, to_table
from raikoo_op_runner.kinds._convert.config import ConvertConfig
from raikoo_op_runner.kinds._convert.errors import invalid

_SNIFF_SAMPLE = 64 * 1024
_FORMULA_STARTS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_QUOTING: dict[str, Literal[0, 1, 2, 3]] = {
    "minimal": csv.QUOTE_MINIMAL,
    "all": csv.QUOTE_ALL,
    "nonnumeric": csv.QUOTE_NONNUMERIC,
    "none": csv.QUOTE_NONE,
}


def read_delimited(text: str, fmt: str, config: ConvertConfig) -> list[Any]:
    # The csv module refuses fields over 128 KiB by default; max_input_bytes already bounds
    # the input, so one field may be as large as the input. (Process-wide, and only raised.)
    if csv.field_size_limit() < config.max_input_bytes:
        csv.field_size_limit(config.max_input_bytes)
    delimiter, quote_char = _dialect(text, fmt, config)
    rows = _rows(text, fmt, delimiter, quote_char)
    return build_rows(rows, config, fmt, pad_short=config.ragged_rows == "pad", pad_hint=_PAD_HINT)


_PAD_HINT = "; set ragged_rows: pad to fill missing trailing fields"


def _dialect(text: str, fmt: str, config: ConvertConfig) -> tuple[str, str]:
    default = "\t" if fmt == "tsv" else ","
    if config.delimiter is not None or not config.sniff:
        return config.delimiter or default, config.quote_char
    sample = text[:_SNIFF_SAMPLE]
    if len(text) > _SNIFF_SAMPLE and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # a cut-off last line would mislead the sniffer
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|:")
    except csv.Error:
        raise invalid(f"{fmt}: could not detect the delimiter; set `delimiter`") from None
    return dialect.delimiter, dialect.quotechar or config.quote_char


def _rows(text: str, fmt: str, delimiter: str, quote_char: str) -> Iterator[tuple[str, list[str]]]:
    # strict: a stray quote or an unterminated quoted field is an error, not silently
    # swallowed data (the csv module's default).
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote_char, strict=True
    )
    last_line = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise invalid(f"{fmt}: line {reader.line_num}: {exc}") from None
        first_line, last_line = last_line + 1, reader.line_num
        if fields:  # blank lines separate nothing in CSV
            where = f"line {first_line}"
            if last_line != first_line:
                where = f"lines {first_line}-{last_line}"
            yield where, fields


def write_delimited(value: Any, fmt: str, config: ConvertConfig) -> str:
    table = to_table(value, config, fmt)
    quoting = _QUOTING[config.quoting]
    escape = config.csv_formulas == "escape"
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=config.delimiter or ("\t" if fmt == "tsv" else ","),
        quotechar=config.quote_char,
        quoting=quoting,
        escapechar="\\" if quoting == csv.QUOTE_NONE else None,
        lineterminator="\r\n" if config.newline == "crlf" else "\n",
    )
    try:
        if config.header and table.header is not None:
            writer.writerow([_field(name, quoting, escape) for name in table.header])
        for row in table.rows:
            writer.writerow([_field(cell, quoting, escape) for cell in row])
    except csv.Error as exc:
        raise invalid(f"{fmt}: cannot write row: {exc}") from None
    return buffer.getvalue()


def _field(value: Any, quoting: int, escape: bool) -> Any:
    # QUOTE_NONNUMERIC leaves only real numbers unquoted, so they must stay numbers.
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if quoting == csv.QUOTE_NONNUMERIC and number:
        return value
    text = cell_text(value)
    return neutralised(text) if escape and not number else text


def neutralised(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula (CSV injection,
    OWASP): one that starts with ``= + - @``, a tab or a carriage return gets a leading
    ``'``, unless it is a plain number (``-3``, ``+1.5``, ``-2e5``), which is no formula.
    A number in the data is written as it is."""
    if text[:1] in _FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
