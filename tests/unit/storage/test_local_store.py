"""What the contract suite cannot see of the local store: its files on disk."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from raikoo_common.storage import (
    ArtifactCorrupt,
    InvalidArtifactKey,
    LocalBlobStore,
    validate_key,
)
from raikoo_common.storage._local_files import HEADER_SIZE, STALE_TEMP_SECONDS, TEMP_PREFIX


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalBlobStore]:
    local = LocalBlobStore(tmp_path / "store")
    yield local
    await local.close()


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


async def test_layout_on_disk(store: LocalBlobStore) -> None:
    await store.put("org/run/op/50%~off.txt", b"data", content_type="text/plain")
    await store.put("org/run/op", b"parent too", content_type="text/plain")
    assert files(store.root) == ["org/run/op/50%25%7Eoff.txt~blob", "org/run/op~blob"]
    raw = (store.root / "org/run/op~blob").read_bytes()
    assert len(raw) == HEADER_SIZE + len(b"parent too")
    assert raw[HEADER_SIZE:] == b"parent too"


async def test_failed_put_leaves_no_temporary_file(store: LocalBlobStore) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionError("client went away")

    with pytest.raises(ConnectionError):
        await store.put("org/run/op/x", broken(), content_type="text/plain")
    assert files(store.root) == []


async def test_cancelled_put_leaves_no_temporary_file(store: LocalBlobStore) -> None:
    await store.put("org/run/x", b"old", content_type="text/plain")
    writing = asyncio.Event()

    async def endless() -> AsyncIterator[bytes]:
        while True:
            yield b"y" * 300_000  # hashed and written in a thread: cancelled mid-write
            writing.set()

    put = asyncio.create_task(store.put("org/run/x", endless(), content_type="text/plain"))
    await asyncio.wait_for(writing.wait(), 10)
    put.cancel()
    with pytest.raises(asyncio.CancelledError):
        await put
    assert files(store.root) == ["org/run/x~blob"]
    assert await store.read("org/run/x", max_bytes=10) == b"old"


async def test_delete_prefix_prunes_directories_and_stale_temporary_files(
    store: LocalBlobStore,
) -> None:
    await store.put("org/run/a/b/x", b"1", content_type="text/plain")
    await store.put("org/other/y", b"2", content_type="text/plain")
    stale = store.root / "org/run/a" / f"{TEMP_PREFIX}crashed"
    stale.write_bytes(b"left by a crash")
    old = time.time() - STALE_TEMP_SECONDS - 10
    os.utime(stale, (old, old))
    assert await store.delete_prefix("org/run") == 1
    assert files(store.root) == ["org/other/y~blob"]
    assert not (store.root / "org/run").exists()
    assert await store.delete_prefix("org") == 1
    assert store.root.is_dir()
    assert list(store.root.iterdir()) == []


async def test_delete_prefix_keeps_a_fresh_temporary_file(store: LocalBlobStore) -> None:
    await store.put("org/run/x", b"1", content_type="text/plain")
    in_progress = store.root / "org/run" / f"{TEMP_PREFIX}writing"
    in_progress.write_bytes(b"a put in progress")
    assert await store.delete_prefix("org/run") == 1
    assert in_progress.exists()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda raw: b"not an artifact", "not a Raikoo artifact file"),
        (
            lambda raw: raw[:HEADER_SIZE] + raw[HEADER_SIZE + 1 :],
            "holds 4 bytes, its header says 5",
        ),
        (lambda raw: raw[:20] + b"{{{{" + raw[24:], "unreadable metadata"),
    ],
)
async def test_damaged_files_are_reported(
    store: LocalBlobStore, damage: object, reason: str
) -> None:
    ref = await store.put("org/run/x", b"hello", content_type="text/plain")
    path = store.root / "org/run/x~blob"
    assert callable(damage)
    path.write_bytes(damage(path.read_bytes()))
    for attempt in (store.stat(ref.key), store.open(ref.key), store.read(ref.key, max_bytes=9)):
        with pytest.raises(ArtifactCorrupt, match=reason):
            await attempt


async def test_read_checks_the_sha256(store: LocalBlobStore) -> None:
    ref = await store.put("org/run/x", b"hello", content_type="text/plain")
    path = store.root / "org/run/x~blob"
    raw = path.read_bytes()
    path.write_bytes(raw[:HEADER_SIZE] + b"jello")
    with pytest.raises(ArtifactCorrupt, match="does not match its SHA-256"):
        await store.read(ref.key, max_bytes=10)


async def test_keys_too_long_for_the_file_system(store: LocalBlobStore) -> None:
    key = "org/" + "~" * 200  # valid, but encoded as 600 bytes
    with pytest.raises(InvalidArtifactKey, match="too long for this file system"):
        await store.put(key, b"x", content_type="text/plain")


@given(key=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60))
def test_every_valid_key_stays_inside_the_root(
    tmp_path_factory: pytest.TempPathFactory, key: str
) -> None:
    try:
        validate_key(key)
    except InvalidArtifactKey:
        assume(False)
    root = tmp_path_factory.getbasetemp() / "root"
    path = LocalBlobStore(root)._path(key)
    assert root in path.parents
    assert ".." not in path.relative_to(root).parts
