"""Real documents built in memory for the convert tests: DOCX, XLSX, PPTX and PDF.

DOCX is assembled part by part (python-docx is not a dependency); XLSX and PPTX come from
openpyxl and python-pptx; the PDF by ``_pdf``'s small writer.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

import openpyxl
from pptx import Presentation
from pptx.util import Inches

from tests.unit.kinds._pdf import FONT_RESOURCES, document, stream, text_content

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_WML_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="{_WML_TYPE}.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="{_WML_TYPE}.styles+xml"/>
</Types>"""
_PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG_REL}">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG_REL}">
<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>
</Relationships>"""
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
</w:styles>"""


def _paragraph(text: str, *, style: str | None = None, bold: bool = False) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    run_properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:p>{properties}<w:r>{run_properties}<w:t>{escape(text)}</w:t></w:r></w:p>"


def build_docx(heading: str, paragraphs: list[str], table: list[list[str]]) -> bytes:
    rows = "".join(
        "<w:tr>" + "".join(f"<w:tc>{_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
        for row in table
    )
    body = (
        _paragraph(heading, style="Heading1")
        + "".join(_paragraph(text) for text in paragraphs)
        + _paragraph("Important", bold=True)
        + f"<w:tbl>{rows}</w:tbl>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    )
    return _zip(
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _PACKAGE_RELS,
            "word/_rels/document.xml.rels": _DOCUMENT_RELS,
            "word/styles.xml": _STYLES,
            "word/document.xml": document,
        }
    )


def docx_bomb(expanded_bytes: int) -> bytes:
    """A valid DOCX plus a part of zeros that inflates to ``expanded_bytes``."""
    buffer = io.BytesIO(build_docx("Bomb", ["tick"], [["a"]]))
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/zeros.bin", "w", force_zip64=True) as part,
    ):
        for _ in range(expanded_bytes // len(chunk)):
            part.write(chunk)
    return buffer.getvalue()


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def build_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Orders"
    sheet.append(["order", "customer", "amount", "paid", "placed"])
    sheet.append([1001, "Zoë Müller", 12.5, True, dt.datetime(2024, 5, 1, 9, 30)])
    sheet.append([1002, "東京 Trading", 300, False, None])
    notes = workbook.create_sheet("Notes")
    notes.append(["note"])
    notes.append(["ship by Friday"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_pptx(title: str, bullets: list[str]) -> bytes:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    assert slide.shapes.title is not None
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    body.text = bullets[0]
    for bullet in bullets[1:]:
        body.add_paragraph().text = bullet
    rows, cols = 2, 2
    table = slide.shapes.add_table(rows, cols, Inches(1), Inches(4), Inches(4), Inches(1)).table
    for r, row in enumerate([["region", "sales"], ["north", "42"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def build_pdf(lines: list[str], *, extra_stream: bytes | None = None) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica; ``extra_stream`` adds a Flate stream."""
    extra = [stream(extra_stream)] if extra_stream is not None else []
    return document([(stream(text_content(lines)), FONT_RESOURCES)], extra=extra)
