"""A conversion's input as every reader sees it, wherever it came from (``inputs``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import orjson

from raikoo_op_runner.kinds._convert.errors import invalid

InputShape = Literal["text", "blob", "value"]


@dataclass(frozen=True)
class Source:
    """Exactly one of ``text``, ``blob`` or ``value`` (when ``structured``) is meaningful."""

    text: str | None = None
    blob: bytes | None = None
    value: Any = None
    structured: bool = False
    encoding: str = "utf-8"

    @cached_property
    def size(self) -> int:
        if self.blob is not None:
            return len(self.blob)
        return len(self.text.encode()) if self.text is not None else 0

    def as_text(self, fmt: str) -> str:
        """The input as a string; bytes are decoded with the configured encoding."""
        if self.text is not None:
            return self.text.removeprefix("\ufeff")
        if self.blob is None:
            raise invalid(f"{fmt} input must be a string, got structured data")
        encoding = self.encoding
        if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
            encoding = "utf-8-sig"  # a byte order mark is not part of the content
        try:
            return self.blob.decode(encoding)
        except UnicodeDecodeError as exc:
            raise invalid(
                f"{fmt} input is not valid {self.encoding}: byte {exc.start} "
                f"(0x{self.blob[exc.start]:02x}) cannot be decoded; set `encoding`"
            ) from None

    def as_bytes(self, fmt: str) -> bytes:
        """The input as bytes; binary documents cannot arrive as a string."""
        if self.blob is None:
            raise invalid(f"{fmt} input must be given as base64 bytes in `data_base64`")
        return self.blob

    def payload(self) -> tuple[InputShape, bytes]:
        """How the input travels to a worker: its shape, and bytes (no JSON string of a
        document, no base64)."""
        if self.structured:
            return "value", orjson.dumps(self.value)
        if self.blob is not None:
            return "blob", self.blob
        return "text", (self.text or "").encode("utf-8", "surrogatepass")
