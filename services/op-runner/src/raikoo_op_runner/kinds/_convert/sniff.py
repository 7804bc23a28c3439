"""``from: auto``: recognise a format from the content itself (magic bytes, then text shape)."""

from __future__ import annotations

import io
import json
import re
import zipfile

from raikoo_op_runner.kinds._convert.errors import ConversionFailed, invalid, unsupported
from raikoo_op_runner.kinds._convert.source import Source

# The part every OOXML package of each kind must contain.
OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<table[\s>]", re.IGNORECASE)
_UNDETECTED = (
    "cannot tell the input's format; set `from` (auto recognises JSON, JSON Lines, XML, "
    "HTML, PDF, DOCX, XLSX and PPTX)"
)


def detect(source: Source) -> str:
    if source.structured:
        return "data"
    if source.text is not None:
        return _detect_text(source.text)
    blob = source.blob or b""
    if b"%PDF-" in blob[:1024]:  # PDF readers allow junk before the header
        return "pdf"
    if blob.startswith(b"PK\x03\x04"):
        return _detect_ooxml(blob)
    if blob.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise unsupported(
            "legacy binary Office documents (.doc, .xls, .ppt) are not supported; "
            "save them as DOCX, XLSX or PPTX"
        )
    try:
        text = source.as_text("auto")
    except ConversionFailed:
        raise unsupported(_UNDETECTED + ": the bytes are not text") from None
    return _detect_text(text)


def _detect_ooxml(blob: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise invalid(f"the input starts like a ZIP archive but is not one: {exc}") from None
    for fmt, part in OOXML_MAIN_PART.items():
        if part in names:
            return fmt
    raise unsupported("the input is a ZIP archive, but not a DOCX, XLSX or PPTX document")


def _detect_text(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")
    if not head:
        raise invalid("the input is empty; set `from` to say what it should be")
    if head[0] == "<":
        return "html" if _HTML.search(head[:4096].encode()) else "xml"
    if head[0] in "{[":
        return _json_or_lines(head)
    raise invalid(_UNDETECTED)


def _json_or_lines(text: str) -> str:
    """JSON Lines when the first line is a whole JSON value and more lines follow.

    A pretty-printed document's first line (``{`` or ``[``) is never complete on its own;
    whichever is chosen, its reader reports where the text breaks.
    """
    lines = (line for line in text.splitlines() if line.strip())
    first, second = next(lines, ""), next(lines, None)
    if second is None:
        return "json"
    try:
        json.loads(first)
    except ValueError:
        return "json"
    return "jsonl"
