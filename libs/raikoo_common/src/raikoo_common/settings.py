"""Settings shared by every service. Each service subclasses ``ServiceSettings`` once.

Nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path.home() / ".raikoo"


PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "admin",
        "change-me",
        "change-this",
        "change_me",
        "changeme",
        "changethis",
        "default",
        "example",
        "guest",
        "none",
        "passw0rd",
        "password",
        "postgres",
        "raikoo",
        "raikoo-local-secrets",
        "replace-me",
        "replaceme",
        "root",
        "secret",
        "test",
        "todo",
        "token",
        "xxx",
        # Azurite's development account key, published by Microsoft.
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==".lower(),
    }
)
"""Values written as examples or shipped as defaults (lower-case): never a real secret."""


class PlaceholderSecret(RuntimeError):
    """A service process was configured with a placeholder where a secret belongs."""


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
    budget_ledger_url: str = Field(
        default="",
        description="The gateway, for ai-runners in separate processes: where they reserve "
        "each model call's estimate against budgets (e.g. http://gateway:8080); embedded mode "
        "reaches the database directly",
    )
    budget_ledger_token: SecretStr | None = Field(
        default=None,
        description="Shared bearer token between the ai-runners and the gateway's budget "
        "ledger; unset on the gateway: its ledger routes refuse every call",
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

    def refuse_placeholder_secrets(self, service: str) -> None:
        """Refuse to run a service process whose secrets are placeholders or known defaults.

        Credentials in URLs or connection strings of a loopback host are let through: they
        guard nothing another machine can reach (a local broker's ``guest``, say).
        """
        found = [what for name in type(self).model_fields if (what := self._placeholder(name))]
        if found:
            raise PlaceholderSecret(
                f"{service} refuses to start: {' and '.join(found)} "
                f"{'is' if len(found) == 1 else 'are'} a placeholder or a published default "
                "(such as 'change-me', an empty value or 'raikoo'), not a secret. Set a random "
                "value, e.g. the output of `openssl rand -hex 32`; embedded mode (`raikoo up`) "
                "needs none of these."
            )

    def _placeholder(self, name: str) -> str | None:
        """How to name setting ``name`` when it holds a placeholder secret; else None."""
        setting = f"RAIKOO_{name.upper()}"
        value = getattr(self, name)
        if isinstance(value, SecretStr):
            text = value.get_secret_value()
            if "accountkey=" in text.lower():
                placeholder = _connection_string_placeholder(text)
                return f"the account key in {setting}" if placeholder else None
            return setting if _is_placeholder(text) else None
        if isinstance(value, str) and name.endswith("_url") and "@" in value:
            parts = urlsplit(value)
            if parts.password is None or _is_loopback(parts.hostname):
                return None
            return f"the password in {setting}" if _is_placeholder(parts.password) else None
        return None

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'raikoo.db'}"


def _is_placeholder(text: str) -> bool:
    return text.strip().lower() in PLACEHOLDER_SECRETS


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _connection_string_placeholder(text: str) -> bool:
    """An Azure Storage connection string whose key is a placeholder, off loopback."""
    parts = dict(item.split("=", 1) for item in text.strip().strip(";").split(";") if "=" in item)
    fields = {key.strip().lower(): value.strip() for key, value in parts.items()}
    endpoint = fields.get("blobendpoint", "")
    if endpoint and _is_loopback(urlsplit(endpoint).hostname):
        return False
    return _is_placeholder(fields.get("accountkey", ""))
