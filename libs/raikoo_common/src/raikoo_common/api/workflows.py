"""What the API answers about workflows and their versions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class WorkflowVersion(BaseModel):
    id: uuid.UUID = Field(description="The workflow's id (the same for all its versions)")
    name: str
    version: int
    version_id: uuid.UUID
    digest: str = Field(description="SHA-256 of the canonical definition and pinned operations")
    created_at: datetime
    created: bool = Field(
        description="Whether this request stored it; false: the latest version was the same"
    )


class WorkflowVersionDetail(WorkflowVersion):
    definition: dict[str, Any] = Field(description="The canonical definition (defaults spelled)")
    operations: dict[str, Any] | None = Field(
        default=None, description="The project operations it pins, by name"
    )
    ai_objects: dict[str, Any] | None = Field(
        default=None,
        description="The provider connections, personas and tools it pins: "
        "{providers|personas|tools: {name: {version, scope, spec}}}",
    )


class WorkflowSummary(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    latest_version: int
    created_at: datetime
    updated_at: datetime


class VersionDiff(BaseModel):
    name: str
    from_version: int
    to_version: int
    identical: bool
    added_operations: list[str]
    removed_operations: list[str]
    changed_operations: list[str]
    changed_fields: list[str] = Field(description="Top-level fields other than operations")
    pinned_operations_changed: list[str] = Field(
        description="Project operations pinned at another version"
    )
    unified: str = Field(description="A unified diff of the two definitions as YAML")
