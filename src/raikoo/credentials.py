"""Which API key the CLI sends: ``RAIKOO_API_KEY`` (or ``--api-key``) when given; else,
for a Raikoo on this machine, the local admin key that embedded mode keeps in its data
directory (an owner-only file), so commands against a local `raikoo up` need no setup."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_ADMIN_FILE = "local-admin.key"


class CliSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAIKOO_", extra="ignore")

    api_key: SecretStr | None = None
    data_dir: Path = Path.home() / ".raikoo"


def api_key_for(
    base_url: str, data_dir: Path | None = None, given: str | None = None
) -> str | None:
    if given:
        return given
    settings = CliSettings()
    if settings.api_key is not None:
        return settings.api_key.get_secret_value()
    if not _on_this_machine(base_url):
        return None
    return local_admin_key(data_dir or settings.data_dir)


def local_admin_key(data_dir: Path) -> str | None:
    try:
        return (data_dir / LOCAL_ADMIN_FILE).read_text().strip() or None
    except OSError:
        return None


def _on_this_machine(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
