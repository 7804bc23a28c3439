"""Helpers shared by the stores: turning put's input into chunks, hashing as they pass."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator

from raikoo_common.storage.port import BlobData

_HASH_IN_THREAD = 256 * 1024
"""Chunks at least this big are hashed in a worker thread (hashlib releases the GIL),
so a large upload does not stall the event loop for milliseconds at a time."""


async def iter_chunks(data: BlobData, size: int) -> AsyncIterator[bytes]:
    """``data`` as non-empty chunks: bytes are cut into ``size`` pieces, a stream's
    chunks pass as they come (any size)."""
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, len(view), size):
            yield bytes(view[start : start + size])
        return
    async for chunk in data:
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError(f"artifact stream yielded {type(chunk).__name__}, expected bytes")
        if chunk:
            yield chunk if isinstance(chunk, bytes) else bytes(chunk)


class Digest:
    """SHA-256 and length of the bytes seen so far."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.size = 0

    def update_sync(self, chunk: bytes) -> None:
        self._sha.update(chunk)
        self.size += len(chunk)

    async def update(self, chunk: bytes) -> None:
        if len(chunk) >= _HASH_IN_THREAD:
            await asyncio.to_thread(self._sha.update, chunk)
            self.size += len(chunk)
        else:
            self.update_sync(chunk)

    def hexdigest(self) -> str:
        return self._sha.hexdigest()
