"""How the op-runner and a render worker talk: length-prefixed JSON frames over pipes.

A frame is 4 bytes of big-endian length and that many bytes of JSON. orjson writes it;
text that orjson refuses (a lone surrogate) is written by the standard library instead, so
the result reaches the executor as the kind made it, and is judged there as any output.
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO

import orjson

HEADER = 4
MAX_FRAME = 2**31 - 1


def encode(message: Any) -> bytes:
    try:
        body = orjson.dumps(message)
    except TypeError:
        body = json.dumps(message).encode()
    if len(body) > MAX_FRAME:
        raise ValueError(f"a message of {len(body):,} bytes is too large for a frame")
    return len(body).to_bytes(HEADER, "big") + body


def decode(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's body from a blocking stream; None at its end."""
    header = _read_exactly(stream, HEADER)
    if header is None:
        return None
    body = _read_exactly(stream, int.from_bytes(header, "big"))
    if body is None:
        raise EOFError("the stream ended inside a frame")
    return body


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    chunks = []
    left = size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
