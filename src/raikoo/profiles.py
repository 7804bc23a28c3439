"""Profiles ``raikoo login`` saves: a server and an API key under a name, in a TOML file
only its owner can read (0600, in a 0700 directory)."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Profile:
    name: str
    server: str
    api_key: str


class ProfilesUnreadable(Exception):
    """The config file exists but is not a profiles file Raikoo wrote."""


def load_profiles(path: Path) -> dict[str, Profile]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfilesUnreadable(f"{path}: {exc}") from None
    found: dict[str, Profile] = {}
    for name, table in (document.get("profiles") or {}).items():
        if not isinstance(table, dict):
            continue
        server, key = table.get("server"), table.get("api_key")
        if isinstance(server, str) and isinstance(key, str):
            found[name] = Profile(name, server, key)
    return found


def save_profile(path: Path, profile: Profile) -> None:
    profiles = load_profiles(path)
    profiles[profile.name] = profile
    _write(path, profiles)


def remove_profile(path: Path, name: str) -> bool:
    profiles = load_profiles(path)
    if profiles.pop(name, None) is None:
        return False
    _write(path, profiles)
    return True


def _string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but TOML also escapes DEL."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _write(path: Path, profiles: dict[str, Profile]) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    text = "# Written by `raikoo login`: API keys, readable by their owner only.\n"
    for profile in profiles.values():
        text += f"\n[profiles.{_string(profile.name)}]\n"
        text += f"server = {_string(profile.server)}\napi_key = {_string(profile.api_key)}\n"
    partial = path.with_name(path.name + ".tmp")
    # Created owner-only: the key is never readable by others, not even for a moment.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as sink:
        sink.write(text)
    os.chmod(partial, 0o600)  # an older file left by a crash keeps its mode otherwise
    partial.replace(path)
