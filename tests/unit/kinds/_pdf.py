"""A small PDF writer for hostile and ordinary test documents: numbered objects, streams
encoded through any filter chain, a correct cross-reference table.

``Pdf`` numbers objects as they are added; ``stream`` encodes data so that the chain named
in its ``/Filter`` decodes it (the first filter listed is applied first when reading, so
encoding runs the list backwards).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from collections.abc import Callable, Sequence

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
FONT_RESOURCES = b"<< /Font << /F1 " + HELVETICA + b" >> >>"
"""A page's resources: ``/F1``, the font ``text_content`` shows its lines in."""


class Pdf:
    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def reserve(self) -> int:
        """A number for an object written later (``put``): pages point at their parent."""
        return self.add(b"null")

    def put(self, number: int, body: bytes) -> None:
        self.objects[number - 1] = body

    def write(self, root: int, *, trailer: bytes = b"") -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, 1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        xref_at = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n".encode() + b"0000000000 65535 f \n"
        out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
        out += f"trailer\n<< /Size {len(self.objects) + 1} /Root {root} 0 R ".encode()
        out += trailer + b" >>\n"
        out += f"startxref\n{xref_at}\n%%EOF\n".encode()
        return bytes(out)


def stream(
    data: bytes,
    filters: Sequence[str] = ("FlateDecode",),
    *,
    entries: bytes = b"",
    params: bytes = b"",
) -> bytes:
    """A stream object whose filter chain decodes to ``data``."""
    encoded = data
    for name in reversed(filters):
        encoded = ENCODERS[name](encoded)
    chain = b" ".join(b"/" + name.encode() for name in filters)
    filter_entry = b" /Filter [" + chain + b"]" if filters else b""
    parms = b" /DecodeParms " + params if params else b""
    header = b"<< /Length %d%s%s %s>>" % (len(encoded), filter_entry, parms, entries)
    return header + b"\nstream\n" + encoded + b"\nendstream"


def text_content(lines: Sequence[str], *, y: int = 720) -> bytes:
    shown = " T* ".join(f"({_escape(line)}) Tj" for line in lines)
    return f"BT /F1 18 Tf 22 TL 72 {y} Td {shown} ET".encode()


def document(pages: Sequence[tuple[bytes, bytes]], *, extra: Sequence[bytes] = ()) -> bytes:
    """A document of pages, each ``(content stream object, resources)``; each content
    stream is its own object. ``extra`` objects are written but used by no page."""
    pdf = Pdf()
    catalog = pdf.reserve()
    tree = pdf.reserve()
    kids = [pdf.add(_page(tree, pdf.add(content), resources)) for content, resources in pages]
    for body in extra:
        pdf.add(body)
    pdf.put(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.put(tree, _tree(kids))
    return pdf.write(catalog)


def shared_content_document(content: bytes, pages: int) -> bytes:
    """``pages`` pages that all show one content stream object."""
    pdf = Pdf()
    catalog = pdf.reserve()
    tree = pdf.reserve()
    font = pdf.add(HELVETICA)
    shown = pdf.add(content)
    resources = b"<< /Font << /F1 %d 0 R >> >>" % font
    kids = [pdf.add(_page(tree, shown, resources)) for _ in range(pages)]
    pdf.put(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    pdf.put(tree, _tree(kids))
    return pdf.write(catalog)


def _page(parent: int, content: int, resources: bytes) -> bytes:
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
        % (parent, resources, content)
    )


def _tree(kids: Sequence[int]) -> bytes:
    listed = b" ".join(b"%d 0 R" % kid for kid in kids)
    return b"<< /Type /Pages /Kids [" + listed + b"] /Count %d >>" % len(kids)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def lzw_encode(data: bytes) -> bytes:
    """LZW as PDF writes it (``EarlyChange`` 1: codes widen one entry early), with a clear
    code first and an end-of-data code last."""
    table = {bytes([n]): n for n in range(256)}
    bits, width, codes = 0, 9, 0
    out = bytearray()

    def emit(code: int) -> None:
        nonlocal bits, codes
        codes = (codes << width) | code
        bits += width
        while bits >= 8:
            bits -= 8
            out.append((codes >> bits) & 0xFF)
        codes &= (1 << bits) - 1

    emit(256)
    word = b""
    for byte in data:
        grown = word + bytes([byte])
        if grown in table:
            word = grown
            continue
        emit(table[word])
        table[grown] = len(table) + 2  # 256 and 257 are the clear and end codes
        if len(table) + 2 == 4095:
            emit(256)
            table = {bytes([n]): n for n in range(256)}
            width = 9
        elif len(table) + 2 in (512, 1024, 2048):
            width += 1
        word = bytes([byte])
    if word:
        emit(table[word])
    emit(257)
    if bits:
        out.append((codes << (8 - bits)) & 0xFF)
    return bytes(out)


def run_length_encode(data: bytes) -> bytes:
    out = bytearray()
    at = 0
    while at < len(data):
        run = 1
        while at + run < len(data) and run < 128 and data[at + run] == data[at]:
            run += 1
        if run > 1:
            out += bytes([257 - run, data[at]])
        else:
            out += bytes([0, data[at]])
        at += run
    return bytes(out + b"\x80")


def png_up_rows(data: bytes, columns: int) -> bytes:
    """PNG predictor 12 ("Up") rows of ``columns`` bytes, each with its filter-type byte."""
    rows = [data[at : at + columns] for at in range(0, len(data), columns)]
    out = bytearray()
    previous = bytes(columns)
    for given in rows:
        row = given.ljust(columns, b"\0")
        out += b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, previous, strict=True))
        previous = row
    return bytes(out)


def _flate(data: bytes) -> bytes:
    return zlib.compress(data)


ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "FlateDecode": _flate,
    "ASCII85Decode": lambda data: base64.a85encode(data, adobe=True)[2:],  # no "<~"
    "ASCIIHexDecode": lambda data: binascii.hexlify(data) + b">",
    "LZWDecode": lzw_encode,
    "RunLengthDecode": run_length_encode,
}


PASSWORD_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def encrypted(pdf: Pdf, root: int) -> bytes:
    """The document encrypted as the standard security handler's revision 2 does (RC4,
    40-bit), with an empty user password: readers open it without asking, as pdfminer
    does, and no stream is readable in the file's bytes."""
    file_id = b"\x01" * 16
    owner_key = hashlib.md5(PASSWORD_PAD).digest()[:5]  # the format's own hash
    owner = _rc4(owner_key, PASSWORD_PAD)
    permissions = (-4).to_bytes(4, "little", signed=True)
    key = hashlib.md5(PASSWORD_PAD + owner + permissions + file_id).digest()[:5]
    user = _rc4(key, PASSWORD_PAD)
    sealed = Pdf()
    for number, body in enumerate(pdf.objects, 1):
        head, marker, rest = body.partition(b"\nstream\n")
        if not marker:
            sealed.add(body)
            continue
        data = rest.removesuffix(b"\nendstream")
        salt = number.to_bytes(3, "little") + b"\0\0"  # object number and generation
        object_key = hashlib.md5(key + salt).digest()[:10]
        sealed.add(head + marker + _rc4(object_key, data) + b"\nendstream")
    encrypt = sealed.add(
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>"
        % (binascii.hexlify(owner), binascii.hexlify(user))
    )
    trailer = b"/Encrypt %d 0 R /ID [<%s> <%s>]" % (
        encrypt,
        binascii.hexlify(file_id),
        binascii.hexlify(file_id),
    )
    return sealed.write(root, trailer=trailer)


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)
