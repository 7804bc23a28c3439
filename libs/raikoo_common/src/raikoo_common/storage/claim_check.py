"""Claim check: a JSON value too large for a message travels as an artifact reference.

Whole values only: a value is either inline or replaced by one ``{"$artifact": {...}}``,
so a reader never has to stitch partial values together.

The key comes from the caller and should be unique per execution (include the attempt):
at-least-once delivery may run an operation twice, and a second write under the same key
would replace the bytes the first reference describes — ``resolve`` then refuses them
(SHA-256 mismatch) rather than returning another execution's value.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

import orjson

from raikoo_common.json_bytes import JsonBytes, json_body
from raikoo_common.storage.errors import ArtifactCorrupt, ArtifactNotFound
from raikoo_common.storage.keys import key_belongs_to
from raikoo_common.storage.port import BlobStore, as_artifact_ref, media_type

JSON_CONTENT_TYPE = "application/json"


async def offload(
    value: Any, store: BlobStore, *, threshold: int, key_for: Callable[[], str]
) -> Any:
    """``value`` itself when its JSON form has at most ``threshold`` bytes; else the
    reference to an ``application/json`` artifact holding it (key from ``key_for()``).

    ``value`` may be ``JsonBytes``, already written: its bytes are stored as they are, and
    it is read (it is small) only to stay inline."""
    body = json_body(value)
    if len(body) <= threshold:
        return value.value() if isinstance(value, JsonBytes) else value
    ref = await store.put(key_for(), body, content_type=JSON_CONTENT_TYPE)
    return ref.to_json()


async def resolve(
    value: Any, store: BlobStore, *, max_bytes: int, org_id: str | UUID | None = None
) -> Any:
    """The JSON value an ``application/json`` artifact reference stands for; any other
    value (other references included) unchanged.

    With ``org_id``, a reference outside that org is reported as missing — a reference
    can arrive from user input, and must not open another tenant's data.
    """
    ref = as_artifact_ref(value)
    if ref is None or media_type(ref.content_type) != JSON_CONTENT_TYPE:
        return value
    if org_id is not None and not key_belongs_to(ref.key, org_id):
        raise ArtifactNotFound(ref.key)
    data = await store.read(ref.key, max_bytes=max_bytes)
    if await _sha256(data) != ref.sha256:
        raise ArtifactCorrupt(
            f"artifact {ref.key!r} was replaced after this reference was made (SHA-256 differs)"
        )
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ArtifactCorrupt(f"artifact {ref.key!r} is not valid JSON: {exc}") from exc


_HASH_IN_THREAD = 1 << 20


async def _sha256(data: bytes) -> str:
    """The digest, computed in a thread for a large value: hashlib lets go of the GIL, so
    the event loop runs on meanwhile (68 MB took ~0.1 s of it before)."""
    if len(data) < _HASH_IN_THREAD:
        return hashlib.sha256(data).hexdigest()
    return await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
