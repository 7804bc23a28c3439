"""Settings shared by every service. Each service subclasses ``ServiceSettings`` once.

Nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path.home() / ".raikoo"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAIKOO_", extra="ignore", frozen=True)

    database_url: str = Field(
        default="",
        description="sqlite:///path.db or postgresql://…; empty = data_dir/raikoo.db",
    )
    bus_url: str = Field(default="memory://", description="memory:// or amqp://user:pass@host/")
    bus_prefix: str = Field(
        default="raikoo", description="Names the broker's exchange and queues (one per install)"
    )
    bus_max_deliveries: int = Field(
        default=5, ge=1, description="Deliveries of a failing message before it is dead-lettered"
    )
    bus_redelivery_backoff_seconds: float = Field(
        default=0.5, ge=0, description="Pause before the 2nd delivery of a failed message; doubles"
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    blob_url: str = Field(
        default="",
        description="Artifact store: empty = data_dir/artifacts, file:///path, or azure://<container>",
    )
    blob_connection_string: SecretStr | None = Field(
        default=None, description="Storage connection string for azure:// (or Azurite)"
    )
    blob_account_url: str = Field(
        default="",
        description="https://<account>.blob.core.windows.net for azure://, signed in with "
        "DefaultAzureCredential (managed identity)",
    )
    blob_threshold_bytes: int = Field(
        default=65536, ge=1, description="JSON values larger than this travel as artifacts"
    )
    secrets_proxy_url: str = Field(
        default="",
        description="The secrets-proxy, for services in separate processes "
        "(e.g. http://secrets-proxy:8083); embedded mode reads its local store directly",
    )
    secrets_proxy_token: SecretStr | None = Field(
        default=None, description="Shared bearer token between the services and the secrets-proxy"
    )
    secrets_key: SecretStr | None = Field(
        default=None,
        description="Fernet key of the local secret store; unset: generated into "
        "data_dir/secrets/secrets.key on first use",
    )
    outbox_lease_seconds: float = Field(
        default=15.0,
        gt=0,
        description="How long a process's claim on its outbox rows lasts unrenewed (it renews "
        "every third of it): after a crash its unpublished messages are sent by another "
        "process (or its restart) that much later, and never while it still runs",
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["auto", "console", "json"] = "auto"
    auto_migrate: bool = True
    """Upgrade the database schema at start-up (serialised across replicas by a lock)."""
    health_host: str = "127.0.0.1"
    health_port: int = 0
    """Port for /healthz and /readyz of a service without an API (0 = none)."""

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _lowercase(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'raikoo.db'}"
