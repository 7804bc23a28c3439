"""Which provider connection an operation uses: its own (inline, or resolved by the platform
from a named connection), else the runner's default from settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from raikoo_ai_runner.config.provider import ProviderConfig
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.runner import OperationError

NO_PROVIDER = (
    "no AI provider is configured: give the operation (or its persona) a `provider` — a "
    "connection by name (PUT /v1/providers/NAME) or inline ({kind: openai, api_key: "
    "'{{ secrets.OPENAI_KEY }}'}, or {kind: compatible, base_url: "
    "http://127.0.0.1:11434/v1} for a local Ollama) — or configure the runner's default with "
    "RAIKOO_AI_API_KEY (OpenAI) or RAIKOO_AI_BASE_URL (any OpenAI-compatible server) and "
    "RAIKOO_AI_MODEL; or run with dry_run to get each operation's mock without calling a model"
)


@dataclass(frozen=True)
class Connection:
    config: ProviderConfig
    default: bool
    """The operator's own connection (from settings), not one an operation gave."""
    chat_model: str | None = None
    embedding_model: str | None = None

    @property
    def label(self) -> str:
        """How errors name it: kind and host, never a key."""
        url = self.config.azure_endpoint or self.config.base_url or "https://api.openai.com/v1"
        return f"{self.config.kind} provider at {url}"

    def fingerprint(self) -> str:
        """Identifies the connection and its credentials without holding them: clients are
        pooled by it, and a rotated key gets a new client."""
        c = self.config
        parts = [
            c.kind,
            c.base_url or "",
            c.azure_endpoint or "",
            c.deployment or "",
            c.api_version or "",
            c.auth,
            c.organization or "",
            c.project or "",
            c.api_key or "",
            *sorted(f"{k}\0{v}" for k, v in c.headers.items()),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def resolve_connection(provider: ProviderConfig | None, settings: AiRunnerSettings) -> Connection:
    if provider is not None:
        return Connection(provider, default=False)
    default = default_provider(settings)
    if default is None:
        raise OperationError(NO_PROVIDER, kind="no_provider", retryable=False)
    return Connection(
        default,
        default=True,
        chat_model=settings.ai_model,
        embedding_model=settings.ai_embedding_model,
    )


def default_provider(settings: AiRunnerSettings) -> ProviderConfig | None:
    key = settings.ai_api_key.get_secret_value() if settings.ai_api_key else None
    inferred = settings.ai_provider
    if inferred is None:
        if settings.ai_azure_endpoint:
            inferred = "azure"
        elif settings.ai_base_url:
            inferred = "compatible"
        elif key:
            inferred = "openai"
        else:
            return None
    try:
        return ProviderConfig.model_validate(
            {
                "kind": inferred,
                "base_url": settings.ai_base_url,
                "api_key": key,
                "azure_endpoint": settings.ai_azure_endpoint,
                "deployment": settings.ai_azure_deployment,
                "api_version": settings.ai_api_version,
                "auth": settings.ai_auth,
            }
        )
    except ValueError as exc:
        message = f"the runner's default AI provider (RAIKOO_AI_*) is incomplete: {exc}"
        raise OperationError(message, kind="no_provider", retryable=False) from None
