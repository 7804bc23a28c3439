"""Cron schedules of a project's workflows (``/v1/schedules``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

MissedPolicy = Literal["skip", "catch_up"]


class ScheduledWorkflow(BaseModel):
    name: str
    version: int | None = Field(description="null: the latest version at each tick")


class Schedule(BaseModel):
    id: uuid.UUID
    workflow: ScheduledWorkflow
    cron: str
    timezone: str
    inputs: dict[str, Any]
    enabled: bool = Field(description="false while paused")
    missed: MissedPolicy
    max_catch_up: int
    description: str | None
    next_fire_at: datetime | None = Field(description="The next tick, in UTC; null while paused")
    last_fired_at: datetime | None = Field(description="The last tick fired")
    last_run_id: uuid.UUID | None = Field(description="The run the last tick started")
    last_error: str | None = Field(description="Why the last tick could not start a run")
    created_by: str
    created_at: datetime
    updated_at: datetime
