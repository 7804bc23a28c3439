"""What the API answers about secrets: their names and scopes, never their values."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

SecretScope = Literal["organization", "project"]


class Secret(BaseModel):
    """A secret as the API shows it: never its value."""

    name: str = Field(description="Templates read it as secrets.NAME")
    scope: SecretScope
    project: str | None = Field(description="The project's slug; null when organization-wide")
    updated_at: datetime | None = Field(
        description="When its value was last written; null if written before Raikoo kept it"
    )
