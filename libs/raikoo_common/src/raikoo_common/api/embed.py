"""The embeddable run widget: embed tokens, and what a token's bearer reads."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from raikoo_common.workflow.schema import InputSpec


class EmbedToken(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The visible start of the token, to recognise it")
    workflow: str = Field(description="The one workflow it starts")
    version: int | None = Field(description="The pinned version; null: the latest at each start")
    origins: list[str] = Field(description="The page origins that may use it and frame the widget")
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class EmbedTokenCreated(EmbedToken):
    token: str = Field(description="The whole token: shown once, stored only as a hash")


class EmbedOperation(BaseModel):
    key: str
    uses: str


class EmbedWorkflow(BaseModel):
    """What the widget shows before a run: the form of the workflow's inputs."""

    name: str
    version: int = Field(description="The version a run started now would run")
    description: str | None
    inputs: dict[str, InputSpec]
    operations: list[EmbedOperation] = Field(description="Its operations, to show progress")
    outputs: list[str] = Field(description="The names of its outputs")
