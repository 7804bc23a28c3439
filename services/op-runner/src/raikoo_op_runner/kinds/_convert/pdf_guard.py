"""How much extracting a PDF's text would expand, measured before the extraction runs.

Two passes, one budget (``max_expanded_bytes``):

1. *Every stream once*, straight from the bytes: each ``<<…>> stream … endstream`` is
   decoded through its whole filter chain (``pdf_filters``), never past what is left of the
   budget. This runs before pdfminer opens the file, which itself decodes cross-reference
   and object streams.
2. *Every use*, through pdfminer's view of the document (the objects the extraction will
   read): a page's content streams and the form XObjects they draw are parsed again on
   every use, so each counts once per use — a stream that 200 pages show counts 200 times,
   a form drawn 50 times by a page that 10 pages share counts 500 times. Forms are found by
   their ``/Name Do`` operators; a form drawing itself is refused. In an encrypted document
   (opened with the empty password, as the extraction does), pass 2 also measures each
   stream once as decrypted, since pass 1 sees only ciphertext.

A filter whose output cannot be known is refused. What the guard cannot see (a stream's
``/Length`` inside an encrypted object stream) is still bounded by the worker's memory and
CPU limits.
"""

from __future__ import annotations

import bisect
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import LIT

from raikoo_op_runner.kinds._convert.errors import invalid
from raikoo_op_runner.kinds._convert.pdf_filters import OverCap, Unmeasurable, decode

MAX_FORM_DEPTH = 100
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\r|\n)")
_HEADER = re.compile(rb"(?<!\d)(\d+)\s+(\d+)\s+obj\b")
_HEADER_WINDOW = 64 * 1024
"""How far before ``stream`` its object's header may be (a dictionary is short)."""
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_FORM = LIT("Form")


class _Refused(Exception):
    pass


@dataclass
class _Budget:
    limit: int
    spent: int = 0
    once: dict[int, int] = field(default_factory=dict)
    """Bytes pass 1 counted for each object number."""

    @property
    def left(self) -> int:
        return max(0, self.limit - self.spent)

    def check(self, *, uses: bool) -> None:
        if self.spent > self.limit:
            raise _over(self.limit, uses=uses)


def check_pdf(blob: bytes, limit: int) -> None:
    """Raise ``invalid`` when extracting ``blob``'s text would expand past ``limit`` bytes."""
    budget = _Budget(limit)
    try:
        _every_stream_once(blob, budget)
        _every_use(blob, budget)
    except OverCap:
        raise _over(limit, uses=False) from None
    except _Refused as refused:
        raise invalid(str(refused)) from None
    except RecursionError:
        raise invalid("pdf: the document is nested too deeply to read") from None


def _over(limit: int, *, uses: bool) -> Exception:
    counted = " (a stream counts each time a page or a form uses it)" if uses else ""
    return invalid(
        f"pdf: its streams expand to more than max_expanded_bytes ({limit}){counted}; "
        "refusing a possible decompression bomb"
    )


# --- pass 1: every stream once, from the bytes ----------------------------------------


@dataclass(frozen=True)
class _RawStream:
    objid: int | None
    attrs: dict[str, Any] | None
    data: bytes


def _every_stream_once(blob: bytes, budget: _Budget) -> None:
    raw_file = _RawFile(blob)
    for raw in raw_file.streams():
        if raw.attrs is None:  # no dictionary a reader could use: its bytes as they are
            size = len(raw.data)
        else:
            filters = _filters(PDFStream(raw.attrs, b""), raw_file, raw.objid)
            size = len(_decoded(raw.data, filters, budget.left, raw.objid, content=False))
        budget.spent += size
        budget.check(uses=False)
        if raw.objid is not None:
            budget.once[raw.objid] = budget.once.get(raw.objid, 0) + size


class _RawFile:
    """The file as bytes, with where each object begins (pass 1 reads no cross-reference
    table: it must see every stream a reader could find)."""

    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        headers = [(found.end(), int(found.group(1))) for found in _HEADER.finditer(blob)]
        self.ends = [end for end, _ in headers]
        self.objids = [objid for _, objid in headers]
        self.last = dict(zip(self.objids, self.ends, strict=True))
        """Where each object's last definition begins (an incremental update wins)."""

    def streams(self) -> Iterator[_RawStream]:
        """Every stream in the file, even one inside another's bytes."""
        for match in _STREAM.finditer(self.blob):
            dict_end = match.start() + 2
            at = bisect.bisect_right(self.ends, match.start()) - 1
            attrs = None
            if at >= 0 and match.start() - self.ends[at] <= _HEADER_WINDOW:
                attrs = _parse(self.blob[self.ends[at] : dict_end])
            if not isinstance(attrs, dict):
                attrs, at = None, -1
            length = self.resolved(attrs.get("Length")) if attrs else None
            end = self._stream_end(match.end(), length)
            yield _RawStream(
                self.objids[at] if at >= 0 else None, attrs, self.blob[match.end() : end]
            )

    def _stream_end(self, start: int, length: Any) -> int:
        """Where a reader stops: ``/Length`` bytes, and on to ``endstream`` (pdfminer's
        fallback parser reads that far)."""
        if isinstance(length, int) and length >= 0:
            end = self.blob.find(b"endstream", start + length)
            return min(len(self.blob), start + length) if end < 0 else end
        end = self.blob.find(b"endstream", start)
        return len(self.blob) if end < 0 else end

    def resolved(self, value: Any, depth: int = 0) -> Any:
        """``value`` with indirect references looked up in the file's bytes."""
        if isinstance(value, PDFObjRef):
            at = self.last.get(value.objid)
            if at is None or depth > 4:
                return None
            return self.resolved(_parse(self.blob[at : at + 4096]), depth + 1)
        if isinstance(value, list):
            return [self.resolved(item, depth + 1) for item in value]
        if isinstance(value, dict) and depth == 0:
            return {key: self.resolved(item, depth + 1) for key, item in value.items()}
        return value


def _parse(text: bytes) -> Any:
    try:
        return PDFParser(io.BytesIO(text + b" endobj ")).nextobject()[1]
    except Exception:  # not a dictionary a reader could use
        return None


def _filters(stream: PDFStream, raw_file: _RawFile, objid: int | None) -> list[tuple[Any, Any]]:
    for key in ("F", "Filter", "DP", "DecodeParms", "FDecodeParms"):
        if key in stream.attrs:
            stream.attrs[key] = raw_file.resolved(stream.attrs[key])
    try:
        return stream.get_filters()
    except Exception as exc:  # pdfminer could not decode it either
        raise _Refused(f"pdf: {_object(objid)} has filters that cannot be read ({exc})") from None


def _decoded(
    data: bytes, filters: list[tuple[Any, Any]], cap: int, objid: int | None, *, content: bool
) -> bytes:
    try:
        return decode(data, filters, cap, content=content)
    except Unmeasurable as unknown:
        used = " in page content" if content else ""
        raise _Refused(
            f"pdf: {_object(objid)} uses /{unknown}{used}, whose output cannot be measured; "
            "refusing the document"
        ) from None


def _object(objid: int | None) -> str:
    return "a stream" if objid is None else f"object {objid}"


# --- pass 2: every use, as the extraction reads the document ---------------------------


def _every_use(blob: bytes, budget: _Budget) -> None:
    try:
        document = PDFDocument(PDFParser(io.BytesIO(blob)))
    except PDFPasswordIncorrect:
        raise _Refused("pdf: the document is encrypted with a password") from None
    except Exception as exc:  # as the extraction would fail
        raise _Refused(f"pdf: cannot read the document: {type(exc).__name__}: {exc}") from None
    if document.decipher is not None:
        try:
            _every_stream_once_decrypted(document, budget)
        except OverCap:
            raise _over(budget.limit, uses=False) from None
    try:
        _every_page(document, budget)
    except OverCap:
        raise _over(budget.limit, uses=True) from None


def _every_page(document: PDFDocument, budget: _Budget) -> None:
    walker = _Walker(budget)
    try:
        pages = list(PDFPage.create_pages(document))
    except Exception as exc:  # as the extraction would fail
        raise _Refused(f"pdf: cannot read its pages: {type(exc).__name__}: {exc}") from None
    for page in pages:
        resources = _dict(page.resources)
        for content in page.contents:
            stream = resolve1(content)
            if isinstance(stream, PDFStream):
                budget.spent += walker.cost(stream, resources, 0)
                budget.check(uses=True)


def _every_stream_once_decrypted(document: PDFDocument, budget: _Budget) -> None:
    for objid in {objid for xref in document.xrefs for objid in xref.get_objids()}:
        stream = _top_level_object(document, objid)
        if isinstance(stream, PDFStream):
            size = len(_measure(stream, budget.left, content=False))
            budget.spent += max(0, size - budget.once.get(objid, 0))
            budget.once[objid] = max(size, budget.once.get(objid, 0))
            budget.check(uses=False)


def _top_level_object(document: PDFDocument, objid: int) -> Any:
    """The object, when it lies in the file itself (streams never lie in object streams)."""
    for xref in document.xrefs:
        try:
            stream_id, _, _ = xref.get_pos(objid)
        except KeyError:  # not in this table (pdfminer's PDFKeyError is one)
            continue
        if stream_id is not None:
            return None
        try:
            return document.getobj(objid)
        except Exception:  # unreadable: the extraction will not use it
            return None
    return None


def _measure(stream: PDFStream, cap: int, *, content: bool) -> bytes:
    """The stream's decoded bytes (decrypted first, as pdfminer does), up to ``cap``."""
    if stream.rawdata is None:  # already decoded
        return stream.data or b""
    data = stream.rawdata
    if stream.decipher is not None and stream.objid is not None and stream.genno is not None:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    try:
        filters = stream.get_filters()
    except Exception as exc:  # pdfminer could not decode it either
        what = _object(stream.objid)
        raise _Refused(f"pdf: {what} has filters that cannot be read ({exc})") from None
    return _decoded(data, filters, cap, stream.objid, content=content)


class _Walker:
    """The bytes the interpreter parses for a content stream, forms drawn included, with
    each (stream, resources) pair costed once."""

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self.drawn: dict[int, Counter[str]] = {}
        self.sizes: dict[int, int] = {}
        self.costs: dict[tuple[int, int], int] = {}
        self.open: set[tuple[int, int]] = set()

    def cost(self, stream: PDFStream, resources: dict[Any, Any], depth: int) -> int:
        key = (_key(stream), id(resources))
        if key in self.costs:
            return self.costs[key]
        if key in self.open:
            raise _Refused(f"pdf: {_object(stream.objid)}, a form, draws itself")
        if depth > MAX_FORM_DEPTH:
            raise _Refused(f"pdf: its forms are nested more than {MAX_FORM_DEPTH} deep")
        self.open.add(key)
        total = self._size(stream)
        forms = _dict(resources.get("XObject"))
        for name, times in self.drawn[_key(stream)].items():
            form = resolve1(forms.get(name))
            if isinstance(form, PDFStream) and resolve1(form.get("Subtype")) is _FORM:
                own = _dict(form.get("Resources"))
                inner = self.cost(form, own if own else resources, depth + 1)
                total = min(total + times * inner, self.budget.limit + 1)
        self.open.discard(key)
        self.costs[key] = total
        return total

    def _size(self, stream: PDFStream) -> int:
        key = _key(stream)
        if key not in self.sizes:
            # From here on the stream is counted per use, not as pass 1 counted it.
            if stream.objid is not None:
                self.budget.spent -= self.budget.once.pop(stream.objid, 0)
            data = _measure(stream, self.budget.left, content=True)
            self.sizes[key] = len(data)
            self.drawn[key] = Counter(_name(found) for found in _DO.findall(data))
        return self.sizes[key]


def _key(stream: PDFStream) -> int:
    return stream.objid if stream.objid is not None else id(stream)


def _dict(value: Any) -> dict[Any, Any]:
    resolved = resolve1(value)
    return resolved if isinstance(resolved, dict) else {}


def _name(raw: bytes) -> str:
    unescaped = _ESCAPE.sub(lambda hexa: bytes([int(hexa.group(1), 16)]), raw)
    try:
        return unescaped.decode()
    except UnicodeDecodeError:
        return unescaped.decode("latin-1")
