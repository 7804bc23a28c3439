"""The blob store port: what every artifact store (local directory, Azure Blob) offers.

Semantics every implementation shows (tests/contract/test_blob_store.py):

* ``put`` streams: it hashes and counts while writing and never holds a whole stream in
  memory; it replaces any artifact under the same key, and readers see either the old
  or the new artifact, never a mix; a put that fails leaves the old artifact;
* concurrent puts of one key never mix: each returns its reference or raises
  ``ArtifactConflict`` (Azure: another commit came first), and the artifact left is
  exactly the bytes of one put that returned; a reader streaming while its key is
  replaced gets the old artifact whole, or ``ArtifactConflict`` (Azure), never a mix;
* ``open`` fails at once with ``ArtifactNotFound`` for a missing key (so an HTTP handler
  can answer 404 before sending anything), then yields the bytes in chunks;
* ``read`` refuses, with ``ArtifactTooLarge``, an artifact over ``max_bytes``;
* ``delete_prefix("org/run")`` deletes the keys under ``org/run/`` — whole segments
  only, so ``org/run1`` never touches ``org/run10/…``;
* keys are checked by ``raikoo_common.storage.keys`` before any I/O.

An artifact travels inside messages and outputs as ``{"$artifact": {...}}`` (see
``ArtifactRef.to_json``), so code can recognise a reference in any JSON value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Protocol, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from raikoo_common.storage.errors import InvalidArtifactMetadata
from raikoo_common.storage.keys import validate_key

URI_SCHEME = "artifact://"
REF_MARKER = "$artifact"
MAX_NAME_CHARS = 255
_CONTENT_TYPE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(;[ -~]*)?"
)

BlobData = bytes | AsyncIterable[bytes]


def validate_content_type(content_type: str) -> str:
    if len(content_type) > 255 or not _CONTENT_TYPE.fullmatch(content_type):
        raise InvalidArtifactMetadata(
            f"content type {content_type!r} is not a media type like 'application/json' "
            "(ASCII, at most 255 characters)"
        )
    return content_type


def validate_name(name: str | None) -> str | None:
    if name is None:
        return None
    if not name or len(name) > MAX_NAME_CHARS:
        raise InvalidArtifactMetadata(f"artifact name must have 1 to {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(c) in {"Cc", "Cs", "Zl", "Zp"} for c in name):
        raise InvalidArtifactMetadata(f"artifact name {name!r} contains a control character")
    return name


def media_type(content_type: str) -> str:
    """``application/json; charset=utf-8`` → ``application/json``."""
    return content_type.split(";", 1)[0].strip().lower()


class ArtifactRef(BaseModel):
    """Everything a reader needs to know about an artifact without fetching it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    uri: str = Field(default="", description="artifact://<key>; filled in from key when omitted")
    key: str
    size: int = Field(ge=0, description="Bytes")
    content_type: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Hex digest of the bytes")
    name: str | None = Field(default=None, description="Original file name, for display")

    @model_validator(mode="before")
    @classmethod
    def _default_uri(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("uri") and isinstance(data.get("key"), str):
            return {**data, "uri": URI_SCHEME + data["key"]}
        return data

    @field_validator("key")
    @classmethod
    def _valid_key(cls, key: str) -> str:
        return validate_key(key)

    @field_validator("content_type")
    @classmethod
    def _valid_content_type(cls, content_type: str) -> str:
        return validate_content_type(content_type)

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str | None) -> str | None:
        return validate_name(name)

    @model_validator(mode="after")
    def _uri_matches_key(self) -> Self:
        if self.uri != URI_SCHEME + self.key:
            raise ValueError(f"uri {self.uri!r} does not match key {self.key!r}")
        return self

    def to_json(self) -> dict[str, Any]:
        """The reference as it travels inside a JSON value."""
        return {REF_MARKER: self.model_dump(mode="json", exclude_none=True)}

    @classmethod
    def from_json(cls, value: object) -> ArtifactRef:
        """Parse ``{"$artifact": {...}}``; ValueError when ``value`` is anything else."""
        if not _shaped_like_ref(value):
            raise ValueError('not an artifact reference: expected {"$artifact": {...}}')
        assert isinstance(value, dict)
        return cls.model_validate(value[REF_MARKER])


def _shaped_like_ref(value: object) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(REF_MARKER), dict)


def as_artifact_ref(value: object) -> ArtifactRef | None:
    """The reference ``value`` is, or None when it is not a (valid) one."""
    if not _shaped_like_ref(value):
        return None
    try:
        return ArtifactRef.from_json(value)
    except ValidationError:
        return None


def is_artifact_ref(value: object) -> bool:
    return as_artifact_ref(value) is not None


def iter_artifact_refs(value: object) -> Iterator[ArtifactRef]:
    """Every reference anywhere inside a JSON value (depth first), e.g. to check that all
    artifacts an output points to belong to its org."""
    stack = [value]
    while stack:
        item = stack.pop()
        if (ref := as_artifact_ref(item)) is not None:
            yield ref
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


class ArtifactStream(AsyncIterator[bytes]):
    """The chunks of one artifact, with its reference (for Content-Type/Length headers).

    Reading to the end releases what the store holds open; a reader that stops early
    should ``aclose()`` it, or use ``async with``.
    """

    def __init__(
        self,
        ref: ArtifactRef,
        chunks: AsyncIterator[bytes],
        on_close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.ref = ref
        self._chunks = chunks
        self._on_close = on_close
        self._closed = False

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> bytes:
        if self._closed:
            raise StopAsyncIteration
        try:
            return await anext(self._chunks)
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            close = getattr(self._chunks, "aclose", None)
            if close is not None:
                await close()
        finally:
            if self._on_close is not None:
                await self._on_close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


class BlobStore(Protocol):
    async def put(
        self, key: str, data: BlobData, *, content_type: str, name: str | None = None
    ) -> ArtifactRef:
        """Store ``data`` under ``key`` (replacing what was there) and describe it."""

    async def open(self, key: str) -> ArtifactStream:
        """Start reading an artifact; ``ArtifactNotFound`` at once when it is missing."""

    async def read(self, key: str, *, max_bytes: int) -> bytes:
        """The whole artifact; ``ArtifactTooLarge`` when it has more than ``max_bytes``."""

    async def stat(self, key: str) -> ArtifactRef | None:
        """The artifact's reference, or None when it is missing."""

    async def delete_prefix(self, prefix: str) -> int:
        """Delete every artifact whose key lies under ``prefix/``; return how many."""

    async def close(self) -> None: ...
