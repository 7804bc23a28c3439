"""Which reader and writer a conversion uses, decided from the pair of formats.

Runs in a worker process (``job``): everything here may be CPU-bound.
"""

from __future__ import annotations

from typing import Any

from raikoo_op_runner.kinds._convert.config import ConvertConfig, ConvertOutput
from raikoo_op_runner.kinds._convert.delimited import read_delimited, write_delimited
from raikoo_op_runner.kinds._convert.documents import extract
from raikoo_op_runner.kinds._convert.errors import invalid, type_name, unsupported
from raikoo_op_runner.kinds._convert.html_table import read_html_table, write_html_table
from raikoo_op_runner.kinds._convert.markdown_table import (
    read_markdown_table,
    write_markdown_table,
)
from raikoo_op_runner.kinds._convert.plaintext import markdown_to_text
from raikoo_op_runner.kinds._convert.render import render_text
from raikoo_op_runner.kinds._convert.sniff import detect
from raikoo_op_runner.kinds._convert.source import Source
from raikoo_op_runner.kinds._convert.spreadsheet import read_xlsx_table
from raikoo_op_runner.kinds._convert.structured import (
    read_json,
    read_jsonl,
    read_yaml,
    write_json,
    write_jsonl,
    write_yaml,
)
from raikoo_op_runner.kinds._convert.xml import read_xml, write_xml

_DOCUMENTS = ("pdf", "docx", "pptx")
_TEXT_OUT = ("text", "markdown")
_STRUCTURED_OUT = ("data", "json", "jsonl", "yaml")
_STRUCTURED_IN = ("data", "json", "jsonl", "yaml")


def convert(config: ConvertConfig, source: Source) -> ConvertOutput:
    try:
        return _convert(config, source)
    except RecursionError:
        raise invalid("the input is nested too deeply to convert") from None


def _convert(config: ConvertConfig, source: Source) -> ConvertOutput:
    fmt = detect(source) if config.from_ == "auto" else config.from_
    to = config.to
    if _extracts(fmt, config):
        blob = source.as_text(fmt).encode() if fmt == "html" else source.as_bytes(fmt)
        extracted = extract(fmt, blob, to, config)
        return ConvertOutput(
            format=to, source_format=fmt, text=extracted.text, title=extracted.title
        )
    if fmt == "markdown" and to == "text" and config.table_index is None:
        text = markdown_to_text(source.as_text(fmt))
        return ConvertOutput(format=to, source_format=fmt, text=text)
    if fmt == "text" and to not in ("text", *_STRUCTURED_OUT):
        raise unsupported(f"plain text has no structure to write as {to}")
    value = _read(fmt, source, config)
    output = ConvertOutput(
        format=to, source_format=fmt, rows=len(value) if isinstance(value, list) else None
    )
    if to in _STRUCTURED_OUT:
        output.data = value
    if to != "data":
        output.text = _write(value, config)
    return output


def _extracts(fmt: str, config: ConvertConfig) -> bool:
    """Whole-document text extraction, rather than reading data out of the document."""
    if fmt in _DOCUMENTS:
        if config.to not in _TEXT_OUT:
            raise unsupported(
                f"a {fmt} document converts only to text or markdown, not {config.to}"
            )
        return True
    if fmt == "xlsx":
        return config.to in _TEXT_OUT and config.sheet is None
    return fmt == "html" and config.to in _TEXT_OUT and config.table_index is None


def _read(fmt: str, source: Source, config: ConvertConfig) -> Any:
    if source.structured:
        if fmt in _STRUCTURED_IN:
            return source.value  # already parsed, e.g. a previous operation's JSON output
        raise invalid(
            f"from: {fmt} expects {fmt} text in `data`, got {type_name(source.value)}; "
            "use from: data (or auto) for a structured value"
        )
    if fmt == "xlsx":
        return read_xlsx_table(source.as_bytes(fmt), config)
    text = source.as_text(fmt)
    match fmt:
        case "csv" | "tsv":
            return read_delimited(text, fmt, config)
        case "json":
            return read_json(text)
        case "jsonl":
            return read_jsonl(text)
        case "yaml":
            return read_yaml(text)
        case "xml":
            return read_xml(text, config)
        case "markdown":
            return read_markdown_table(text, config)
        case "html":
            return read_html_table(text, config)
        case _:  # text, or data given as a string: the string is the value
            return text


def _write(value: Any, config: ConvertConfig) -> str:
    match config.to:
        case "json":
            return write_json(value, config.indent)
        case "jsonl":
            return write_jsonl(value)
        case "yaml":
            return write_yaml(value)
        case "csv" | "tsv":
            return write_delimited(value, config.to, config)
        case "xml":
            return write_xml(value, config)
        case "markdown":
            return write_markdown_table(value, config)
        case "html":
            return write_html_table(value, config)
        case _:
            return render_text(value)
