"""Claim check over the local store: offload above the threshold, resolve back."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from raikoo_common.json_bytes import JsonBytes
from raikoo_common.storage import (
    ArtifactCorrupt,
    ArtifactNotFound,
    ArtifactRef,
    ArtifactTooLarge,
    LocalBlobStore,
    artifact_key,
    offload,
    resolve,
)

ORG = "3f2b8c1e-0000-4000-8000-000000000001"
KEY = artifact_key(ORG, "run-1", "op-1", "output.json")
VALUE: dict[str, Any] = {"rows": [{"id": n, "label": "été ✓"} for n in range(50)], "ok": True}
SIZE = len(orjson.dumps(VALUE))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalBlobStore]:
    local = LocalBlobStore(tmp_path)
    yield local
    await local.close()


class KeyFor:
    def __init__(self, key: str = KEY) -> None:
        self.key = key
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return self.key


async def test_value_of_exactly_the_threshold_stays_inline(store: LocalBlobStore) -> None:
    key_for = KeyFor()
    assert await offload(VALUE, store, threshold=SIZE, key_for=key_for) is VALUE
    assert key_for.calls == 0
    assert await store.stat(KEY) is None


async def test_value_one_byte_over_the_threshold_is_offloaded(store: LocalBlobStore) -> None:
    key_for = KeyFor()
    offloaded = await offload(VALUE, store, threshold=SIZE - 1, key_for=key_for)
    body = orjson.dumps(VALUE)
    assert (
        offloaded
        == ArtifactRef(
            key=KEY,
            size=SIZE,
            content_type="application/json",
            sha256=hashlib.sha256(body).hexdigest(),
        ).to_json()
    )
    assert key_for.calls == 1
    assert await store.read(KEY, max_bytes=SIZE) == body
    assert await resolve(offloaded, store, max_bytes=SIZE) == VALUE


@pytest.mark.parametrize("value", [None, 0, "a" * 10, [1, 2, 3], {"nested": {"list": [None]}}])
async def test_any_json_value_round_trips(store: LocalBlobStore, value: Any) -> None:
    offloaded = await offload(value, store, threshold=0, key_for=KeyFor())
    assert ArtifactRef.from_json(offloaded).size == len(orjson.dumps(value))
    assert await resolve(offloaded, store, max_bytes=1000) == value


async def test_offload_refuses_what_is_not_json(store: LocalBlobStore) -> None:
    with pytest.raises(TypeError):
        await offload({"when": object()}, store, threshold=1, key_for=KeyFor())


async def test_json_already_written_is_stored_as_those_bytes(store: LocalBlobStore) -> None:
    body = orjson.dumps(VALUE, option=orjson.OPT_INDENT_2)  # not how offload would write it
    offloaded = await offload(JsonBytes(body), store, threshold=10, key_for=KeyFor())
    assert ArtifactRef.from_json(offloaded).size == len(body)
    assert await store.read(KEY, max_bytes=len(body)) == body
    assert await resolve(offloaded, store, max_bytes=len(body)) == VALUE
    small = await offload(JsonBytes(b'{"a": [1]}'), store, threshold=100, key_for=KeyFor())
    assert small == {"a": [1]}


@pytest.mark.parametrize("value", [VALUE, "text", 3, None, {"$artifact": "not a reference"}])
async def test_resolve_passes_other_values_through(store: LocalBlobStore, value: Any) -> None:
    assert await resolve(value, store, max_bytes=10) is value


async def test_resolve_leaves_non_json_artifacts_alone(store: LocalBlobStore) -> None:
    ref = await store.put(KEY, b"a,b\n", content_type="text/csv")
    assert await resolve(ref.to_json(), store, max_bytes=10) == ref.to_json()


async def test_resolve_accepts_json_with_parameters(store: LocalBlobStore) -> None:
    ref = await store.put(KEY, b'{"a": 1}', content_type="application/json; charset=utf-8")
    assert await resolve(ref.to_json(), store, max_bytes=10) == {"a": 1}


async def test_resolve_refuses_an_artifact_over_max_bytes(store: LocalBlobStore) -> None:
    offloaded = await offload(VALUE, store, threshold=10, key_for=KeyFor())
    with pytest.raises(ArtifactTooLarge, match=f"{SIZE} bytes, over the limit of {SIZE - 1}"):
        await resolve(offloaded, store, max_bytes=SIZE - 1)


async def test_resolve_in_another_org_looks_like_missing(store: LocalBlobStore) -> None:
    offloaded = await offload(VALUE, store, threshold=10, key_for=KeyFor())
    with pytest.raises(ArtifactNotFound):
        await resolve(offloaded, store, max_bytes=SIZE, org_id="another-org")
    assert await resolve(offloaded, store, max_bytes=SIZE, org_id=ORG) == VALUE


async def test_resolve_of_a_deleted_artifact(store: LocalBlobStore) -> None:
    offloaded = await offload(VALUE, store, threshold=10, key_for=KeyFor())
    assert await store.delete_prefix(f"{ORG}/run-1") == 1
    with pytest.raises(ArtifactNotFound):
        await resolve(offloaded, store, max_bytes=SIZE)


async def test_resolve_refuses_an_artifact_replaced_since(store: LocalBlobStore) -> None:
    offloaded = await offload(VALUE, store, threshold=10, key_for=KeyFor())
    await offload({"other": "execution"}, store, threshold=1, key_for=KeyFor())
    with pytest.raises(ArtifactCorrupt, match="replaced after this reference was made"):
        await resolve(offloaded, store, max_bytes=SIZE)


async def test_resolve_reports_invalid_json(store: LocalBlobStore) -> None:
    ref = await store.put(KEY, b"{not json", content_type="application/json")
    with pytest.raises(ArtifactCorrupt, match="not valid JSON"):
        await resolve(ref.to_json(), store, max_bytes=100)
