"""Chats: threads with a persona or a chat workflow, whose messages runs answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from raikoo_common.api.pages import INT4_MAX
from raikoo_common.api.runs import Failure, WorkflowRef
from raikoo_common.states import RunState


class ChatCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Billing questions",
                    "persona": {
                        "instructions": "You answer billing questions briefly.",
                        "temperature": 0.2,
                    },
                },
                {"workflow": "support-bot"},
            ]
        },
    )

    persona: dict[str, Any] | str | None = Field(
        default=None,
        description="The persona to talk to: as ai.prompt's `persona` takes it.",
    )
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "More fields of the persona's ai.prompt (model, tools, alignment, provider …); "
            "with `persona` only."
        ),
    )
    workflow: str | None = Field(
        default=None,
        max_length=200,
        description="A chat workflow: takes `message` (and `history`), gives `answer`.",
    )
    version: int | None = Field(
        default=None, ge=1, le=INT4_MAX, description="The workflow's version (default: latest)"
    )
    title: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _one_partner(self) -> ChatCreate:
        if (self.persona is None) == (self.workflow is None):
            raise ValueError("give exactly one of `persona` or `workflow`")
        if self.workflow is not None and self.settings:
            raise ValueError("`settings` apply to a persona; a chat workflow has its own")
        if self.persona is not None and self.version is not None:
            raise ValueError("`version` applies to a `workflow`")
        return self


class Chat(BaseModel):
    id: uuid.UUID
    title: str
    workflow: WorkflowRef = Field(description="The workflow that answers (generated for a persona)")
    persona: dict[str, Any] | str | None = None
    messages: int = Field(description="How many messages the caller sent")
    created_at: datetime
    updated_at: datetime


class MessageCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"content": "Why was I charged twice?"}]}
    )

    content: str = Field(min_length=1, max_length=100_000)


class ChatMessage(BaseModel):
    id: uuid.UUID
    seq: int = Field(description="1 for the chat's first message")
    content: str = Field(description="What the caller wrote")
    run_id: uuid.UUID = Field(description="The run that answers it")
    state: RunState
    answer: str | None = Field(default=None, description="The reply, once the run succeeded")
    error: Failure | None = None
    created_at: datetime
