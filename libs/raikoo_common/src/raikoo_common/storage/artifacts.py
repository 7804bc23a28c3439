"""Artifacts as services use them: large values out of messages, files kinds write and read.

``Artifacts`` holds the store and the threshold for a whole process; ``ArtifactScope``
is what one operation run sees: it writes under its own key prefix and reads only its
organization's artifacts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from raikoo_common.settings import ServiceSettings
from raikoo_common.storage.claim_check import offload, resolve
from raikoo_common.storage.errors import ArtifactNotFound
from raikoo_common.storage.factory import create_blob_store
from raikoo_common.storage.keys import artifact_key, key_belongs_to
from raikoo_common.storage.port import ArtifactRef, BlobData, BlobStore, as_artifact_ref

MAX_RESOLVED_BYTES = 256 * 2**20
"""Largest JSON value a service loads back from an artifact."""


@dataclass(frozen=True)
class Artifacts:
    store: BlobStore
    threshold: int

    async def offload(
        self, value: Any, org_id: uuid.UUID, run_id: uuid.UUID, op_key: str, name: str
    ) -> Any:
        """``value``, or a reference to it when its JSON is larger than the threshold.

        Each offload gets a key of its own (``output-<random>.json``): a message delivered
        twice, or a file an operation names ``output.json``, never replaces a value a
        reference already points to.
        """
        stem, dot, suffix = name.rpartition(".")
        unique = f"{stem or suffix}-{uuid.uuid4().hex[:16]}{dot}{suffix if stem else ''}"
        return await offload(
            value,
            self.store,
            threshold=self.threshold,
            key_for=lambda: artifact_key(org_id, run_id, op_key, unique),
        )

    async def resolve(self, value: Any, org_id: uuid.UUID) -> Any:
        """What ``value`` stands for when it is a JSON artifact reference; else ``value``.

        Whole values only: services offload whole outputs and configs, and references to
        files (a PDF an operation downloaded) stay references for the kinds that read them.
        """
        if as_artifact_ref(value) is None:
            return value
        return await resolve(value, self.store, max_bytes=MAX_RESOLVED_BYTES, org_id=org_id)

    def scope(
        self, org_id: uuid.UUID, run_id: uuid.UUID, op_key: str, attempt: int
    ) -> ArtifactScope:
        return ArtifactScope(self.store, org_id, run_id, f"{op_key}.{attempt}")


@dataclass(frozen=True)
class ArtifactScope:
    """One operation run's view of the store."""

    store: BlobStore
    org_id: uuid.UUID
    run_id: uuid.UUID
    prefix: str
    """``<op key>.<attempt>``: a retry never overwrites what an earlier attempt wrote."""

    async def put(self, name: str, data: BlobData, *, content_type: str) -> ArtifactRef:
        key = artifact_key(self.org_id, self.run_id, self.prefix, name)
        return await self.store.put(key, data, content_type=content_type, name=name)

    async def read(self, reference: Any, *, max_bytes: int) -> tuple[ArtifactRef, bytes]:
        """The bytes of an artifact of this organization, from its reference."""
        ref = as_artifact_ref(reference)
        if ref is None:
            raise ValueError("not an artifact reference")
        if not key_belongs_to(ref.key, self.org_id):
            raise ArtifactNotFound(ref.key)
        return ref, await self.store.read(ref.key, max_bytes=max_bytes)


def artifacts_from(settings: ServiceSettings) -> Artifacts:
    """The process's artifact store (``RAIKOO_BLOB_URL``…) with its claim-check threshold."""
    return Artifacts(create_blob_store(settings), settings.blob_threshold_bytes)
