"""Blocking file operations of the local store, each run in a worker thread.

One artifact is one file: a 4 KiB header (magic, metadata as JSON) followed by the
bytes. Keeping metadata in the same file lets one ``os.replace`` publish data and
metadata together, so a reader sees the old artifact or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import orjson
from pydantic import ValidationError

from raikoo_common.storage._streaming import Digest
from raikoo_common.storage.errors import (
    ArtifactCorrupt,
    ArtifactNotFound,
    ArtifactTooLarge,
    InvalidArtifactKey,
)
from raikoo_common.storage.port import ArtifactRef

HEADER_SIZE = 4096
MAGIC = b"RAIKOO\x00\x01"
SUFFIX = "~blob"
TEMP_PREFIX = "~tmp-"
STALE_TEMP_SECONDS = 3600.0
"""delete_prefix leaves younger temporary files alone: they belong to puts in progress."""


class Writer:
    """A temporary file in the artifact's directory that becomes the artifact on commit."""

    def __init__(self, key: str, path: Path) -> None:
        self.key = key
        self.path = path
        self.digest = Digest()
        self.temp = path.parent / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        self._file: BinaryIO | None = None

    def create(self) -> None:
        with _name_too_long(self.key):
            try:
                self._file = self._create()
            except FileNotFoundError:
                # A concurrent delete_prefix pruned the directory we had just created.
                self._file = self._create()
        self._file.seek(HEADER_SIZE)

    def _create(self) -> BinaryIO:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.temp.open("xb")

    @property
    def file(self) -> BinaryIO:
        if self._file is None:
            raise RuntimeError("create() the writer first")
        return self._file

    def write(self, chunk: bytes) -> None:
        self.digest.update_sync(chunk)
        self.file.write(chunk)

    def commit(self, header: bytes) -> None:
        self.file.seek(0)
        self.file.write(header)
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        with _name_too_long(self.key):
            os.replace(self.temp, self.path)
        _fsync_directory(self.path.parent)

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
        self.temp.unlink(missing_ok=True)


@contextlib.contextmanager
def _name_too_long(key: str) -> Iterator[None]:
    """The whole path can still exceed the system's limit (PATH_MAX) under a deep root."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            message = f"artifact key {key!r} is too long for this file system"
            raise InvalidArtifactKey(message) from exc
        raise


def header(ref: ArtifactRef) -> bytes:
    meta = orjson.dumps(ref.model_dump(include={"size", "content_type", "sha256", "name"}))
    head = MAGIC + len(meta).to_bytes(4, "big") + meta
    # Content type and name are length-checked, so this cannot happen; never truncate.
    if len(head) > HEADER_SIZE:
        raise ArtifactCorrupt(f"metadata of artifact {ref.key!r} does not fit its header")
    return head.ljust(HEADER_SIZE, b"\x00")


def open_artifact(key: str, path: Path) -> tuple[BinaryIO, ArtifactRef]:
    """The file, positioned at the first byte of the artifact, and its reference."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        raise ArtifactNotFound(key) from None
    try:
        return file, _read_header(key, file)
    except BaseException:
        file.close()
        raise


def _read_header(key: str, file: BinaryIO) -> ArtifactRef:
    head = file.read(HEADER_SIZE)
    if len(head) < HEADER_SIZE or not head.startswith(MAGIC):
        raise ArtifactCorrupt(f"artifact {key!r}: {file.name} is not a Raikoo artifact file")
    length = int.from_bytes(head[len(MAGIC) : len(MAGIC) + 4], "big")
    try:
        ref = ArtifactRef.model_validate(
            {**orjson.loads(head[len(MAGIC) + 4 : len(MAGIC) + 4 + length]), "key": key}
        )
    except (orjson.JSONDecodeError, ValidationError, TypeError) as exc:
        raise ArtifactCorrupt(f"artifact {key!r} has unreadable metadata: {exc}") from exc
    stored = os.fstat(file.fileno()).st_size - HEADER_SIZE
    if stored != ref.size:
        raise ArtifactCorrupt(f"artifact {key!r} holds {stored} bytes, its header says {ref.size}")
    return ref


def read_artifact(key: str, path: Path, max_bytes: int) -> bytes:
    file, ref = open_artifact(key, path)
    with file:
        if ref.size > max_bytes:
            raise ArtifactTooLarge(key, ref.size, max_bytes)
        data = file.read(ref.size)
    digest = Digest()
    digest.update_sync(data)
    if digest.size != ref.size or digest.hexdigest() != ref.sha256:
        raise ArtifactCorrupt(f"artifact {key!r} does not match its SHA-256")
    return data


def delete_tree(root: Path, directory: Path) -> int:
    """Delete the artifacts under ``directory``, then the directories left empty (up to,
    not including, ``root``). Returns how many artifacts were deleted."""
    if not directory.is_dir():
        return 0
    deleted = 0
    stale_before = time.time() - STALE_TEMP_SECONDS
    for current, subdirectories, files in os.walk(directory, topdown=False):
        here = Path(current)
        for file in files:
            path = here / file
            if file.startswith(TEMP_PREFIX):
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime < stale_before:
                        path.unlink()
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                deleted += file.endswith(SUFFIX)
        for subdirectory in subdirectories:
            # Fails when a concurrent put has just created a file there: leave it.
            with contextlib.suppress(OSError):
                (here / subdirectory).rmdir()
    for emptied in (directory, *directory.parents):
        if emptied == root or root not in emptied.parents:
            break
        try:
            emptied.rmdir()
        except OSError:
            break
    return deleted


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX; other systems cannot open a directory)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
