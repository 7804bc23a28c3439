"""What an ``ai.prompt`` sends besides its prompt: few-shot examples, chat history,
attachments."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MIB = 1024 * 1024


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant"]
    content: str = Field(max_length=1_000_000)


class Example(BaseModel):
    """A few-shot example: a user message and the answer the model should give."""

    model_config = ConfigDict(extra="forbid")

    user: str = Field(max_length=100_000)
    assistant: str = Field(max_length=100_000)


class Attachment(BaseModel):
    """Text or an image added to the user message. ``artifact`` is an artifact reference
    (``{"$artifact": {...}}``, e.g. an ``http.request`` body stored with ``response:
    artifact``); ``text`` is given inline."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["text", "image"] = Field(
        default="text",
        description="text: the content is read as UTF-8 text; image: sent as an image part.",
    )
    artifact: dict[str, Any] | None = Field(default=None, description="An artifact reference.")
    text: str | None = Field(default=None, max_length=1_000_000, description="Inline text.")
    name: str | None = Field(default=None, max_length=256, description="Shown to the model.")
    detail: Literal["auto", "low", "high"] = Field(
        default="auto", description="Images: the detail the model looks at them with."
    )
    max_bytes: int = Field(default=5 * MIB, ge=1, le=20 * MIB, description="Largest artifact read.")

    @model_validator(mode="after")
    def _one_source(self) -> Attachment:
        if (self.artifact is None) == (self.text is None):
            raise ValueError("give exactly one of artifact or text")
        if self.type == "image" and self.artifact is None:
            raise ValueError("an image attachment needs an artifact")
        return self
