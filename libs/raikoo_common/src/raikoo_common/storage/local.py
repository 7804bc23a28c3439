"""The embedded blob store: artifacts as files under one directory.

Layout: key segments become directories, and an artifact is the file ``<last>~blob``
in its directory. Segments are stored with ``%`` and ``~`` percent-encoded, so no
directory name contains ``~`` and a key may be both an artifact and the parent of
others (``a/b`` and ``a/b/c``), as it may in Azure. Writes go to a temporary file in
the same directory, are fsynced, then renamed into place (see ``_local_files``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import BinaryIO, ParamSpec, TypeVar

from raikoo_common.storage import _local_files as files
from raikoo_common.storage._streaming import iter_chunks
from raikoo_common.storage.errors import ArtifactCorrupt, ArtifactNotFound, InvalidArtifactKey
from raikoo_common.storage.keys import split_key, split_prefix
from raikoo_common.storage.port import (
    ArtifactRef,
    ArtifactStream,
    BlobData,
    validate_content_type,
    validate_name,
)

NAME_MAX = 255
"""Bytes in one file name on common file systems (ext4, APFS, NTFS in UTF-16 units)."""

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _encode(segment: str) -> str:
    return segment.replace("%", "%25").replace("~", "%7E")


class LocalBlobStore:
    def __init__(self, root: Path | str, *, chunk_size: int = 256 * 1024) -> None:
        self.root = Path(root).absolute()
        self._chunk_size = chunk_size

    def __repr__(self) -> str:
        return f"LocalBlobStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        parts = [_encode(segment) for segment in split_key(key)]
        parts[-1] += files.SUFFIX
        if any(len(part.encode()) > NAME_MAX for part in parts):
            raise InvalidArtifactKey(f"artifact key {key!r} is too long for this file system")
        path = self.root.joinpath(*parts)
        # Validated, encoded segments cannot climb out of the root; checked regardless.
        if os.path.commonpath([self.root, path]) != str(self.root):
            raise InvalidArtifactKey(f"artifact key {key!r} leads outside the store")
        return path

    async def put(
        self, key: str, data: BlobData, *, content_type: str, name: str | None = None
    ) -> ArtifactRef:
        writer = files.Writer(key, self._path(key))
        validate_content_type(content_type)
        validate_name(name)
        try:
            await _settled(writer.create)
            async for chunk in iter_chunks(data, self._chunk_size):
                await _settled(writer.write, chunk)
            ref = ArtifactRef(
                key=key,
                size=writer.digest.size,
                content_type=content_type,
                sha256=writer.digest.hexdigest(),
                name=name,
            )
            await _settled(writer.commit, files.header(ref))
        except BaseException:
            writer.abort()
            raise
        return ref

    async def _open(self, key: str) -> tuple[BinaryIO, ArtifactRef]:
        path = self._path(key)
        opened: list[BinaryIO] = []

        def open_artifact() -> tuple[BinaryIO, ArtifactRef]:
            file, ref = files.open_artifact(key, path)
            opened.append(file)
            return file, ref

        try:
            return await _settled(open_artifact)
        except asyncio.CancelledError:
            for file in opened:  # opened for a caller that is gone
                file.close()
            raise

    async def open(self, key: str) -> ArtifactStream:
        file, ref = await self._open(key)

        async def close() -> None:
            file.close()

        return ArtifactStream(ref, self._chunks(key, file, ref.size), on_close=close)

    async def _chunks(self, key: str, file: BinaryIO, size: int) -> AsyncIterator[bytes]:
        remaining = size
        while remaining > 0:
            chunk = await _settled(file.read, min(self._chunk_size, remaining))
            if not chunk:
                raise ArtifactCorrupt(f"artifact {key!r} ended {remaining} bytes early")
            remaining -= len(chunk)
            yield chunk

    async def read(self, key: str, *, max_bytes: int) -> bytes:
        return await asyncio.to_thread(files.read_artifact, key, self._path(key), max_bytes)

    async def stat(self, key: str) -> ArtifactRef | None:
        try:
            file, ref = await self._open(key)
        except ArtifactNotFound:
            return None
        file.close()
        return ref

    async def delete_prefix(self, prefix: str) -> int:
        directory = self.root.joinpath(*(_encode(s) for s in split_prefix(prefix)))
        return await asyncio.to_thread(files.delete_tree, self.root, directory)

    async def close(self) -> None:
        """Nothing to release: files are opened per call."""


async def _settled(function: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """``asyncio.to_thread``, except that a cancelled caller still waits for the thread,
    so cleanup (closing, unlinking) never races a write in progress."""
    work = asyncio.ensure_future(asyncio.to_thread(function, *args, **kwargs))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        await asyncio.wait([work])
        raise
