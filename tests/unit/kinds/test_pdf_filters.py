"""The PDF guard's filter decoders: the same bytes as pdfminer's own, never past a cap."""

from __future__ import annotations

import zlib
from typing import Any

import pytest
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

from raikoo_op_runner.kinds._convert.pdf_filters import OverCap, Unmeasurable, decode
from tests.unit.kinds._pdf import ENCODERS, png_up_rows

TEXT = b"BT /F1 12 Tf 72 720 Td (Quarterly report, page 1) Tj ET\n" * 2000


def chain(*names: str, params: Any = None) -> list[tuple[Any, Any]]:
    return [(LIT(name), params if i == len(names) - 1 else None) for i, name in enumerate(names)]


def encoded(data: bytes, *names: str) -> bytes:
    for name in reversed(names):
        data = ENCODERS[name](data)
    return data


CHAINS = [
    ("FlateDecode",),
    ("LZWDecode",),
    ("ASCII85Decode",),
    ("ASCIIHexDecode",),
    ("RunLengthDecode",),
    ("ASCII85Decode", "FlateDecode"),
    ("ASCIIHexDecode", "LZWDecode"),
    ("ASCII85Decode", "RunLengthDecode", "FlateDecode"),
]


@pytest.mark.parametrize("names", CHAINS)
def test_every_chain_decodes_as_pdfminer_does(names: tuple[str, ...]) -> None:
    raw = encoded(TEXT, *names)
    theirs = PDFStream({"Filter": [LIT(n) for n in names]}, raw).get_data()
    assert theirs == TEXT
    assert decode(raw, chain(*names), cap=len(TEXT), content=True) == TEXT


@pytest.mark.parametrize("names", CHAINS)
def test_no_step_goes_past_the_cap(names: tuple[str, ...]) -> None:
    with pytest.raises(OverCap):
        decode(encoded(TEXT, *names), chain(*names), cap=len(TEXT) - 1, content=True)


def test_a_bomb_is_refused_at_the_cap_not_inflated() -> None:
    bomb = zlib.compress(bytes(200 * 2**20))  # 200 MiB of zeros in about 200 KB
    with pytest.raises(OverCap):
        decode(bomb, chain("FlateDecode"), cap=2**20, content=False)


def _inflated_byte_by_byte(data: bytes) -> bytes:
    """What pdfminer works through on damaged Flate data (``decompress_corrupted``)."""
    inflater = zlib.decompressobj()
    out = b""
    for at in range(len(data)):
        try:
            out += inflater.decompress(data[at : at + 1])
        except zlib.error:
            break
    return out


def test_damaged_flate_counts_what_was_inflated_before_the_damage() -> None:
    whole = zlib.compress(TEXT)
    damaged = whole[: len(whole) // 2] + b"\xff" * 64 + whole[len(whole) // 2 :]
    decoded = decode(damaged, chain("FlateDecode"), cap=10 * len(TEXT), content=False)
    assert decoded == _inflated_byte_by_byte(damaged)
    assert len(decoded) > len(TEXT) // 3


def test_a_predictor_inside_a_chain_is_undone_and_the_last_one_only_counted() -> None:
    params = {"Predictor": 12, "Columns": 64}
    hexed = ENCODERS["ASCIIHexDecode"](TEXT)
    hexed += b" " * (-len(hexed) % 64)  # whole rows; spaces mean nothing to ASCIIHex
    raw = ENCODERS["FlateDecode"](png_up_rows(hexed, columns=64))
    filters = [(LIT("FlateDecode"), params), (LIT("ASCIIHexDecode"), None)]
    theirs = PDFStream({"Filter": [f for f, _ in filters], "DecodeParms": [params, None]}, raw)
    assert theirs.get_data() == TEXT
    assert decode(raw, filters, cap=2 * len(hexed), content=True) == TEXT
    rows = png_up_rows(TEXT, columns=64)
    last = chain("FlateDecode", params=params)
    counted = decode(ENCODERS["FlateDecode"](rows), last, cap=len(rows), content=False)
    assert len(counted) == len(rows) > len(TEXT)  # counted as inflated: never less


def test_a_filter_that_fails_ends_the_chain_as_pdfminer_would() -> None:
    assert decode(b"not hex at all>", chain("ASCIIHexDecode"), cap=100, content=True) == (
        b"not hex at all>"
    )


@pytest.mark.parametrize("codec", ["DCTDecode", "JPXDecode", "JBIG2Decode", "CCITTFaxDecode"])
def test_image_codecs_count_as_encoded_but_never_as_page_content(codec: str) -> None:
    image = b"\xff\xd8 not really an image"
    assert decode(image, chain(codec), cap=100, content=False) == image
    with pytest.raises(Unmeasurable, match=codec):
        decode(image, chain(codec), cap=100, content=True)


def test_an_unknown_filter_cannot_be_measured() -> None:
    with pytest.raises(Unmeasurable, match="BrotliDecode"):
        decode(b"x", chain("BrotliDecode"), cap=100, content=False)
