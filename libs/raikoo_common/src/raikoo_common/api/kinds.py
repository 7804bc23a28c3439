"""Operation kinds, as ``GET /v1/operation-kinds`` describes them, and service readiness."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class OperationKind(BaseModel):
    name: str = Field(description="What `uses:` names, e.g. http.request")
    family: Literal["programmatic", "ai", "control"] = Field(
        description="Who runs it: the op-runner, the ai-runner, or the scheduler itself"
    )
    summary: str
    config_schema: dict[str, Any] = Field(description="JSON Schema of its `with:`")
    output_schema: dict[str, Any] = Field(description="JSON Schema of its output")


class OperationKinds(BaseModel):
    items: list[OperationKind]


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(description="Each check: ok, starting, or error: <what>")
