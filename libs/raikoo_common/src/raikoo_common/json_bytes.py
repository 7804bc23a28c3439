"""A JSON value that is already written: its UTF-8 bytes.

Work done in another process (a conversion in a worker) hands its result over as JSON
bytes. Passed on as ``JsonBytes``, a large result is offloaded to the artifact store as
those bytes, without being built as Python objects (and written again) in an event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class JsonBytes:
    body: bytes
    """One JSON document, UTF-8."""

    def __len__(self) -> int:
        return len(self.body)

    def value(self) -> Any:
        return orjson.loads(self.body)


def json_body(value: Any) -> bytes:
    """``value`` as JSON bytes: written by orjson, or as it is when already written."""
    return value.body if isinstance(value, JsonBytes) else orjson.dumps(value)
