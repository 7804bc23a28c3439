"""Config and output of ``ai.embed``."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from raikoo_ai_runner.config.provider import ConnectionName, ProviderConfig
from raikoo_common.messages import OperationUsage


class EmbedConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    CREDENTIAL_SINKS: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("provider", "api_key"),
        ("provider", "headers", "*"),
    )

    provider: ProviderConfig | ConnectionName | None = Field(
        default=None, description="The provider connection, inline or by name."
    )
    model: str | None = Field(
        default=None, max_length=256, description="Default: RAIKOO_AI_EMBEDDING_MODEL."
    )
    input: str | list[str] = Field(description="A text, or a list of texts.")
    dimensions: int | None = Field(
        default=None, ge=1, le=16384, description="Shorter vectors (models that support it)."
    )
    batch_size: int | None = Field(
        default=None, ge=1, le=2048, description="Texts per request (default: the provider's)."
    )
    mock: Any = Field(
        default=None, description="Vectors in a dry run (default: 8-dimension vectors)."
    )


class EmbedOutput(BaseModel):
    embeddings: list[list[float]] = Field(description="One vector per text, in input order.")
    embedding: list[float] | None = Field(
        default=None, description="The vector, when input is one text."
    )
    model: str
    dimensions: int
    count: int
    usage: OperationUsage = Field(default_factory=OperationUsage)
    cost: float | None = None
    dry_run: bool = False
