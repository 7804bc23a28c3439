"""Which server the CLI and the SDK talk to, and which API key they send.

The server: the one given (``--server``, ``RAIKOO_SERVER_URL``, ``Client(base_url)``),
else the profile's (``raikoo login``), else a Raikoo on this machine. The key: the one
given (``RAIKOO_API_KEY``, ``Client(api_key)``); else the profile's, when the server is
the profile's own (a key is never sent to another server); else, for a Raikoo on this
machine, the local admin key that embedded mode keeps in its data directory (an
owner-only file), so commands against a local ``raikoo up`` need no setup."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from raikoo.profiles import Profile, load_profiles

LOCAL_ADMIN_FILE = "local-admin.key"
DEFAULT_SERVER = "http://127.0.0.1:8000"


class CliSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAIKOO_", extra="ignore")

    api_key: SecretStr | None = None
    server_url: str | None = None
    data_dir: Path = Path.home() / ".raikoo"
    profile: str = "default"
    """The profile used when none is named (``RAIKOO_PROFILE``)."""
    config_file: Path = Path.home() / ".config" / "raikoo" / "config.toml"
    """Where ``raikoo login`` keeps profiles (``RAIKOO_CONFIG_FILE``)."""


def profile_named(name: str | None) -> Profile | None:
    settings = CliSettings()
    return load_profiles(settings.config_file).get(name or settings.profile)


def server_for(given: str | None, profile: str | None = None) -> str:
    given = given or CliSettings().server_url
    if given:
        return given.rstrip("/")
    found = profile_named(profile)
    return found.server if found is not None else DEFAULT_SERVER


def api_key_for(
    base_url: str,
    data_dir: Path | None = None,
    given: str | None = None,
    profile: str | None = None,
) -> str | None:
    if given:
        return given
    settings = CliSettings()
    if settings.api_key is not None and settings.api_key.get_secret_value():
        return settings.api_key.get_secret_value()  # set and not empty
    found = profile_named(profile)
    if found is not None and same_server(found.server, base_url):
        return found.api_key
    if not _on_this_machine(base_url):
        return None
    return local_admin_key(data_dir or settings.data_dir)


def same_server(one: str, other: str) -> bool:
    return one.rstrip("/").lower() == other.rstrip("/").lower()


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
