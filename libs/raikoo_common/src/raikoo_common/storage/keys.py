"""Artifact keys: ``<org_id>/<run_id>/<op_key>/<name>``, checked before any store sees them.

One validator serves every store, so a key accepted by the local directory is accepted
by Azure too, and no key can name a path outside the store (no ``..``, no absolute path,
no backslash, no empty segment, no control character). Segments must not end in ``.`` or
a space: Azure advises against such blob names and Windows file systems drop them.
"""

from __future__ import annotations

import re
import unicodedata
from uuid import UUID

from raikoo_common.storage.errors import InvalidArtifactKey

MAX_KEY_CHARS = 1024
"""Azure's limit for a blob name."""
MAX_SEGMENTS = 254
"""Azure's limit for path segments in a blob name."""
MAX_SEGMENT_BYTES = 240
"""UTF-8 bytes per segment: leaves room under the usual 255-byte file name limit for
the local store's file suffix."""

_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*/\\]')
_FALLBACK_NAME = "artifact"


def validate_key(key: str) -> str:
    """Return ``key`` unchanged when every store can hold it safely, else raise."""
    split_key(key)
    return key


def split_key(key: str) -> list[str]:
    """The key's segments, after checking every rule."""
    if not isinstance(key, str) or not key:
        raise InvalidArtifactKey("artifact key must be a non-empty string")
    if len(key) > MAX_KEY_CHARS:
        raise InvalidArtifactKey(f"artifact key is {len(key)} characters; at most {MAX_KEY_CHARS}")
    if "\\" in key:
        raise InvalidArtifactKey(f"artifact key {key!r} contains a backslash")
    if key.startswith("/"):
        raise InvalidArtifactKey(f"artifact key {key!r} is absolute (starts with '/')")
    for char in key:
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            raise InvalidArtifactKey(
                f"artifact key {key!r} contains the control character U+{ord(char):04X}"
            )
    segments = key.split("/")
    if len(segments) > MAX_SEGMENTS:
        raise InvalidArtifactKey(
            f"artifact key has {len(segments)} segments; at most {MAX_SEGMENTS}"
        )
    for index, segment in enumerate(segments):
        _check_segment(key, index, segment)
    return segments


def _check_segment(key: str, index: int, segment: str) -> None:
    where = f"segment {index + 1} of artifact key {key!r}"
    if not segment:
        raise InvalidArtifactKey(f"{where} is empty (leading, trailing or doubled '/')")
    if segment in {".", ".."}:
        raise InvalidArtifactKey(f"{where} is {segment!r}: relative path segments are refused")
    if segment.endswith((".", " ")):
        raise InvalidArtifactKey(f"{where} ends with {segment[-1]!r}")
    if len(segment.encode()) > MAX_SEGMENT_BYTES:
        raise InvalidArtifactKey(f"{where} is longer than {MAX_SEGMENT_BYTES} bytes in UTF-8")


def split_prefix(prefix: str) -> list[str]:
    """Segments of a key prefix (``org/run`` or ``org/run/``), checked like a key."""
    if not isinstance(prefix, str) or not prefix.rstrip("/"):
        raise InvalidArtifactKey("artifact key prefix must name at least one segment")
    return split_key(prefix.removesuffix("/"))


def sanitize_name(name: str) -> str:
    """A file name usable as the last key segment: the base name only, unsafe characters
    replaced by ``_``, trailing dots and spaces dropped, cut to fit while keeping the
    extension. Never empty."""
    name = unicodedata.normalize("NFC", name)
    base = re.split(r"[/\\]", name)[-1]
    cleaned = "".join(
        "_" if unicodedata.category(c) in _FORBIDDEN_CATEGORIES or unicodedata.category(c) == "Cf"
        else c
        for c in base
    )  # fmt: skip
    cleaned = _UNSAFE_NAME_CHARS.sub("_", cleaned).strip().rstrip(". ")
    if cleaned in {"", ".", ".."}:
        return _FALLBACK_NAME
    return _truncate(cleaned)


def _truncate(name: str) -> str:
    if len(name.encode()) <= MAX_SEGMENT_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension.encode()) > 16:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = MAX_SEGMENT_BYTES - len(suffix.encode())
    cut = stem.encode()[:budget].decode(errors="ignore").rstrip(". ")
    return f"{cut or _FALLBACK_NAME}{suffix}"


def artifact_key(org_id: str | UUID, run_id: str | UUID, op_key: str, name: str) -> str:
    """The key of an artifact written by operation ``op_key`` of a run. The ids must be
    single segments (they come from the system); ``name`` may be anything a user typed."""
    parts = [str(org_id), str(run_id), op_key]
    for label, part in zip(("org_id", "run_id", "op_key"), parts, strict=True):
        if "/" in part:
            raise InvalidArtifactKey(f"{label} {part!r} must not contain '/'")
    return validate_key("/".join([*parts, sanitize_name(name)]))


def key_belongs_to(key: str, org_id: str | UUID, run_id: str | UUID | None = None) -> bool:
    """Whether ``key`` is a valid key inside the org (and the run, when given). The gateway
    asks this before serving an artifact, so a reference forged to point at another
    tenant's data is refused like a missing one."""
    try:
        segments = split_key(key)
    except InvalidArtifactKey:
        return False
    if segments[0] != str(org_id):
        return False
    if run_id is None:
        return len(segments) > 1
    return len(segments) > 2 and segments[1] == str(run_id)
