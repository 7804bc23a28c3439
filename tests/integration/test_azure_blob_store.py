"""What only the Azure store does, against Azurite with the real aio SDK: container
creation, blob properties as other tools see them, blobs Raikoo did not write."""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.storage.blob.aio import ContainerClient
from pydantic import SecretStr

from raikoo_common.settings import ServiceSettings
from raikoo_common.storage import (
    ArtifactCorrupt,
    ArtifactNotFound,
    AzureBlobStore,
    create_blob_store,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def container(azurite_connection_string: str) -> AsyncIterator[ContainerClient]:
    """A client for a container name of this test only (the container is not created)."""
    name = f"azure-{uuid.uuid4().hex[:20]}"
    async with ContainerClient.from_connection_string(azurite_connection_string, name) as client:
        yield client
        with contextlib.suppress(ResourceNotFoundError):
            await client.delete_container()


def store_for(connection_string: str, container: ContainerClient, **options: int) -> AzureBlobStore:
    return AzureBlobStore.from_connection_string(
        connection_string, container.container_name, **options
    )


async def test_reads_do_not_create_the_container_and_the_first_put_does(
    azurite_connection_string: str, container: ContainerClient
) -> None:
    store = store_for(azurite_connection_string, container)
    try:
        assert await store.stat("org/run/x") is None
        with pytest.raises(ArtifactNotFound):
            await store.open("org/run/x")
        assert await store.delete_prefix("org") == 0
        assert not await container.exists()
        await store.put("org/run/x", b"x", content_type="text/plain")
        assert await container.exists()
    finally:
        await store.close()


async def test_works_with_a_container_created_elsewhere(
    azurite_connection_string: str, container: ContainerClient
) -> None:
    await container.create_container()
    first = store_for(azurite_connection_string, container)
    second = store_for(azurite_connection_string, container)
    try:
        await first.put("org/run/a", b"a", content_type="text/plain")
        await second.put("org/run/b", b"b", content_type="text/plain")
        assert await first.read("org/run/b", max_bytes=1) == b"b"
    finally:
        await first.close()
        await second.close()


async def test_blob_properties_as_other_tools_see_them(
    azurite_connection_string: str, container: ContainerClient
) -> None:
    store = store_for(azurite_connection_string, container)
    try:
        ref = await store.put(
            "org/run/op/r.csv", b"a,b\n", content_type="text/csv", name="Résumé 1.csv"
        )
    finally:
        await store.close()
    properties = await container.get_blob_client(ref.key).get_blob_properties()
    assert properties.content_settings.content_type == "text/csv"
    assert properties.content_settings.content_disposition == (
        "attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%201.csv"
    )
    assert properties.metadata["raikoo_sha256"] == hashlib.sha256(b"a,b\n").hexdigest()


async def test_small_blocks_round_trip(
    azurite_connection_string: str, container: ContainerClient
) -> None:
    data = bytes(range(256)) * 4099  # ~1 MiB, not a multiple of the block size
    store = store_for(azurite_connection_string, container, block_size=100_000)

    async def uneven() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 77_777):
            yield data[start : start + 77_777]

    try:
        ref = await store.put("org/run/blocks", uneven(), content_type="application/octet-stream")
        assert ref.sha256 == hashlib.sha256(data).hexdigest()
        blocks = await container.get_blob_client(ref.key).get_block_list("committed")
        assert len(blocks[0]) == 11
        async with await store.open(ref.key) as chunks:
            received = [chunk async for chunk in chunks]
        assert b"".join(received) == data
        assert max(map(len, received)) <= 100_000
    finally:
        await store.close()


async def test_blobs_not_written_by_raikoo_are_refused(
    azurite_connection_string: str, container: ContainerClient
) -> None:
    await container.create_container()
    await container.upload_blob("org/run/foreign", b"from another tool")
    store = store_for(azurite_connection_string, container)
    try:
        with pytest.raises(ArtifactCorrupt, match="not written by Raikoo"):
            await store.stat("org/run/foreign")
        with pytest.raises(ArtifactCorrupt, match="not written by Raikoo"):
            await store.open("org/run/foreign")
        with pytest.raises(ArtifactCorrupt, match="not written by Raikoo"):
            await store.read("org/run/foreign", max_bytes=100)
    finally:
        await store.close()


async def test_factory_builds_a_working_store(
    azurite_connection_string: str, container: ContainerClient, tmp_path: Path
) -> None:
    settings = ServiceSettings(
        data_dir=tmp_path,
        blob_url=f"azure://{container.container_name}",
        blob_connection_string=SecretStr(azurite_connection_string),
    )
    store = create_blob_store(settings)
    try:
        ref = await store.put("org/run/x", b"through settings", content_type="text/plain")
        assert await store.read(ref.key, max_bytes=100) == b"through settings"
    finally:
        await store.close()
    assert not (tmp_path / "artifacts").exists()
