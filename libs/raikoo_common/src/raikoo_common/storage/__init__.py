"""Artifact (blob) storage port, its stores, and the claim check for large values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from raikoo_common._lazy import lazy_exports

if TYPE_CHECKING:
    from raikoo_common.storage.artifacts import (
        Artifacts,
        ArtifactScope,
        artifacts_from,
    )
    from raikoo_common.storage.azure import (
        AzureBlobStore,
    )
    from raikoo_common.storage.claim_check import (
        JSON_CONTENT_TYPE,
        offload,
        resolve,
    )
    from raikoo_common.storage.errors import (
        ArtifactConflict,
        ArtifactCorrupt,
        ArtifactNotFound,
        ArtifactStoreError,
        ArtifactTooLarge,
        InvalidArtifactKey,
        InvalidArtifactMetadata,
    )
    from raikoo_common.storage.factory import (
        create_blob_store,
    )
    from raikoo_common.storage.keys import (
        artifact_key,
        key_belongs_to,
        sanitize_name,
        split_key,
        validate_key,
    )
    from raikoo_common.storage.local import (
        LocalBlobStore,
    )
    from raikoo_common.storage.port import (
        ArtifactRef,
        ArtifactStream,
        BlobData,
        BlobStore,
        as_artifact_ref,
        is_artifact_ref,
        iter_artifact_refs,
    )

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

# Each export loads its own module on first use (see raikoo_common._lazy).
__getattr__ = lazy_exports(
    __name__,
    {
        "Artifacts": "artifacts",
        "ArtifactScope": "artifacts",
        "artifacts_from": "artifacts",
        "JSON_CONTENT_TYPE": "claim_check",
        "offload": "claim_check",
        "resolve": "claim_check",
        "ArtifactConflict": "errors",
        "ArtifactCorrupt": "errors",
        "ArtifactNotFound": "errors",
        "ArtifactStoreError": "errors",
        "ArtifactTooLarge": "errors",
        "InvalidArtifactKey": "errors",
        "InvalidArtifactMetadata": "errors",
        "create_blob_store": "factory",
        "artifact_key": "keys",
        "key_belongs_to": "keys",
        "sanitize_name": "keys",
        "split_key": "keys",
        "validate_key": "keys",
        "LocalBlobStore": "local",
        "ArtifactRef": "port",
        "ArtifactStream": "port",
        "BlobData": "port",
        "BlobStore": "port",
        "as_artifact_ref": "port",
        "is_artifact_ref": "port",
        "iter_artifact_refs": "port",
        "AzureBlobStore": "azure",
    },
)
