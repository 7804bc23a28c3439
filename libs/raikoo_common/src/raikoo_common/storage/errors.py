"""What a blob store raises. Each message names the key and what is wrong with it."""

from __future__ import annotations


class ArtifactStoreError(Exception):
    """Base of every error a blob store raises on purpose."""


class InvalidArtifactKey(ArtifactStoreError, ValueError):
    """The key would be unsafe or unportable; the message says which rule it breaks."""


class InvalidArtifactMetadata(ArtifactStoreError, ValueError):
    """A content type or file name that cannot be stored."""


class ArtifactNotFound(ArtifactStoreError, LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"artifact {key!r} not found")
        self.key = key


class ArtifactTooLarge(ArtifactStoreError):
    def __init__(self, key: str, size: int, limit: int) -> None:
        super().__init__(
            f"artifact {key!r} is {size} bytes, over the limit of {limit} bytes for reading "
            "it whole; stream it with open() instead"
        )
        self.key = key
        self.size = size
        self.limit = limit


class ArtifactCorrupt(ArtifactStoreError):
    """Stored bytes or metadata do not match what was written (or were not written by
    Raikoo): reading them would hand out wrong data, so nothing is returned."""


class ArtifactConflict(ArtifactStoreError):
    """Another writer replaced the artifact during this upload (the other upload stands,
    whole) or during this download (nothing mixed was returned). Retrying is safe."""

    def __init__(self, key: str, during: str = "upload") -> None:
        outcome = "the other upload stands" if during == "upload" else "start reading again"
        super().__init__(
            f"artifact {key!r} was written by another writer during this {during}; {outcome}"
        )
        self.key = key
