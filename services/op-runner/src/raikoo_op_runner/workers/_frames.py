"""How the op-runner and a worker talk: frames of a JSON message and an optional payload.

A frame is 8 bytes — the big-endian lengths of the message and of the payload — then the
message (JSON) and the payload (bytes, as they are). A payload carries what is already
bytes (a document to convert, a result already written as JSON) without being encoded
again. orjson writes the message; text that orjson refuses (a lone surrogate) is written
by the standard library instead, so a result reaches the executor as the kind made it, and
is judged there as any output.
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

import orjson

HEADER = struct.Struct(">II")
MAX_PART = 2**32 - 1


def encode(message: Any, payload: bytes = b"") -> tuple[bytes, bytes]:
    """The frame as two parts to write one after the other (the payload is not copied)."""
    try:
        body = orjson.dumps(message)
    except TypeError:
        body = json.dumps(message).encode()
    for name, part in (("message", body), ("payload", payload)):
        if len(part) > MAX_PART:
            raise ValueError(f"a {name} of {len(part):,} bytes is too large for a frame")
    return HEADER.pack(len(body), len(payload)) + body, payload


def decode(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def read_frame(stream: BinaryIO) -> tuple[bytes, bytes] | None:
    """The next frame's message and payload from a blocking stream; None at its end."""
    header = _read_exactly(stream, HEADER.size)
    if header is None:
        return None
    message_size, payload_size = HEADER.unpack(header)
    body = _read_exactly(stream, message_size)
    payload = _read_exactly(stream, payload_size)
    if body is None or payload is None:
        raise EOFError("the stream ended inside a frame")
    return body, payload


def write_frame(stream: BinaryIO, parts: tuple[bytes, bytes]) -> None:
    for part in parts:
        view = memoryview(part)
        while view:
            written = stream.write(view)
            view = view[written or 0 :]


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
