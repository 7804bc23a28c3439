"""Inbound hooks: endpoints that start runs of one workflow when a signed request comes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Hook(BaseModel):
    id: uuid.UUID
    name: str
    url: str = Field(description="Where senders POST, relative to the API's base URL")
    workflow: str
    version: int | None
    mapping: dict[str, Any] | None
    enabled: bool
    previous_secret_expires_at: datetime | None = Field(
        description="Until when the secret a rotation replaced is still accepted"
    )
    created_by: str
    created_at: datetime
    updated_at: datetime


class HookWithSecret(Hook):
    secret: str = Field(description="whsec_…: shown this once; senders sign with it")
