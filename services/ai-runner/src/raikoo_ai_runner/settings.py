import uuid
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from raikoo_common.net import AllowList
from raikoo_common.net.allowlist import checked_entries, checked_org_entries
from raikoo_common.settings import ServiceSettings


class SharedLimits(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    requests_per_minute: int | None = Field(default=None, ge=1)
    tokens_per_minute: int | None = Field(default=None, ge=1)
    concurrency: int | None = Field(default=None, ge=1)


class AiRunnerSettings(ServiceSettings):
    ai_runner_concurrency: int = 64
    """LLM calls are I/O bound: many may wait at once."""

    # The default connection, used by operations that name no provider (embedded mode:
    # `RAIKOO_AI_BASE_URL` for a local server, or `RAIKOO_AI_API_KEY` for OpenAI).
    ai_provider: Literal["openai", "azure", "compatible"] | None = Field(
        default=None,
        description=(
            "Kind of the default connection; inferred when unset: azure with "
            "RAIKOO_AI_AZURE_ENDPOINT, compatible with RAIKOO_AI_BASE_URL, else openai."
        ),
    )
    ai_base_url: str | None = Field(
        default=None, description="Base URL of an OpenAI-compatible server (…/v1)."
    )
    ai_api_key: SecretStr | None = Field(default=None, description="API key of the default.")
    ai_model: str | None = Field(default=None, description="Chat model when none is named.")
    ai_embedding_model: str | None = Field(
        default=None, description="Embedding model when none is named."
    )
    ai_azure_endpoint: str | None = Field(default=None, description="https://<name>.openai…")
    ai_azure_deployment: str | None = None
    ai_api_version: str | None = Field(default=None, description="Azure OpenAI API version.")
    ai_auth: Literal["key", "entra"] = Field(
        default="key",
        description="Azure: 'entra' uses the runner's own identity (azure-identity).",
    )

    ai_allow_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Private destinations AI operations may reach although the SSRF guard blocks "
            "them: a local Ollama (127.0.0.1:11434), internal tools. Host names, '*.domain', "
            "IPs or CIDR ranges, each optionally ':port'. JSON list in RAIKOO_AI_ALLOW_HOSTS."
        ),
    )
    ai_org_allow_hosts: dict[uuid.UUID, list[str]] = Field(
        default_factory=dict,
        description="More allow-list entries for single organisations, keyed by org id.",
    )
    ai_entra_endpoints: list[str] = Field(
        default_factory=list,
        description=(
            "Azure OpenAI endpoints (host names) an operation's own connection may use with "
            "auth: entra. The runner's identity is the operator's: a tenant must not be "
            "able to send its token anywhere else. The default connection may always."
        ),
    )
    ai_connection_concurrency: int = Field(
        default=32,
        ge=1,
        description="Calls one runner process makes at once over one provider connection.",
    )
    ai_connection_limits: dict[str, SharedLimits] = Field(
        default_factory=dict,
        description=(
            "Limits shared by every ai-runner replica, by provider host (api.openai.com, "
            'myres.openai.azure.com, 127.0.0.1:11434): {"requests_per_minute": …, '
            '"tokens_per_minute": …, "concurrency": …}. Each connection to that host (endpoint '
            "and key) is held to them: a call waits for the next minute, or a free slot, "
            "rather than draw a 429. JSON in RAIKOO_AI_CONNECTION_LIMITS."
        ),
    )
    ai_client_cache_size: int = Field(
        default=64, ge=1, description="Provider clients (connection pools) kept open."
    )
    ai_request_timeout: float = Field(
        default=600.0, gt=0, description="Seconds one provider call may take."
    )
    ai_max_retries: int = Field(
        default=4,
        ge=0,
        le=10,
        description="Retries of a provider call on 408/409/429/5xx and connection failures.",
    )
    ai_retry_max_wait: float = Field(
        default=60.0,
        ge=0,
        description="Longest pause before a retry: caps Retry-After and the backoff.",
    )
    ai_prices: dict[str, tuple[float, float, float | None]] = Field(
        default_factory=dict,
        description=(
            "Prices per million tokens, per model: [input, output, cached input or null]. "
            "Added to (and overriding) the default table. JSON in RAIKOO_AI_PRICES."
        ),
    )
    ai_budget_completion_estimate: int = Field(
        default=1024,
        ge=1,
        description=(
            "Completion tokens a call is assumed to write, for its budget reservation, when "
            "it sets no max_tokens. The provider's figures replace the estimate afterwards."
        ),
    )
    ai_mcp_stdio_servers: dict[str, list[str]] = Field(
        default_factory=dict,
        description=(
            "MCP servers this runner may start as processes (stdio), by name: the command "
            'and its arguments, e.g. {"files": ["mcp-server-filesystem", "/srv/docs"]}. '
            "Operations name them; they can never give a command themselves."
        ),
    )

    _valid_allow_list = field_validator("ai_allow_hosts")(checked_entries)
    _valid_org_allow_lists = field_validator("ai_org_allow_hosts")(checked_org_entries)

    @field_validator("ai_mcp_stdio_servers")
    @classmethod
    def _commands(cls, servers: dict[str, list[str]]) -> dict[str, list[str]]:
        empty = [name for name, command in servers.items() if not command]
        if empty:
            raise ValueError(f"no command given for MCP server(s) {', '.join(empty)}")
        return servers

    def allow_list(self, org_id: uuid.UUID) -> AllowList:
        return AllowList([*self.ai_allow_hosts, *self.ai_org_allow_hosts.get(org_id, [])])


@cache
def current_settings() -> AiRunnerSettings:
    """The ai-runner's settings as read from the environment, built once on first use (kinds
    receive only their config and context; see the op-runner's ``current_settings``). Tests
    that change the environment call ``current_settings.cache_clear()``."""
    return AiRunnerSettings()
