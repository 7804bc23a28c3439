"""Bounds on what a small archive may expand into, checked before any parser sees it (PDF:
``pdf_guard``).

CPython's ``zipfile`` stops decompressing a member at its declared size (and then fails its
CRC check), so the sizes in the central directory bound what docx/xlsx/pptx readers, which
all read through ``zipfile``, can inflate.
"""

from __future__ import annotations

import io
import zipfile

from raikoo_op_runner.kinds._convert.errors import invalid
from raikoo_op_runner.kinds._convert.sniff import OOXML_MAIN_PART

_MAX_MEMBERS = 10_000


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
