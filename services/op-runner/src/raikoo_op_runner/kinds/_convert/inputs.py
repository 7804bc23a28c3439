"""Where a conversion's input comes from, resolved in one place, in the op-runner.

The input is ``data`` (a string, a structured value, or a reference to a file in the
artifact store) or ``data_base64``; each resolves into the same ``Source``, so no reader or
writer needs to know where the bytes came from.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import codecs

from raikoo_common.storage import (
    ArtifactNotFound,
    ArtifactScope,
    ArtifactTooLarge,
    is_artifact_ref,
)
from raikoo_op_runner.kinds._convert.config import ConvertConfig
from raikoo_op_runner.kinds._convert.errors import invalid
from raikoo_op_runner.kinds._convert.source import Source

_INLINE_DECODE = 256 * 1024


async def resolve_input(config: ConvertConfig, artifacts: ArtifactScope | None = None) -> Source:
    """Turn the config's input fields into a ``Source``, enforcing ``max_input_bytes``."""
    cap = config.max_input_bytes
    try:
        codecs.lookup(config.encoding)
    except LookupError:
        raise invalid(f"unknown encoding {config.encoding!r}") from None
    if is_artifact_ref(config.data):
        return await _from_artifact(config, artifacts, cap)
    if config.data_base64 is not None:
        encoded = config.data_base64
        if len(encoded) > _INLINE_DECODE:  # decoding megabytes would stall the event loop
            blob = await asyncio.to_thread(_decode_base64, encoded, cap)
        else:
            blob = _decode_base64(encoded, cap)
        return _capped(Source(blob=blob, encoding=config.encoding), cap)
    if config.data is None:
        raise invalid("no input: `data` is null and `data_base64` is not set")
    if isinstance(config.data, str):
        # Characters are at least one byte: skip encoding strings that are obviously too big.
        if len(config.data) > cap:
            raise _too_big(len(config.data), cap)
        return _capped(Source(text=config.data, encoding=config.encoding), cap)
    return Source(value=config.data, structured=True)


async def _from_artifact(
    config: ConvertConfig, artifacts: ArtifactScope | None, cap: int
) -> Source:
    """A file in the artifact store (a downloaded document, a large upstream output)."""
    if artifacts is None:
        raise invalid("`data` is an artifact reference, but this runner has no artifact store")
    try:
        _, blob = await artifacts.read(config.data, max_bytes=cap)
    except ArtifactTooLarge:
        raise invalid(f"the artifact is larger than max_input_bytes ({cap})") from None
    except ArtifactNotFound as exc:
        raise invalid(f"the artifact in `data` does not exist: {exc}") from None
    return Source(blob=blob, encoding=config.encoding)


def _decode_base64(encoded: str, cap: int) -> bytes:
    compact = "".join(encoded.split())
    if len(compact) // 4 * 3 > cap + 2:
        raise _too_big(len(compact) // 4 * 3, cap)
    # Accept the URL-safe alphabet and missing padding: both are common in the wild.
    altchars = b"-_" if "-" in compact or "_" in compact else None
    padded = compact + "=" * (-len(compact) % 4)
    try:
        return base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid(f"data_base64 is not valid base64: {exc}") from None


def _capped(source: Source, cap: int) -> Source:
    if source.size > cap:
        raise _too_big(source.size, cap)
    return source


def _too_big(size: int, cap: int) -> Exception:
    return invalid(
        f"the input is {size} bytes, over max_input_bytes ({cap}); raise the limit or split it"
    )
