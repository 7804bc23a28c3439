"""Artifact (blob) storage port, its stores, and the claim check for large values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from raikoo_common.storage.artifacts import Artifacts, ArtifactScope, artifacts_from
from raikoo_common.storage.claim_check import JSON_CONTENT_TYPE, offload, resolve
from raikoo_common.storage.errors import (
    ArtifactConflict,
    ArtifactCorrupt,
    ArtifactNotFound,
    ArtifactStoreError,
    ArtifactTooLarge,
    InvalidArtifactKey,
    InvalidArtifactMetadata,
)
from raikoo_common.storage.factory import create_blob_store
from raikoo_common.storage.keys import (
    artifact_key,
    key_belongs_to,
    sanitize_name,
    split_key,
    validate_key,
)
from raikoo_common.storage.local import LocalBlobStore
from raikoo_common.storage.port import (
    ArtifactRef,
    ArtifactStream,
    BlobData,
    BlobStore,
    as_artifact_ref,
    is_artifact_ref,
    iter_artifact_refs,
)

if TYPE_CHECKING:
    from raikoo_common.storage.azure import AzureBlobStore

__all__ = [
    "JSON_CONTENT_TYPE",
    "ArtifactConflict",
    "ArtifactCorrupt",
    "ArtifactNotFound",
    "ArtifactRef",
    "ArtifactScope",
    "ArtifactStoreError",
    "ArtifactStream",
    "ArtifactTooLarge",
    "Artifacts",
    "AzureBlobStore",
    "BlobData",
    "BlobStore",
    "InvalidArtifactKey",
    "InvalidArtifactMetadata",
    "LocalBlobStore",
    "artifact_key",
    "artifacts_from",
    "as_artifact_ref",
    "create_blob_store",
    "is_artifact_ref",
    "iter_artifact_refs",
    "key_belongs_to",
    "offload",
    "resolve",
    "sanitize_name",
    "split_key",
    "validate_key",
]


def __getattr__(name: str) -> Any:
    # AzureBlobStore loads the Azure SDK and aiohttp: only when someone asks for it.
    if name == "AzureBlobStore":
        from raikoo_common.storage.azure import AzureBlobStore

        return AzureBlobStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
