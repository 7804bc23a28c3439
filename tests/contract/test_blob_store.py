"""The blob store contract (raikoo_common/storage/port.py), run against every store.

The local directory always; Azure Blob Storage through Azurite and the real aio SDK as
an integration test (Azurite comes from ``npm ci``, see the ``azurite_connection_string``
fixture). Each Azurite test uses a container of its own and deletes it afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import tracemalloc
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from raikoo_common.storage import (
    ArtifactConflict,
    ArtifactNotFound,
    ArtifactRef,
    ArtifactTooLarge,
    AzureBlobStore,
    BlobStore,
    InvalidArtifactKey,
    InvalidArtifactMetadata,
    LocalBlobStore,
)

MiB = 1024 * 1024
MAX_CHUNK = 4 * MiB
"""No store hands out a chunk bigger than this: readers stream in bounded memory."""
ORG = str(uuid.uuid4())


@pytest.fixture(params=["local", pytest.param("azurite", marks=pytest.mark.integration)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlobStore]:
    if request.param == "local":
        local = LocalBlobStore(tmp_path / "artifacts")
        yield local
        await local.close()
        return
    from azure.core.exceptions import ResourceNotFoundError
    from azure.storage.blob.aio import ContainerClient

    connection_string: str = request.getfixturevalue("azurite_connection_string")
    container = f"contract-{uuid.uuid4().hex[:20]}"
    azure = AzureBlobStore.from_connection_string(connection_string, container)
    yield azure
    await azure.close()
    async with ContainerClient.from_connection_string(connection_string, container) as client:
        with contextlib.suppress(ResourceNotFoundError):
            await client.delete_container()


def key(*parts: str) -> str:
    return "/".join([ORG, *parts])


def pieces(total: int, seed: int) -> Iterator[bytes]:
    """Deterministic pseudo-random bytes in chunks of irregular size (1 B to 1 MiB)."""
    rng = random.Random(seed)
    sent = 0
    while sent < total:
        size = min(total - sent, rng.choice([1, 7, 4096, 65_537, 300_000, MiB]))
        yield rng.randbytes(size)
        sent += size


async def stream(total: int, seed: int) -> AsyncIterator[bytes]:
    for piece in pieces(total, seed):
        await asyncio.sleep(0)
        yield piece


def expected(total: int, seed: int) -> bytes:
    return b"".join(pieces(total, seed))


async def read_all(store: BlobStore, artifact: str) -> bytes:
    async with await store.open(artifact) as chunks:
        return b"".join([chunk async for chunk in chunks])


async def test_bytes_round_trip(store: BlobStore) -> None:
    data = b'{"hello": "world"}'
    ref = await store.put(key("run", "op", "out.json"), data, content_type="application/json")
    assert ref == ArtifactRef(
        uri=f"artifact://{key('run', 'op', 'out.json')}",
        key=key("run", "op", "out.json"),
        size=len(data),
        content_type="application/json",
        sha256=hashlib.sha256(data).hexdigest(),
    )
    assert await store.stat(ref.key) == ref
    assert await store.read(ref.key, max_bytes=len(data)) == data
    opened = await store.open(ref.key)
    assert opened.ref == ref
    assert b"".join([chunk async for chunk in opened]) == data


async def test_multi_mib_stream_round_trip(store: BlobStore) -> None:
    total = 9 * MiB + 12_345
    want = expected(total, seed=1)
    ref = await store.put(
        key("run", "op", "big.bin"), stream(total, seed=1), content_type="application/octet-stream"
    )
    assert (ref.size, ref.sha256) == (total, hashlib.sha256(want).hexdigest())
    position = chunks = 0
    digest = hashlib.sha256()
    async with await store.open(ref.key) as opened:
        async for chunk in opened:
            assert 0 < len(chunk) <= MAX_CHUNK
            assert chunk == want[position : position + len(chunk)], f"differs at {position}"
            digest.update(chunk)
            position += len(chunk)
            chunks += 1
    assert position == total
    assert chunks > 1
    assert digest.hexdigest() == ref.sha256


async def test_put_streams_without_holding_the_whole_stream(store: BlobStore) -> None:
    total = 32 * MiB
    tracemalloc.start()
    try:
        ref = await store.put(
            key("run", "op", "huge.bin"), stream(total, seed=2), content_type="text/plain"
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ref.size == total
    assert peak < total // 2, f"put held {peak / MiB:.1f} MiB for a {total // MiB} MiB stream"


async def test_empty_artifact(store: BlobStore) -> None:
    ref = await store.put(key("run", "op", "empty"), b"", content_type="text/plain")
    assert (ref.size, ref.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert await store.read(ref.key, max_bytes=0) == b""
    assert await read_all(store, ref.key) == b""


async def test_put_replaces_data_and_metadata(store: BlobStore) -> None:
    artifact = key("run", "op", "report")
    await store.put(artifact, b"first", content_type="text/plain", name="a.txt")
    second = await store.put(artifact, b"second!", content_type="text/csv")
    assert await store.stat(artifact) == second
    assert second.name is None
    assert await store.read(artifact, max_bytes=100) == b"second!"


async def test_failed_put_leaves_the_previous_artifact(store: BlobStore) -> None:
    artifact = key("run", "op", "kept.bin")
    before = await store.put(artifact, b"old content", content_type="text/plain")

    async def broken() -> AsyncIterator[bytes]:
        yield b"x" * (5 * MiB)  # over one Azure block: some blocks are staged
        raise OSError("upstream connection reset")

    with pytest.raises(OSError, match="upstream connection reset"):
        await store.put(artifact, broken(), content_type="text/plain")
    assert await store.stat(artifact) == before
    assert await store.read(artifact, max_bytes=100) == b"old content"
    with pytest.raises(OSError, match="upstream connection reset"):
        await store.put(key("run", "op", "never.bin"), broken(), content_type="text/plain")
    assert await store.stat(key("run", "op", "never.bin")) is None


async def test_cancelled_put_leaves_the_previous_artifact(store: BlobStore) -> None:
    artifact = key("run", "op", "cancelled.bin")
    before = await store.put(artifact, b"old content", content_type="text/plain")
    first_chunk_taken = asyncio.Event()

    async def stalls() -> AsyncIterator[bytes]:
        yield b"x" * (5 * MiB)
        first_chunk_taken.set()
        await asyncio.Event().wait()
        yield b"never"

    put = asyncio.create_task(store.put(artifact, stalls(), content_type="text/plain"))
    await asyncio.wait_for(first_chunk_taken.wait(), 10)
    put.cancel()
    with pytest.raises(asyncio.CancelledError):
        await put
    assert await store.stat(artifact) == before
    assert await store.read(artifact, max_bytes=100) == b"old content"


async def test_read_refuses_more_than_max_bytes(store: BlobStore) -> None:
    ref = await store.put(key("run", "op", "ten"), b"0123456789", content_type="text/plain")
    assert await store.read(ref.key, max_bytes=10) == b"0123456789"
    with pytest.raises(ArtifactTooLarge, match="10 bytes, over the limit of 9") as caught:
        await store.read(ref.key, max_bytes=9)
    assert (caught.value.key, caught.value.size, caught.value.limit) == (ref.key, 10, 9)


async def test_missing_key(store: BlobStore) -> None:
    missing = key("run", "op", "nothing-here")
    with pytest.raises(ArtifactNotFound, match="nothing-here"):
        await store.open(missing)  # at once, before any chunk is asked for
    with pytest.raises(ArtifactNotFound):
        await store.read(missing, max_bytes=10)
    assert await store.stat(missing) is None
    await store.put(key("run", "op", "child"), b"x", content_type="text/plain")
    assert await store.stat(key("run", "op")) is None  # a "directory" is not an artifact


async def test_delete_prefix_deletes_only_under_the_prefix(store: BlobStore) -> None:
    inside = [key("run1", "a", "x"), key("run1", "a", "y"), key("run1", "b", "deep", "z")]
    outside = [key("run10", "a", "x"), key("run2", "a", "x"), key("run1"), "other/run1/a/x"]
    for artifact in inside + outside:
        await store.put(artifact, artifact.encode(), content_type="text/plain")
    assert await store.delete_prefix(key("run1")) == len(inside)
    for artifact in inside:
        assert await store.stat(artifact) is None
    for artifact in outside:
        assert await store.read(artifact, max_bytes=1000) == artifact.encode()
    assert await store.delete_prefix(key("run1") + "/") == 0
    assert await store.delete_prefix(key("never")) == 0
    await store.put(inside[0], b"again", content_type="text/plain")
    assert await store.read(inside[0], max_bytes=10) == b"again"


async def test_content_type_and_name_preserved(store: BlobStore) -> None:
    name = "Rapport été 2024 — ✓ 50% ~final.csv"
    ref = await store.put(
        key("run", "op", "données ~ 50%.csv"),
        b"a,b\n1,2\n",
        content_type="text/csv; charset=utf-8",
        name=name,
    )
    stat = await store.stat(ref.key)
    assert stat is not None
    assert (stat.content_type, stat.name, stat.key) == ("text/csv; charset=utf-8", name, ref.key)
    async with await store.open(ref.key) as opened:
        assert opened.ref == ref


async def test_keys_are_distinct_paths(store: BlobStore) -> None:
    """Encodings a store might use inside must not make two keys one."""
    keys = [key("r", "50%"), key("r", "50%25"), key("r", "a~b"), key("r", "a%7Eb"),
            key("r", "p"), key("r", "p", "child"), key("r", "P")]  # fmt: skip
    for artifact in keys:
        await store.put(artifact, artifact.encode(), content_type="text/plain")
    for artifact in keys:
        assert await store.read(artifact, max_bytes=1000) == artifact.encode()


async def test_concurrent_puts_of_distinct_keys(store: BlobStore) -> None:
    artifacts = {key("run", "op", f"part-{n}"): expected(200_000 + n, seed=n) for n in range(24)}
    refs = await asyncio.gather(
        *(
            store.put(k, data, content_type="application/octet-stream")
            for k, data in artifacts.items()
        )
    )
    assert [ref.key for ref in refs] == list(artifacts)
    for ref, data in zip(refs, artifacts.values(), strict=True):
        assert ref.sha256 == hashlib.sha256(data).hexdigest()
        assert await store.read(ref.key, max_bytes=len(data)) == data


async def test_concurrent_writers_of_one_key_never_mix(store: BlobStore) -> None:
    """At-least-once delivery can run one operation twice at once: each put returns or
    raises ArtifactConflict, and the artifact left is one returning writer's bytes, whole,
    described exactly by that writer's reference."""
    artifact = key("run", "op", "contended.bin")
    total = 9 * MiB
    seeds = (10, 11, 12)
    outcomes = await asyncio.gather(
        *(store.put(artifact, stream(total, seed), content_type="text/plain") for seed in seeds),
        return_exceptions=True,
    )
    refs = {outcome.sha256: outcome for outcome in outcomes if isinstance(outcome, ArtifactRef)}
    assert refs, f"no writer succeeded: {outcomes}"
    for outcome in outcomes:
        assert isinstance(outcome, ArtifactRef | ArtifactConflict), repr(outcome)
    data = await read_all(store, artifact)
    assert data in [expected(total, seed) for seed in seeds]
    assert await store.stat(artifact) == refs[hashlib.sha256(data).hexdigest()]


async def test_reader_never_mixes_two_versions(store: BlobStore) -> None:
    """A put while a reader streams: the reader gets the old artifact whole, or
    ArtifactConflict — never bytes of both versions."""
    artifact = key("run", "op", "moving.bin")
    total = 9 * MiB
    await store.put(artifact, stream(total, seed=20), content_type="text/plain")
    received: list[bytes] = []
    conflict: ArtifactConflict | None = None
    async with await store.open(artifact) as opened:
        received.append(await anext(opened))
        await store.put(artifact, stream(total, seed=21), content_type="text/plain")
        try:
            received.extend([chunk async for chunk in opened])
        except ArtifactConflict as exc:
            conflict = exc
    if conflict is None:
        assert b"".join(received) == expected(total, seed=20)
    else:
        assert "during this download" in str(conflict)


async def test_abandoned_stream_releases_the_artifact(store: BlobStore) -> None:
    ref = await store.put(key("run", "op", "s"), stream(3 * MiB, seed=3), content_type="a/b")
    async with await store.open(ref.key) as opened:
        async for _ in opened:
            break
    never_iterated = await store.open(ref.key)
    await never_iterated.aclose()
    assert [chunk async for chunk in never_iterated] == []
    assert await store.delete_prefix(key("run")) == 1


@pytest.mark.parametrize(
    "bad",
    ["", "/abs/key", "a\\b", "a//b", "a/b/", "../up", "a/../b", "a/./b", "a/b.", "a/b ",
     "a/\x00b", "a/\nb", "a/\x7fb", "x" * 1025, "a/" + "é" * 121],
)  # fmt: skip
async def test_invalid_keys_are_refused_everywhere(store: BlobStore, bad: str) -> None:
    with pytest.raises(InvalidArtifactKey):
        await store.put(bad, b"x", content_type="text/plain")
    with pytest.raises(InvalidArtifactKey):
        await store.open(bad)
    with pytest.raises(InvalidArtifactKey):
        await store.read(bad, max_bytes=1)
    with pytest.raises(InvalidArtifactKey):
        await store.stat(bad)
    if bad.removesuffix("/") != "a/b":  # a prefix may end with '/'
        with pytest.raises(InvalidArtifactKey):
            await store.delete_prefix(bad)


@pytest.mark.parametrize("prefix", ["", "/", "//"])
async def test_delete_prefix_refuses_to_delete_everything(store: BlobStore, prefix: str) -> None:
    await store.put(key("run", "x"), b"x", content_type="text/plain")
    with pytest.raises(InvalidArtifactKey):
        await store.delete_prefix(prefix)
    assert await store.stat(key("run", "x")) is not None


@pytest.mark.parametrize(
    ("content_type", "name"),
    [("not a media type", None), ("text/plain\r\nX-Evil: 1", None), ("text/ü", None),
     ("text/plain", "line\nbreak.txt"), ("text/plain", ""), ("text/plain", "n" * 256)],
)  # fmt: skip
async def test_invalid_metadata_is_refused(
    store: BlobStore, content_type: str, name: str | None
) -> None:
    with pytest.raises(InvalidArtifactMetadata):
        await store.put(key("run", "m"), b"x", content_type=content_type, name=name)
    assert await store.stat(key("run", "m")) is None
