"""The production blob store: one Azure Blob Storage container (or Azurite in tests).

Uploads are staged as blocks and committed together with the metadata, which is the
only moment the SHA-256 of a stream is known; about two blocks (``block_size``) are held
in memory at most. Block ids carry a per-upload random part, so two runners writing the
same key at once (at-least-once delivery) never mix each other's blocks: the first
commit wins whole, and the other upload fails with ``ArtifactConflict``.

Downloads are capped at ``block_size`` per request (the SDK's default first request
would fetch 32 MiB into memory).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from azure.core.exceptions import (
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.storage.blob import BlobBlock, BlobProperties, ContentSettings, StorageErrorCode
from azure.storage.blob.aio import BlobClient, ContainerClient
from pydantic import ValidationError

from raikoo_common.storage._streaming import Digest, iter_chunks
from raikoo_common.storage.errors import (
    ArtifactConflict,
    ArtifactCorrupt,
    ArtifactNotFound,
    ArtifactTooLarge,
)
from raikoo_common.storage.keys import split_prefix, validate_key
from raikoo_common.storage.port import (
    ArtifactRef,
    ArtifactStream,
    BlobData,
    validate_content_type,
    validate_name,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from azure.core.credentials_async import AsyncTokenCredential

BLOCK_SIZE = 4 * 1024 * 1024
SHA256_METADATA = "raikoo_sha256"
NAME_METADATA = "raikoo_name"
_SINGLE_PUT_LIMIT = 1024 * 1024
"""Larger bodies go as a block: a single put sends raw bytes, which aiohttp writes in one
blocking call (and warns about above 1 MiB)."""
_DELETE_BATCH = 256
_DELETE_CONCURRENCY = 16


def _client_options(block_size: int) -> dict[str, Any]:
    return {"max_single_get_size": block_size, "max_chunk_get_size": block_size}


class AzureBlobStore:
    def __init__(
        self,
        container: ContainerClient,
        *,
        credential: AsyncTokenCredential | None = None,
        block_size: int = BLOCK_SIZE,
    ) -> None:
        """Takes ownership of ``container`` (and ``credential``): ``close()`` closes them."""
        self._container = container
        self._credential = credential
        self._block_size = block_size
        self._ready_lock = asyncio.Lock()
        self._container_ready = False

    @classmethod
    def from_connection_string(
        cls, connection_string: str, container: str, *, block_size: int = BLOCK_SIZE
    ) -> AzureBlobStore:
        client = ContainerClient.from_connection_string(
            connection_string, container, **_client_options(block_size)
        )
        return cls(client, block_size=block_size)

    @classmethod
    def from_account_url(
        cls,
        account_url: str,
        container: str,
        *,
        credential: AsyncTokenCredential | None = None,
        block_size: int = BLOCK_SIZE,
    ) -> AzureBlobStore:
        """Signs in with ``credential``, by default ``DefaultAzureCredential`` (managed
        identity in Azure, the developer's ``az login`` locally)."""
        if credential is None:
            from azure.identity.aio import DefaultAzureCredential

            credential = DefaultAzureCredential()
        client = ContainerClient(
            account_url, container, credential=credential, **_client_options(block_size)
        )
        return cls(client, credential=credential, block_size=block_size)

    def __repr__(self) -> str:
        return f"AzureBlobStore({self._container.url!r})"

    async def _ready(self) -> None:
        """Create the container on first write. Checked before creating: an identity
        with data-plane rights only may read a container it may not create."""
        if self._container_ready:
            return
        async with self._ready_lock:
            if self._container_ready:
                return
            if not await self._container.exists():
                # Another replica may create it in between.
                with contextlib.suppress(ResourceExistsError):
                    await self._container.create_container()
            self._container_ready = True

    def _blob(self, key: str) -> BlobClient:
        return self._container.get_blob_client(validate_key(key))

    async def put(
        self, key: str, data: BlobData, *, content_type: str, name: str | None = None
    ) -> ArtifactRef:
        blob = self._blob(key)
        validate_content_type(content_type)
        validate_name(name)
        await self._ready()
        digest = Digest()
        pending = bytearray()
        blocks: list[BlobBlock] = []
        upload = uuid.uuid4().hex
        async for chunk in iter_chunks(data, self._block_size):
            await digest.update(chunk)
            pending += chunk
            while len(pending) >= self._block_size:
                block, pending = _split(pending, self._block_size)
                await self._stage(blob, upload, blocks, block)
                del block  # before the next one is cut
        ref = ArtifactRef(
            key=key,
            size=digest.size,
            content_type=content_type,
            sha256=digest.hexdigest(),
            name=name,
        )
        settings = ContentSettings(
            content_type=content_type, content_disposition=_disposition(name)
        )
        metadata = {SHA256_METADATA: ref.sha256}
        if name is not None:
            metadata[NAME_METADATA] = quote(name, safe="")
        if not blocks and len(pending) <= _SINGLE_PUT_LIMIT:
            await blob.upload_blob(
                bytes(pending), overwrite=True, content_settings=settings, metadata=metadata
            )
            return ref
        if pending:
            await self._stage(blob, upload, blocks, io.BytesIO(pending))
        try:
            await blob.commit_block_list(blocks, content_settings=settings, metadata=metadata)
        except HttpResponseError as exc:
            # Committing a blob discards every uncommitted block of it, ours included,
            # when another writer of the same key committed first.
            if getattr(exc, "error_code", None) == StorageErrorCode.INVALID_BLOCK_LIST:
                raise ArtifactConflict(key) from exc
            raise
        return ref

    @staticmethod
    async def _stage(
        blob: BlobClient, upload: str, blocks: list[BlobBlock], block: io.BytesIO
    ) -> None:
        """Stage one block. A file-like body: aiohttp sends it in pieces, not in one
        blocking write, and the SDK can rewind it to retry."""
        block_id = f"{upload}-{len(blocks):08d}"  # the SDK base64-encodes it
        await blob.stage_block(block_id, block, length=block.getbuffer().nbytes)
        blocks.append(BlobBlock(block_id=block_id))

    async def open(self, key: str) -> ArtifactStream:
        try:
            downloader = await self._blob(key).download_blob()
        except ResourceNotFoundError:
            raise ArtifactNotFound(key) from None
        ref = _ref(key, downloader.properties)
        return ArtifactStream(ref, _chunks(key, downloader.chunks()))

    async def read(self, key: str, *, max_bytes: int) -> bytes:
        try:
            downloader = await self._blob(key).download_blob()
        except ResourceNotFoundError:
            raise ArtifactNotFound(key) from None
        ref = _ref(key, downloader.properties)
        if downloader.size > max_bytes:
            raise ArtifactTooLarge(key, downloader.size, max_bytes)
        try:
            data = await downloader.readall()
        except ResourceModifiedError:
            raise ArtifactConflict(key, during="download") from None
        digest = Digest()
        await digest.update(data)
        if digest.size != ref.size or digest.hexdigest() != ref.sha256:
            raise ArtifactCorrupt(f"artifact {key!r} does not match its SHA-256")
        return data

    async def stat(self, key: str) -> ArtifactRef | None:
        try:
            properties = await self._blob(key).get_blob_properties()
        except ResourceNotFoundError:
            return None
        return _ref(key, properties)

    async def delete_prefix(self, prefix: str) -> int:
        under = "/".join(split_prefix(prefix)) + "/"
        deleted = 0
        batch: list[str] = []
        try:
            # Deleted page by page: a run may have more artifacts than fit in memory.
            async for blob_name in self._container.list_blob_names(name_starts_with=under):
                batch.append(blob_name)
                if len(batch) >= _DELETE_BATCH:
                    deleted += await self._delete(batch)
                    batch = []
        except ResourceNotFoundError:
            return deleted  # no container yet: nothing was ever stored
        return deleted + await self._delete(batch)

    async def _delete(self, names: list[str]) -> int:
        limit = asyncio.Semaphore(_DELETE_CONCURRENCY)

        async def delete(blob_name: str) -> int:
            async with limit:
                try:
                    await self._container.delete_blob(blob_name, delete_snapshots="include")
                except ResourceNotFoundError:
                    return 0  # deleted concurrently
                return 1

        return sum(await asyncio.gather(*(delete(blob_name) for blob_name in names)))

    async def close(self) -> None:
        try:
            await self._container.close()
        finally:
            if self._credential is not None:
                await self._credential.close()


def _split(pending: bytearray, size: int) -> tuple[io.BytesIO, bytearray]:
    """The first ``size`` bytes as a block body, and the rest. One copy each: a BytesIO
    made from bytes would copy them again when aiohttp sends it, and cutting the front
    off a bytearray keeps its whole allocation alive."""
    with memoryview(pending) as view, view[:size] as head, view[size:] as tail:
        return io.BytesIO(head), bytearray(tail)


def _disposition(name: str | None) -> str | None:
    return None if name is None else f"attachment; filename*=UTF-8''{quote(name, safe='')}"


def _ref(key: str, properties: BlobProperties) -> ArtifactRef:
    metadata = {k.lower(): v for k, v in (properties.metadata or {}).items()}
    sha256 = metadata.get(SHA256_METADATA)
    if not sha256:
        raise ArtifactCorrupt(f"artifact {key!r} has no SHA-256 metadata: not written by Raikoo")
    name = metadata.get(NAME_METADATA)
    try:
        return ArtifactRef(
            key=key,
            size=properties.size,
            content_type=properties.content_settings.content_type or "application/octet-stream",
            sha256=sha256,
            name=None if name is None else unquote(name),
        )
    except ValidationError as exc:
        raise ArtifactCorrupt(f"artifact {key!r} has unusable metadata: {exc}") from exc


async def _chunks(key: str, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The downloader's chunks, non-empty. It pins the blob's ETag after the first
    request, so a blob replaced mid-download fails rather than mixing two versions."""
    try:
        async for chunk in chunks:
            if chunk:
                yield chunk
    except ResourceModifiedError:
        raise ArtifactConflict(key, during="download") from None
