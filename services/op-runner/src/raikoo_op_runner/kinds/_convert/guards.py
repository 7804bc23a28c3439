"""Bounds on what a small document may expand into, checked before any parser sees it.

CPython's ``zipfile`` stops decompressing a member at its declared size (and then fails its
CRC check), so the sizes in the central directory bound what docx/xlsx/pptx readers, which
all read through ``zipfile``, can inflate.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from raikoo_op_runner.kinds._convert.errors import invalid
from raikoo_op_runner.kinds._convert.sniff import OOXML_MAIN_PART

_MAX_MEMBERS = 10_000
_PDF_STREAM = re.compile(rb"stream\r?\n")


def check_archive(blob: bytes, fmt: str, limit: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise invalid(f"{fmt}: not a valid {fmt.upper()} file ({exc})") from None
    if len(members) > _MAX_MEMBERS:
        raise invalid(f"{fmt}: the archive has {len(members)} parts (at most {_MAX_MEMBERS})")
    expanded = sum(member.file_size for member in members)
    if expanded > limit:
        raise invalid(
            f"{fmt}: the document expands to {expanded} bytes, over max_expanded_bytes "
            f"({limit}); refusing a possible zip bomb"
        )
    if OOXML_MAIN_PART[fmt] not in {member.filename for member in members}:
        raise invalid(f"{fmt}: not a {fmt.upper()} document (no {OOXML_MAIN_PART[fmt]})")


def check_pdf(blob: bytes, limit: int) -> None:
    """Inflate every Flate stream with a shared budget, as the PDF reader would in full.

    Best effort: streams hidden behind other filters are not measured.
    """
    budget = limit
    for match in _PDF_STREAM.finditer(blob):
        end = blob.find(b"endstream", match.end())
        if end < 0:
            break
        inflater = zlib.decompressobj()
        try:
            budget -= len(inflater.decompress(blob[match.end() : end], budget + 1))
        except zlib.error:
            continue  # not Flate-compressed (or damaged): the reader decides
        if budget < 0:
            raise invalid(
                f"pdf: its streams expand to more than max_expanded_bytes ({limit}); "
                "refusing a possible decompression bomb"
            )
