"""A PDF stream's filter chain, decoded as pdfminer would decode it but never past a cap.

pdfminer (under markitdown's PDF converter) decodes a stream whole, however large it
becomes. Here each filter of the chain stops as soon as its output passes ``cap`` bytes
(``OverCap``), so measuring a bomb costs at most the cap. Image codecs pass their bytes
through: pdfminer leaves DCT, JPX and JBIG2 encoded, and text extraction never decodes an
image. A stream that is parsed as page content cannot use an image codec or a crypt
filter, nor can any stream use a filter pdfminer does not know: those are
``Unmeasurable``.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfexceptions import PDFException
from pdfminer.psparser import literal_name
from pdfminer.utils import apply_png_predictor, apply_tiff_predictor

FLATE = frozenset({"FlateDecode", "Fl"})
LZW = frozenset({"LZWDecode", "LZW"})
ASCII85 = frozenset({"ASCII85Decode", "A85"})
ASCII_HEX = frozenset({"ASCIIHexDecode", "AHx"})
RUN_LENGTH = frozenset({"RunLengthDecode", "RL"})
IMAGE_CODECS = frozenset({"DCTDecode", "DCT", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode", "CCF"})
"""Never decoded while text is extracted (pdfminer keeps the first three encoded anyway)."""
CRYPT = "Crypt"
"""Per-stream encryption (metadata left in clear: ``/Identity``); pdfminer refuses it."""
_BROKEN = (ValueError, TypeError, PDFException)
"""How pdfminer's decoders fail on data they cannot decode (binascii.Error is a ValueError)."""
_INFLATE_STEP = 64 * 1024
"""Compressed bytes inflated at a time (a step can expand about 1,000 times)."""


class OverCap(Exception):
    """A filter's output passed the cap."""


class Unmeasurable(Exception):
    """A filter whose output size cannot be known without trusting the document."""


def names(filters: list[tuple[Any, Any]]) -> list[str]:
    return [str(literal_name(name)) for name, _ in filters]


def decode(data: bytes, filters: list[tuple[Any, Any]], cap: int, *, content: bool) -> bytes:
    """``data`` after every filter of the chain (pdfminer's ``PDFStream.get_filters``) —
    page ``content`` (parsed by the interpreter), or any other stream. Raises ``OverCap``
    once any step's output passes ``cap`` bytes."""
    for position, (name, params) in enumerate(filters):
        try:
            data = _apply(str(literal_name(name)), data, cap, content=content)
        except _BROKEN:
            return data  # pdfminer fails here too: nothing after this step is decoded
        if len(data) > cap:
            raise OverCap
        last = position == len(filters) - 1
        # A predictor never adds bytes; the last one's output is not needed to know a size.
        if not last and isinstance(params, dict) and _number(params.get("Predictor")) > 1:
            try:
                data = _unpredict(data, params)
            except _BROKEN:
                return data
    return data


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def _apply(name: str, data: bytes, cap: int, *, content: bool) -> bytes:
    if name in FLATE:
        return inflate(data, cap)
    if name in LZW:
        return _lzw(data, cap)
    if name in ASCII85:  # four bytes at most for one character ("z")
        return ascii85decode(data)
    if name in ASCII_HEX:  # half the input at most
        return asciihexdecode(data)
    if name in RUN_LENGTH:
        return run_length(data, cap)
    if not content and (name in IMAGE_CODECS or name == CRYPT):
        return data
    raise Unmeasurable(name)


def inflate(data: bytes, cap: int) -> bytes:
    """What pdfminer's Flate decoding works through: the whole stream, or, when it is
    damaged, everything up to the damage (pdfminer inflates it byte by byte, then keeps it
    or discards it; either way the work is done)."""
    inflater = zlib.decompressobj()
    out = bytearray()
    pending = memoryview(data)
    while pending and not inflater.eof:
        step, pending = pending[:_INFLATE_STEP], pending[_INFLATE_STEP:]
        before = inflater.copy()
        try:
            out += _inflate_step(inflater, step, cap - len(out))
        except zlib.error:
            out += _inflate_until_damage(before, step, cap - len(out))
            break
    return bytes(out)


def _inflate_step(inflater: Any, step: memoryview, room: int) -> bytes:
    produced = bytearray()
    while step:
        produced += inflater.decompress(step, room - len(produced) + 1)
        if len(produced) > room:
            raise OverCap
        step = memoryview(inflater.unconsumed_tail)
        if inflater.eof:
            break
    return bytes(produced)


def _inflate_until_damage(inflater: Any, step: memoryview, room: int) -> bytes:
    produced = bytearray()
    for index in range(len(step)):
        try:
            produced += _inflate_step(inflater, step[index : index + 1], room - len(produced))
        except zlib.error:
            break
    return bytes(produced)


def _lzw(data: bytes, cap: int) -> bytes:
    out = bytearray()
    for piece in LZWDecoder(io.BytesIO(data)).run():
        out += piece
        if len(out) > cap:
            raise OverCap
    return bytes(out)


def run_length(data: bytes, cap: int) -> bytes:
    """RunLengthDecode (PDF 32000-1 §7.4.5): a length byte, then 1-128 bytes copied or
    one byte repeated 2-128 times; 128 ends the data."""
    out = bytearray()
    at, end = 0, len(data)
    while at < end:
        length = data[at]
        at += 1
        if length == 128:
            break
        if length < 128:
            out += data[at : at + length + 1]
            at += length + 1
        else:
            out += data[at : at + 1] * (257 - length)
            at += 1
        if len(out) > cap:
            raise OverCap
    return bytes(out)


def _unpredict(data: bytes, params: dict[str, Any]) -> bytes:
    predictor = _number(params["Predictor"])
    colors = _number(params.get("Colors", 1))
    columns = _number(params.get("Columns", 1))
    bits = _number(params.get("BitsPerComponent", 8))
    if predictor == 2:
        return apply_tiff_predictor(colors, columns, bits, data)
    if predictor >= 10:
        return apply_png_predictor(predictor, colors, columns, bits, data)
    raise Unmeasurable(f"Predictor {predictor}")
