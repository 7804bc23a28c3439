"""The envelope every bus message travels in, and its (de)serialisation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

SCHEMA_VERSION = 1


class Message(BaseModel):
    """Base of every event and command. ``TYPE`` is the wire name."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    TYPE: ClassVar[str]


MessageClass = type[Message]
_REGISTRY: dict[str, MessageClass] = {}


def register(cls: type[Message]) -> type[Message]:
    if cls.TYPE in _REGISTRY and _REGISTRY[cls.TYPE] is not cls:
        raise ValueError(f"message type {cls.TYPE!r} registered twice")
    _REGISTRY[cls.TYPE] = cls
    return cls


def _now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    schema_version: int = SCHEMA_VERSION
    occurred_at: datetime = Field(default_factory=_now)
    org_id: uuid.UUID
    run_id: uuid.UUID | None = None
    correlation_id: uuid.UUID | None = None
    traceparent: str | None = None
    payload: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        message: Message,
        *,
        org_id: uuid.UUID,
        run_id: uuid.UUID | None = None,
        correlation_id: uuid.UUID | None = None,
        traceparent: str | None = None,
    ) -> Envelope:
        # Every value comes from a validated message and typed arguments: skip re-validation.
        return cls.model_construct(
            id=uuid.uuid4(),
            type=message.TYPE,
            schema_version=SCHEMA_VERSION,
            occurred_at=_now(),
            org_id=org_id,
            run_id=run_id,
            correlation_id=correlation_id,
            traceparent=traceparent,
            payload=message.model_dump(mode="json"),
        )

    def message_type(self) -> MessageClass:
        """The class of the message inside; raises MalformedMessage if we do not know it."""
        cls = _REGISTRY.get(self.type)
        if cls is None:
            raise MalformedMessage(f"unknown message type {self.type!r}")
        if self.schema_version > SCHEMA_VERSION:
            raise MalformedMessage(
                f"{self.type}: schema_version {self.schema_version} is newer than "
                f"supported {SCHEMA_VERSION}"
            )
        return cls

    def open(self) -> Message:
        """The typed message inside; raises MalformedMessage if it is not one we know."""
        cls = self.message_type()
        try:
            return cls.model_validate(self.payload)
        except ValidationError as exc:
            raise MalformedMessage(f"{self.type}: invalid payload: {summarize(exc)}") from exc

    def encode(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def decode(cls, body: bytes) -> Envelope:
        try:
            return cls.model_validate(orjson.loads(body))
        except orjson.JSONDecodeError as exc:
            raise MalformedMessage(f"body is not JSON: {exc}") from exc
        except ValidationError as exc:
            raise MalformedMessage(f"invalid envelope: {summarize(exc)}") from exc


class MalformedMessage(ValueError):
    """A message that no retry can fix: it goes straight to the dead-letter channel."""


def summarize(exc: ValidationError) -> str:
    """A validation error in one line: each problem with its path (the first ten)."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}"
        for err in exc.errors()[:10]
    )
