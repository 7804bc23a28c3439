"""A provider connection, inline in an operation's config (the platform resolves a named
connection into this same shape before dispatch)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ProviderKind = Literal["openai", "azure", "compatible"]
_URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://"


OBJECT_NAME = r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$"
"""Names of provider connections and personas."""
ConnectionName = Annotated[
    str,
    Field(
        pattern=OBJECT_NAME,
        description="A provider connection of the organization or project, by name.",
    ),
]


class ProviderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ProviderKind = Field(
        default="openai",
        description=(
            "openai (api.openai.com unless base_url says otherwise), azure (Azure OpenAI), or "
            "compatible (any OpenAI-compatible server: Ollama, vLLM, LM Studio, LiteLLM)."
        ),
    )
    base_url: str | None = Field(
        default=None,
        max_length=2048,
        description="Base URL of the API, e.g. http://127.0.0.1:11434/v1 (compatible: required).",
        json_schema_extra={"pattern": _URL_PATTERN},
    )
    api_key: str | None = Field(
        default=None,
        max_length=8192,
        description="API key; may be a secret ({{ secrets.OPENAI_KEY }}). Optional for compatible.",
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="More request headers (a gateway's own key); values may be secrets.",
    )
    azure_endpoint: str | None = Field(
        default=None,
        max_length=2048,
        description="Azure: https://<resource>.openai.azure.com",
        json_schema_extra={"pattern": _URL_PATTERN},
    )
    deployment: str | None = Field(
        default=None, max_length=256, description="Azure: the deployment to call."
    )
    api_version: str | None = Field(
        default=None, max_length=64, description="Azure: the API version, e.g. 2024-10-21."
    )
    auth: Literal["key", "entra"] = Field(
        default="key",
        description=(
            "Azure: 'key' (api_key) or 'entra' (the runner's own Entra ID identity, only for "
            "endpoints the operator lists in RAIKOO_AI_ENTRA_ENDPOINTS)."
        ),
    )
    organization: str | None = Field(default=None, max_length=256)
    project: str | None = Field(default=None, max_length=256)
    structured_outputs: bool | None = Field(
        default=None,
        description=(
            "Whether the server enforces output_schema itself (response_format json_schema). "
            "Default: yes for openai and azure, no for compatible (the schema then goes into "
            "the instructions and the answer is validated)."
        ),
    )
    stream_usage: bool = Field(
        default=True,
        description="Ask for usage at the end of a streamed answer (stream_options).",
    )
    embedding_batch: int | None = Field(
        default=None,
        ge=1,
        le=2048,
        description="Most texts per embeddings request (default 2048, compatible 64).",
    )

    @model_validator(mode="after")
    def _complete(self) -> ProviderConfig:
        if self.kind == "compatible" and not self.base_url:
            raise ValueError("a compatible provider needs base_url")
        if self.kind == "azure" and not (self.azure_endpoint or self.base_url):
            raise ValueError("an azure provider needs azure_endpoint (or base_url)")
        if self.auth == "entra" and self.kind != "azure":
            raise ValueError("auth: entra is for azure providers")
        return self

    @property
    def native_structured_outputs(self) -> bool:
        if self.structured_outputs is not None:
            return self.structured_outputs
        return self.kind != "compatible"

    @property
    def batch_limit(self) -> int:
        if self.embedding_batch is not None:
            return self.embedding_batch
        return 64 if self.kind == "compatible" else 2048
