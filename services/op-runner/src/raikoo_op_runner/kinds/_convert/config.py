"""Config and output models of the ``convert`` kind (their JSON schemas are served to users)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

MiB = 1024 * 1024

SourceFormat = Literal[
    "auto",
    "data",
    "csv",
    "tsv",
    "json",
    "jsonl",
    "yaml",
    "xml",
    "markdown",
    "html",
    "text",
    "pdf",
    "docx",
    "xlsx",
    "pptx",
]
TargetFormat = Literal[
    "data", "json", "jsonl", "yaml", "csv", "tsv", "xml", "markdown", "html", "text"
]
OneChar = Annotated[str, Field(min_length=1, max_length=1)]


class ConvertConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    from_: SourceFormat = Field(
        default="auto",
        alias="from",
        description=(
            "Format of the input. `auto` uses structured `data` as is and otherwise detects "
            "JSON, JSON Lines, XML, HTML, PDF, DOCX, XLSX and PPTX from the content; `data` "
            "takes `data` as an already-structured value."
        ),
    )
    to: TargetFormat = Field(
        description=(
            "Output format. `data`, `json`, `jsonl` and `yaml` return the structured value in "
            "`output.data`; every format but `data` returns the serialized string in "
            "`output.text`. `text` and `markdown` from a document extract its text."
        )
    )
    data: Any = Field(
        default=None,
        description=(
            "The input: a string in the `from` format, an already-structured value "
            "(list, object) such as another operation's JSON output, or an artifact "
            "reference (a file, e.g. from http.request with `response: artifact`)."
        ),
    )
    data_base64: str | None = Field(
        default=None,
        description="The input as base64-encoded bytes (binary documents: PDF, DOCX, XLSX, PPTX).",
    )
    encoding: str = Field(
        default="utf-8",
        description="Character encoding of `data_base64` when it holds text (CSV, JSON, HTML...).",
    )
    max_input_bytes: int = Field(
        default=50 * MiB,
        ge=1,
        le=512 * MiB,
        description="Largest accepted input in bytes; a larger input fails as `invalid_input`.",
    )
    max_expanded_bytes: int = Field(
        default=256 * MiB,
        ge=1,
        le=2048 * MiB,
        description=(
            "Largest uncompressed size of a DOCX/XLSX/PPTX archive or of a PDF's compressed "
            "streams: guards against zip bombs."
        ),
    )
    delimiter: OneChar | None = Field(
        default=None,
        description="CSV field delimiter (default `,` for csv, a tab for tsv).",
    )
    quote_char: OneChar = Field(default='"', description="CSV quote character.")
    sniff: bool = Field(
        default=False,
        description=(
            "Detect the CSV delimiter and quote character from the first 64 KiB "
            "(an explicit `delimiter` wins)."
        ),
    )
    header: bool = Field(
        default=True,
        description=(
            "Tables (CSV, TSV, Markdown, HTML, XLSX): the first row names the columns, so rows "
            "read as objects; false reads rows as lists. When writing: emit a header row."
        ),
    )
    columns: list[str] | None = Field(
        default=None,
        description=(
            "Reading a table: names for its columns (replacing a header row if `header` is "
            "true). Writing: which columns to write, in this order."
        ),
    )
    quoting: Literal["minimal", "all", "nonnumeric", "none"] = Field(
        default="minimal",
        description=(
            "Which CSV fields to quote when writing: only those that need it, all, all but "
            "numbers, or none (special characters are then escaped with a backslash)."
        ),
    )
    csv_formulas: Literal["escape", "keep"] = Field(
        default="escape",
        description=(
            "Writing CSV/TSV: `escape` puts a `'` before every text cell that a spreadsheet "
            "would run as a formula — one starting with `=`, `+`, `-`, `@`, a tab or a "
            "carriage return (OWASP's rule), unless it is a plain number such as `-3`; "
            "`keep` writes cells as they are (for a consumer that is not a spreadsheet)."
        ),
    )
    newline: Literal["lf", "crlf"] = Field(
        default="lf", description="Line ending of written CSV/TSV (`crlf` is RFC 4180's)."
    )
    infer_types: bool = Field(
        default=False,
        description=(
            "Turn table and XML cell strings into values: integers, decimals, true/false, and "
            'empty cells into null. Off: every cell stays a string (empty cells are "").'
        ),
    )
    ragged_rows: Literal["error", "pad"] = Field(
        default="error",
        description=(
            "CSV/TSV rows with fewer fields than the header: fail naming the line, or pad them "
            "with empty values. Rows with more fields always fail."
        ),
    )
    table_index: int | None = Field(
        default=None,
        ge=0,
        description=(
            "Which table of a Markdown/HTML document to read (0 = first). Setting it also "
            "makes `to: text`/`to: markdown` convert that table rather than the whole document."
        ),
    )
    sheet: str | Annotated[int, Field(ge=0)] | None = Field(
        default=None,
        description=(
            "XLSX sheet to read as a table, by name or 0-based position (default: the first). "
            "Without it, `to: text`/`to: markdown` extract every sheet."
        ),
    )
    indent: int | None = Field(
        default=2, ge=0, le=8, description="Indentation of JSON and XML output; null = compact."
    )
    root: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "XML root element name when writing (default: the single key of an object, as read "
            "from XML, else `root`)."
        ),
    )
    item: str = Field(
        default="item", min_length=1, description="XML element name for the entries of a list."
    )
    force_list: list[str] = Field(
        default_factory=list,
        description="XML element names always read as lists, even when they occur once.",
    )

    @model_validator(mode="after")
    def _one_input(self) -> Self:
        if self.data is not None and self.data_base64 is not None:
            raise ValueError("give either `data` or `data_base64`, not both")
        return self


class ConvertOutput(BaseModel):
    format: TargetFormat = Field(description="The output format (`to`).")
    source_format: str = Field(description="The input format that was read (resolves `auto`).")
    data: Any = Field(
        default=None,
        description="The structured value, when `to` is data, json, jsonl or yaml.",
    )
    text: str | None = Field(
        default=None, description="The serialized output, for every `to` except data."
    )
    rows: int | None = Field(
        default=None, description="Number of records (items) when the value is a list."
    )
    title: str | None = Field(
        default=None, description="The document's title, when text extraction found one."
    )
