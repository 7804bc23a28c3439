"""convert: tabular round trips, positioned errors, safe parsing, document text extraction."""

from __future__ import annotations

import asyncio
import base64
import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from raikoo_common.runner import OperationError
from raikoo_common.workflow import DefinitionInvalid, validate_definition
from raikoo_op_runner.kinds import catalog
from raikoo_op_runner.kinds.convert import KIND, ConvertConfig, ConvertOutput, execute
from tests.unit.kinds._documents import (
    build_docx,
    build_pdf,
    build_pptx,
    build_xlsx,
    docx_bomb,
)
from tests.unit.kinds._processes import worker_cpu_ticks
from tests.unit.kinds._run import context

CONTEXT = context("rows")

# Realistic rows: unicode, delimiters, quotes, line breaks, markup, empty values, a column
# name that is not a valid XML name, and values that only look like numbers.
RECORDS = [
    {
        "id": "1",
        "First Name": "Zoë",
        "city": "Zürich, CH",
        "note": 'said "hi"\nthen left',
        "zip": "08001",
    },
    {"id": "2", "First Name": "東京 🙂", "city": "", "note": "a|b <br> & <i>c</i>", "zip": ""},
    {"id": "3", "First Name": "O'Brien", "city": "C:\\temp; x=1", "note": "", "zip": "10"},
]
TABULAR = ["csv", "tsv", "json", "jsonl", "yaml", "xml", "markdown", "html"]


async def run(**fields: Any) -> ConvertOutput:
    if "from_" in fields:
        fields["from"] = fields.pop("from_")
    written = await execute(ConvertConfig.model_validate(fields), CONTEXT)
    return ConvertOutput.model_validate(written.value())


async def fails(**fields: Any) -> OperationError:
    with pytest.raises(OperationError) as caught:
        await run(**fields)
    return caught.value


def b64(blob: bytes) -> str:
    return base64.b64encode(blob).decode()


def test_the_kind_is_discovered_with_a_precise_schema() -> None:
    assert catalog()["convert"] is KIND
    schema = KIND.describe()["config_schema"]
    assert "from" in schema["properties"]
    assert schema["required"] == ["to"]
    assert "pdf" in schema["properties"]["from"]["enum"]
    assert "pdf" not in schema["properties"]["to"]["enum"]


def test_impossible_targets_are_refused_when_the_workflow_is_defined() -> None:
    document: dict[str, Any] = {
        "apiVersion": "raikoo/v1",
        "kind": "Workflow",
        "name": "convert",
        "operations": {"c": {"uses": "convert", "with": {"from": "csv", "to": "pdf"}}},
    }
    with pytest.raises(DefinitionInvalid, match="to"):
        validate_definition(document, kinds={"convert": ConvertConfig})
    document["inputs"] = {"csv": {"type": "string"}}
    document["operations"]["c"]["with"] = {"from": "csv", "to": "json", "data": "{{ inputs.csv }}"}
    validate_definition(document, kinds={"convert": ConvertConfig})
    with pytest.raises(ValidationError, match="either `data` or `data_base64`"):
        ConvertConfig.model_validate({"to": "json", "data": "x", "data_base64": "eA=="})


@pytest.mark.parametrize("target", TABULAR)
@pytest.mark.parametrize("first", TABULAR)
async def test_records_survive_a_trip_through_any_two_tabular_formats(
    first: str, target: str
) -> None:
    written = await run(from_="data", to=first, data=RECORDS)
    assert written.text is not None
    assert written.rows == 3
    # From HTML, `to: markdown` means the whole page unless a table is picked.
    table = {"table_index": 0} if (first, target) == ("html", "markdown") else {}
    converted = await run(from_=first, to=target, data=written.text, **table)
    assert converted.text is not None
    back = await run(from_=target, to="data", data=converted.text)
    expected: Any = RECORDS
    if target == "xml" or (first == "xml" and target in ("json", "yaml", "jsonl")):
        # Read as data, XML keeps its document shape (tables unwrap it when written).
        expected = {"root": {"item": RECORDS}}
        expected = [expected] if target == "jsonl" else expected
    assert back.data == expected


async def test_json_output_gives_data_to_iterate_and_text() -> None:
    out = await run(from_="csv", to="json", data="a,b\n1,x\n", indent=None)
    assert out.data == [{"a": "1", "b": "x"}]
    assert out.text == '[{"a":"1","b":"x"}]'
    assert (out.format, out.source_format, out.rows) == ("json", "csv", 1)
    only_data = await run(from_="csv", to="data", data="a\n1\n")
    assert only_data.text is None
    assert only_data.data == [{"a": "1"}]


async def test_types_are_inferred_only_when_asked() -> None:
    text = "n,f,e,t,f2,empty,zip,big,word\n42,-1.5,1e3,TRUE,false,,007,99999999999999999999,NaN\n"
    typed = await run(from_="csv", to="data", data=text, infer_types=True)
    assert typed.data == [
        {
            "n": 42,
            "f": -1.5,
            "e": 1000.0,
            "t": True,
            "f2": False,
            "empty": None,
            "zip": "007",
            "big": "99999999999999999999",
            "word": "NaN",
        }
    ]
    plain = await run(from_="csv", to="data", data=text)
    assert all(isinstance(value, str) for value in plain.data[0].values())


async def test_csv_options_delimiter_no_header_columns_quoting_sniffing() -> None:
    rows = await run(from_="csv", to="data", data="1;a\n2;b\n", delimiter=";", header=False)
    assert rows.data == [["1", "a"], ["2", "b"]]
    named = await run(from_="csv", to="data", data="x,y\n1,2\n", columns=["left", "right"])
    assert named.data == [{"left": "1", "right": "2"}]
    sniffed = await run(from_="csv", to="data", data="a;b\n'x;y';2\n", sniff=True)
    assert sniffed.data == [{"a": "x;y", "b": "2"}]
    quoted = await run(from_="data", to="csv", data=[{"n": 1, "s": "x"}], quoting="nonnumeric")
    assert quoted.text == '"n","s"\n1,"x"\n'
    crlf = await run(from_="data", to="csv", data=[{"a": None, "b": True}], newline="crlf")
    assert crlf.text == "a,b\r\n,true\r\n"
    big = await run(from_="csv", to="data", data='a\n"' + "x" * 200_000 + '"\n')
    assert len(big.data[0]["a"]) == 200_000  # beyond the csv module's default field limit
    chosen = await run(from_="data", to="tsv", data=RECORDS, columns=["zip", "id"], header=False)
    assert chosen.text == "08001\t1\n\t2\n10\t3\n"


async def test_a_ragged_csv_row_is_reported_with_its_line_or_padded() -> None:
    text = 'name,note,score\nAda,"two\nlines",1\nBob,short\n'
    error = await fails(from_="csv", to="json", data=text)
    assert error.kind == "invalid_input"
    assert not error.retryable
    assert "line 4" in str(error)
    assert "2 fields, expected 3" in str(error)
    padded = await run(from_="csv", to="data", data=text, ragged_rows="pad")
    assert padded.data[1] == {"name": "Bob", "note": "short", "score": ""}
    too_long = await fails(from_="csv", to="json", data="a\n1\n2,3\n", ragged_rows="pad")
    assert "line 3" in str(too_long)


async def test_malformed_csv_quoting_is_an_error_not_lost_data() -> None:
    error = await fails(from_="csv", to="json", data='a,b\n1,"open\n2,3\n')
    assert error.kind == "invalid_input"
    assert "csv: line" in str(error)
    duplicate = await fails(from_="csv", to="json", data="a,a\n1,2\n")
    assert "'a' appears twice (columns 1 and 2)" in str(duplicate)


@pytest.mark.parametrize(
    ("fmt", "text", "where"),
    [
        ("json", '{"a": 1,\n "b": [1, 2,]}', "json: line 2, column 13"),
        ("jsonl", '{"a": 1}\n{"a": }\n', "jsonl: line 2, column 7"),
        ("yaml", "a: 1\nb: [1, 2\nc: 3\n", "yaml: line 3"),
        ("xml", "<root>\n  <a>1</b>\n</root>", "xml: line 2, column 9: mismatched tag"),
        ("markdown", "no table here", "markdown: no table at table_index 0"),
        ("html", "<p>none</p>", "html: no table at table_index 0"),
    ],
)
async def test_malformed_input_names_format_and_position(fmt: str, text: str, where: str) -> None:
    error = await fails(from_=fmt, to="json", data=text)
    assert error.kind == "invalid_input"
    assert where in str(error)


async def test_json_rejects_nan_and_yaml_dates_become_iso_text() -> None:
    assert "NaN is not valid JSON" in str(await fails(from_="json", to="json", data="[NaN]"))
    out = await run(from_="yaml", to="json", data="when: 2024-05-01\n1: one\nnull: x\n")
    assert out.data == {"when": "2024-05-01", "1": "one", "null": "x"}


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""


async def test_xml_bombs_and_external_entities_fail_cleanly() -> None:
    error = await fails(from_="xml", to="json", data=BILLION_LAUGHS)
    assert error.kind == "invalid_input"
    assert "entity declarations are not allowed" in str(error)
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    assert "entity" in str(await fails(from_="xml", to="json", data=xxe))


async def test_yaml_alias_bombs_fail_cleanly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    error = await fails(from_="yaml", to="json", data="\n".join(lines))
    assert error.kind == "invalid_input"
    assert "aliases expand" in str(error)


async def test_xml_names_root_item_attributes_and_force_list() -> None:
    out = await run(from_="data", to="xml", data=[{"@id": "7", "#text": "x"}], root="items")
    assert (
        out.text
        == '<?xml version="1.0" encoding="utf-8"?>\n<items>\n  <item id="7">x</item>\n</items>'
    )
    wrapped = await run(from_="data", to="xml", data={"a b": 1, "_x0041_": 2}, indent=None)
    assert "<a_x0020_b>1</a_x0020_b><_x005F_x0041_>2</_x005F_x0041_>" in (wrapped.text or "")
    back = await run(from_="xml", to="data", data=wrapped.text, infer_types=True)
    assert back.data == {"root": {"a b": 1, "_x0041_": 2}}
    one = await run(from_="xml", to="data", data="<r><it>1</it></r>", force_list=["it"])
    assert one.data == {"r": {"it": ["1"]}}


async def test_xml_writes_well_formed_documents_for_awkward_values() -> None:
    for value in (
        {"#text": "x"},
        {"@id": "1"},
        {"rows": [[1, 2], [3]]},
        [[{"a:b": 1}, ["x", None]], []],
        {"1st": {"x y": None}},
    ):
        written = await run(from_="data", to="xml", data=value, item="row")
        assert written.text is not None
        assert (await run(from_="xml", to="data", data=written.text)).data is not None
    control = await fails(from_="data", to="xml", data=[{"a": "bell\x07"}])
    assert "contains U+0007, a character XML 1.0 cannot represent" in str(control)
    empty = await fails(from_="data", to="xml", data={"a": {"": 1}})
    assert "an empty key cannot be an element" in str(empty)
    nested = await run(
        from_="data", to="xml", data={"rows": [[1, 2], [3]]}, indent=None, item="row"
    )
    assert nested.text is not None
    assert nested.text.endswith(
        "<root><rows><row>1</row><row>2</row></rows><rows><row>3</row></rows></root>"
    )


async def test_markdown_tables_are_found_escaped_and_aligned() -> None:
    document = (
        "# Report\n\n```\n| not | a table |\n|---|---|\n```\n\n"
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n\nText between.\n\n"
        "| name | note |\n| --- | --- |\n| x\\|y | line<br>break |\n| short |\n"
    )
    second = await run(from_="markdown", to="data", data=document, table_index=1)
    assert second.data == [{"name": "x|y", "note": "line\nbreak"}, {"name": "short", "note": ""}]
    first = await run(from_="markdown", to="data", data=document)
    assert first.data == [{"a": "1", "b": "2"}]
    written = await run(from_="data", to="markdown", data=[{"k": "東京", "v": "a|b"}])
    assert written.text == "| k    | v    |\n| ---- | ---- |\n| 東京 | a\\|b |\n"


async def test_html_tables_expand_spans_and_ignore_nested_tables() -> None:
    page = """<html><body><table>
      <thead><tr><th>region</th><th>q1</th><th>q2</th></tr></thead>
      <tr><td rowspan="2">North <b>East</b></td><td colspan="2">10</td></tr>
      <tr><td>11<br>est.</td><td><table><tr><td>inner</td></tr></table>12</td></tr>
    </table></body></html>"""
    out = await run(from_="html", to="data", data=page, infer_types=True)
    assert out.data == [
        {"region": "North East", "q1": 10, "q2": 10},
        {"region": "North East", "q1": "11\nest.", "q2": "inner12"},
    ]
    written = await run(from_="data", to="html", data=[{"<a>": 'x & "y"'}])
    assert "<th>&lt;a&gt;</th>" in (written.text or "")
    assert "<td>x &amp; &quot;y&quot;</td>" in (written.text or "")


async def test_text_output_is_a_readable_rendering() -> None:
    table = await run(from_="data", to="text", data=[{"name": "Ada", "n": 1}, {"name": "Bo"}])
    assert table.text == "name  n\n----  -\nAda   1\nBo\n"
    nested = await run(from_="data", to="text", data={"user": {"name": "Ada", "tags": ["x"]}})
    assert nested.text == "user:\n  name: Ada\n  tags:\n  - x\n"
    plain = await run(from_="markdown", to="text", data="## Hi\n\n**Bold** \\*stars\\* [link](u)")
    assert plain.text == "Hi\n\nBold *stars* link\n"


async def test_docx_text_and_markdown() -> None:
    docx = build_docx("Quarterly report", ["Sales grew in all regions.", "Zoë signed."], [
        ["region", "sales"],
        ["north", "42"],
    ])  # fmt: skip
    markdown = await run(from_="docx", to="markdown", data_base64=b64(docx))
    assert markdown.text is not None
    assert "# Quarterly report" in markdown.text
    assert "**Important**" in markdown.text
    assert "| north | 42 |" in markdown.text
    text = await run(from_="auto", to="text", data_base64=b64(docx))
    assert text.source_format == "docx"
    assert text.text is not None
    assert text.text.startswith("Quarterly report\n\nSales grew in all regions.\n\nZoë signed.")
    assert "north\t42" in text.text
    assert "#" not in text.text
    assert "**" not in text.text


async def test_xlsx_sheets_as_markdown_or_typed_records() -> None:
    xlsx = b64(build_xlsx())
    markdown = await run(to="markdown", data_base64=xlsx)
    assert markdown.source_format == "xlsx"
    assert markdown.text is not None
    assert markdown.text.startswith("## Orders\n\n| order | customer")
    assert "| 1002  | 東京 Trading | 300    | false |                     |" in markdown.text
    assert "## Notes" in markdown.text
    assert "ship by Friday" in markdown.text
    records = await run(to="data", data_base64=xlsx)
    assert records.data == [
        {
            "order": 1001,
            "customer": "Zoë Müller",
            "amount": 12.5,
            "paid": True,
            "placed": "2024-05-01T09:30:00",
        },
        {"order": 1002, "customer": "東京 Trading", "amount": 300, "paid": False, "placed": None},
    ]
    notes = await run(from_="xlsx", to="csv", data_base64=xlsx, sheet="Notes")
    assert notes.text == "note\nship by Friday\n"
    missing = await fails(from_="xlsx", to="csv", data_base64=xlsx, sheet=5)
    assert "no sheet at position 5" in str(missing)
    assert "Orders" in str(missing)


async def test_pptx_slides_to_text() -> None:
    pptx = build_pptx("Roadmap", ["Ship convert", "Write docs"])
    out = await run(to="text", data_base64=b64(pptx))
    assert out.source_format == "pptx"
    assert out.text == "Roadmap\nShip convert\nWrite docs\nregion\tsales\nnorth\t42\n"


async def test_pdf_text_comes_out() -> None:
    pdf = build_pdf(["Invoice 2024-117", "Total due: 1,250.00 (EUR)"])
    out = await run(to="text", data_base64=b64(pdf))
    assert out.source_format == "pdf"
    assert out.text == "Invoice 2024-117\nTotal due: 1,250.00 (EUR)\n"


async def test_html_pages_to_markdown_and_text() -> None:
    page = (
        "<!DOCTYPE html><html><head><title> Release notes </title><script>track()</script>"
        "</head><body><h1>v2.0</h1><p>Now with <b>convert</b>, see <a href='https://x.io'>"
        "docs</a>.</p><ul><li>CSV</li><li>PDF</li></ul></body></html>"
    )
    markdown = await run(to="markdown", data=page)
    assert (markdown.source_format, markdown.title) == ("html", "Release notes")
    assert (
        markdown.text
        == "# v2.0\n\nNow with **convert**, see [docs](https://x.io).\n\n* CSV\n* PDF\n"
    )
    text = await run(from_="html", to="text", data=page)
    assert text.text == "v2.0\n\nNow with convert, see docs.\n\n* CSV\n* PDF\n"
    latin = await run(
        from_="html",
        to="text",
        data_base64=b64("<p>café</p>".encode("latin-1")),
        encoding="latin-1",
    )
    assert latin.text == "café\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('[{"a": 1}]', "json"),
        ('{"a": 1}\n{"a": 2}\n', "jsonl"),
        ("<?xml version='1.0'?><a>1</a>", "xml"),
        ("<html><body><p>x</p></body></html>", "html"),
    ],
)
async def test_auto_recognises_text_formats(data: str, expected: str) -> None:
    out = await run(to="json" if expected != "html" else "text", data=data)
    assert out.source_format == expected
    assert (await run(to="data", data=[1, 2])).source_format == "data"


async def test_auto_refuses_what_it_cannot_recognise() -> None:
    error = await fails(to="json", data="a,b\n1,2\n")
    assert error.kind == "invalid_input"
    assert "set `from`" in str(error)
    legacy = await fails(
        to="text", data_base64=b64(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))
    )
    assert legacy.kind == "unsupported"


async def test_impossible_pairs_are_unsupported() -> None:
    pdf = b64(build_pdf(["x"]))
    for fields in (
        {"from_": "pdf", "to": "json", "data_base64": pdf},
        {"from_": "docx", "to": "csv", "data_base64": pdf},
        {"from_": "text", "to": "csv", "data": "hello"},
    ):
        assert (await fails(**fields)).kind == "unsupported"


async def test_input_shapes_and_encodings_are_checked() -> None:
    wrong_shape = await fails(from_="csv", to="json", data=[{"a": 1}])
    assert "from: csv expects csv text in `data`, got a list" in str(wrong_shape)
    assert "not valid base64" in str(await fails(from_="csv", to="json", data_base64="@@@"))
    latin = base64.b64encode("name\nZoë\n".encode("latin-1")).decode()
    assert "byte 7 (0xeb)" in str(await fails(from_="csv", to="json", data_base64=latin))
    decoded = await run(from_="csv", to="data", data_base64=latin, encoding="latin-1")
    assert decoded.data == [{"name": "Zoë"}]
    assert "base64 bytes" in str(await fails(from_="pdf", to="text", data="%PDF-1.4"))
    assert "null" in str(await fails(from_="csv", to="json"))
    scalar = await fails(from_="data", to="csv", data="just text")
    assert "csv output needs a list of records, got a string" in str(scalar)


async def test_a_value_json_cannot_carry_fails_as_input() -> None:
    error = await fails(from_="data", to="json", data=[{"n": 2**70}])
    assert error.kind == "invalid_input"
    assert "`data` is not JSON a conversion can read" in str(error)


async def test_the_input_size_cap() -> None:
    error = await fails(from_="csv", to="json", data="a\n" + "x\n" * 600, max_input_bytes=1000)
    assert error.kind == "invalid_input"
    assert "max_input_bytes (1000)" in str(error)
    blob = b64(build_pdf(["x"]))
    assert "max_input_bytes" in str(await fails(to="text", data_base64=blob, max_input_bytes=200))


async def test_zip_and_deflate_bombs_are_refused_before_parsing() -> None:
    bomb = docx_bomb(260 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    error = await fails(to="text", data_base64=b64(bomb))
    assert error.kind == "invalid_input"
    assert "zip bomb" in str(error)
    pdf = build_pdf(["hello"], extra_stream=bytes(4 * 1024 * 1024))
    pdf_error = await fails(to="text", data_base64=b64(pdf), max_expanded_bytes=1024 * 1024)
    assert "decompression bomb" in str(pdf_error)
    fine = await run(to="text", data_base64=b64(pdf))
    assert fine.text == "hello\n"


async def test_corrupt_documents_fail_as_invalid_input() -> None:
    docx = bytearray(build_docx("T", ["p"], [["a"]]))
    docx[len(docx) // 2 : len(docx) // 2 + 40] = bytes(40)
    error = await fails(from_="docx", to="text", data_base64=b64(bytes(docx)))
    assert error.kind == "invalid_input"
    assert str(error).startswith("docx: ")


def _busier(before: dict[int, int]) -> bool:
    """Whether a worker has used CPU since ``before``."""
    now = worker_cpu_ticks()
    return any(now.get(pid, 0) > ticks for pid, ticks in before.items())


async def test_a_big_conversion_runs_in_a_worker_while_the_loop_serves_others() -> None:
    await asyncio.gather(*(run(from_="csv", to="json", data="a\n1\n") for _ in range(2)))
    before = worker_cpu_ticks()
    assert before  # the warm pool: worker processes, not this one
    assert os.getpid() not in before
    text = "id,name,city,note\n" + "".join(f'{i},name {i},"City, {i}",n\n' for i in range(150_000))
    big = asyncio.ensure_future(run(from_="csv", to="jsonl", data=text))
    while not _busier(before):  # noqa: ASYNC110 (another process: no event to wait for)
        await asyncio.sleep(0.01)
    # Meanwhile the loop is free: another conversion starts, crosses to the other worker
    # and comes back while the big one is still being converted.
    small = await run(from_="csv", to="json", data="a,b\n1,2\n", indent=None)
    assert small.text == '[{"a":"1","b":"2"}]'
    assert not big.done()
    out = await big
    assert out.rows == 150_000
    assert out.text is not None
    assert out.text.count("\n") == 150_000


@settings(max_examples=300, deadline=None)
@given(
    source=st.sampled_from(
        ["auto", "csv", "tsv", "json", "jsonl", "yaml", "xml", "markdown", "html"]
    ),
    target=st.sampled_from(["data", "csv", "xml", "markdown", "html", "text", "yaml"]),
    text=st.text(alphabet=st.sampled_from([*'ab1 ,;|\t\n"<>/&#:-[]{}*`', "é", "🙂"])),
    infer_types=st.booleans(),
)
def test_any_text_converts_or_fails_with_an_operation_error(
    source: str, target: str, text: str, infer_types: bool
) -> None:
    async def attempt() -> OperationError | None:
        try:
            await run(from_=source, to=target, data=text, infer_types=infer_types)
        except OperationError as error:
            return error
        return None

    error = asyncio.run(attempt())
    if error is not None:
        assert error.kind in ("invalid_input", "unsupported")
        assert str(error)
