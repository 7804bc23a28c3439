"""Text extraction from documents with markitdown's converters (XLSX: see ``spreadsheet``).

The converters are called directly rather than through ``MarkItDown.convert_stream``: the
format is already known (declared or sniffed), and the facade would also run magika's
model over every input, build an HTTP session, and on failure fall through to every other
converter (the ZIP one recursing into archives). Calling one converter does one thing.
Embedded images are not captioned (no LLM client is given) and mammoth's external file
access stays off, so extraction never touches the network or the file system.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup

from raikoo_op_runner.kinds._convert.config import ConvertConfig
from raikoo_op_runner.kinds._convert.errors import invalid
from raikoo_op_runner.kinds._convert.guards import check_archive
from raikoo_op_runner.kinds._convert.plaintext import markdown_to_text
from raikoo_op_runner.kinds._convert.spreadsheet import workbook_markdown

_MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html",
}


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None


def extract(fmt: str, blob: bytes, to: str, config: ConvertConfig) -> Extracted:
    if fmt == "pdf":
        from raikoo_op_runner.kinds._convert.pdf_guard import check_pdf  # loads pdfminer

        check_pdf(blob, config.max_expanded_bytes)
    elif fmt in ("docx", "pptx"):
        check_archive(blob, fmt, config.max_expanded_bytes)
    if fmt == "xlsx":
        markdown, title = workbook_markdown(blob, config), None
    else:
        markdown, title = _convert(fmt, blob)
    markdown = _tidy(markdown)
    text = markdown if to == "markdown" else markdown_to_text(markdown)
    return Extracted(text=text, title=title.strip() if title and title.strip() else None)


def _convert(fmt: str, blob: bytes) -> tuple[str, str | None]:
    # Imported on first use: markitdown pulls in pandas and onnxruntime, seconds of start-up
    # that a runner which never extracts a document should not pay.
    from markitdown import StreamInfo

    info = StreamInfo(
        mimetype=_MIMETYPES[fmt],
        extension=f".{fmt}",
        charset="utf-8" if fmt == "html" else None,
    )
    options: dict[str, Any] = {"strict": True} if fmt == "html" else {}
    try:
        result = _converter(fmt).convert(io.BytesIO(blob), info, **options)
    except RecursionError:
        if fmt != "html":
            raise invalid(f"{fmt}: the document is nested too deeply to convert") from None
        return _flat_html_text(blob), None
    except Exception as exc:  # each underlying parser fails in its own way
        raise invalid(f"{fmt}: cannot read the document: {type(exc).__name__}: {exc}") from None
    return str(result.markdown), result.title


def _converter(fmt: str) -> Any:
    from markitdown.converters import DocxConverter, HtmlConverter, PdfConverter, PptxConverter

    converters = {
        "pdf": PdfConverter,
        "docx": DocxConverter,
        "pptx": PptxConverter,
        "html": HtmlConverter,
    }
    return converters[fmt]()


def _flat_html_text(blob: bytes) -> str:
    """Text of HTML too deeply nested for Markdown conversion (one line per text block)."""
    try:
        soup = BeautifulSoup(blob, "html.parser", from_encoding="utf-8")
        for hidden in soup(["script", "style"]):
            hidden.extract()
        return str(soup.get_text("\n", strip=True))
    except RecursionError:
        raise invalid("html: the page is nested too deeply to convert") from None


def _tidy(markdown: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row."""
    lines = "\n".join(line.rstrip() for line in markdown.splitlines())
    return re.sub(r"\n{3,}", "\n\n", lines).strip() + "\n"
