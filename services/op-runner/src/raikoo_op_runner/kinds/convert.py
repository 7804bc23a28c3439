"""``convert``: data between CSV, TSV, JSON, JSON Lines, YAML, XML, Markdown and HTML tables,
and text out of PDF, DOCX, XLSX, PPTX and HTML documents."""

from __future__ import annotations

import asyncio

from raikoo_common.runner import Kind, OperationContext
from raikoo_op_runner.kinds._convert.config import ConvertConfig, ConvertOutput
from raikoo_op_runner.kinds._convert.source import resolve_input

__all__ = ["KIND", "ConvertConfig", "ConvertOutput", "execute"]


async def execute(config: ConvertConfig, context: OperationContext) -> ConvertOutput:
    # The converters load their parsers (BeautifulSoup, markitdown…) at import: only an
    # operation that converts pays for them, not a process that lists or validates kinds.
    from raikoo_op_runner.kinds._convert.pipeline import convert

    source = await resolve_input(config, context.artifacts)
    # Parsing and extraction are CPU-bound: keep the runner's event loop (heartbeats,
    # other operations, cancellation) responsive while they run.
    output = await asyncio.to_thread(convert, config, source)
    context.log.debug(
        "converted",
        source_format=output.source_format,
        to=output.format,
        input_bytes=source.size,
        rows=output.rows,
    )
    return output


KIND = Kind(
    name="convert",
    family="programmatic",
    config=ConvertConfig,
    output=ConvertOutput,
    execute=execute,
    summary=(
        "Converts data between CSV, TSV, JSON, JSON Lines, YAML, XML, Markdown and HTML tables, "
        "and extracts text or Markdown from PDF, DOCX, XLSX, PPTX and HTML documents."
    ),
)
