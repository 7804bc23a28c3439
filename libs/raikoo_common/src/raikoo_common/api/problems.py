"""The body of every answer that is not a success (RFC 9457)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ProblemDocument(BaseModel):
    """What every answer that is not a success carries (RFC 9457), and some members of
    their own (``errors``, ``required_role``, …)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem: …/problems/<slug>")
    title: str
    status: int
    detail: str = Field(description="What went wrong with this request, and where")
    instance: str = Field(description="The path of the request")
