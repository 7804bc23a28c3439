"""Where secret values live: a port, and the local encrypted store of embedded mode."""

from __future__ import annotations

import asyncio
import json
import os
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken

from raikoo_common.secrets.refs import SECRET_NAME_PATTERN
from raikoo_common.settings import ServiceSettings


class SecretUnavailable(LookupError):
    """A secret is missing, or no store can be read."""


class SecretStore(Protocol):
    async def values(self, org_id: uuid.UUID, names: Iterable[str]) -> dict[str, str]:
        """The named secrets' values; ``SecretUnavailable`` naming every missing one."""

    async def put(self, org_id: uuid.UUID, name: str, value: str) -> None: ...

    async def delete(self, org_id: uuid.UUID, name: str) -> bool: ...

    async def names(self, org_id: uuid.UUID) -> list[str]: ...


class LocalSecretStore:
    """One file per organization, encrypted with Fernet (AES-128-CBC + HMAC-SHA256).

    The key comes from ``RAIKOO_SECRETS_KEY`` or, on first use, is generated into
    ``<dir>/secrets.key`` (mode 0600). Writes replace the file atomically.
    """

    def __init__(self, directory: Path, key: bytes | None = None) -> None:
        self.directory = directory
        self._key = key
        self._lock = asyncio.Lock()

    def _fernet(self) -> Fernet:
        if self._key is None:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            key_file = self.directory / "secrets.key"
            if not key_file.exists():
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(Fernet.generate_key())
            self._key = key_file.read_bytes().strip()
        return Fernet(self._key)

    def _path(self, org_id: uuid.UUID) -> Path:
        return self.directory / f"{uuid.UUID(str(org_id))}.secrets"

    def _read(self, org_id: uuid.UUID) -> dict[str, str]:
        path = self._path(org_id)
        if not path.exists():
            return {}
        try:
            data: dict[str, str] = json.loads(self._fernet().decrypt(path.read_bytes()))
        except InvalidToken:
            raise SecretUnavailable(
                f"the secrets of org {org_id} cannot be decrypted with this key "
                "(RAIKOO_SECRETS_KEY or secrets.key changed?)"
            ) from None
        return data

    def _write(self, org_id: uuid.UUID, data: dict[str, str]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._path(org_id)
        temporary = path.with_suffix(f".tmp-{uuid.uuid4().hex}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(self._fernet().encrypt(json.dumps(data).encode()))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)

    async def values(self, org_id: uuid.UUID, names: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(names))
        stored = await asyncio.to_thread(self._read, org_id)
        missing = [name for name in wanted if name not in stored]
        if missing:
            raise SecretUnavailable(f"no secret named {', '.join(missing)} in this organization")
        return {name: stored[name] for name in wanted}

    async def put(self, org_id: uuid.UUID, name: str, value: str) -> None:
        if not re.fullmatch(SECRET_NAME_PATTERN, name):
            raise ValueError(f"{name!r} is not a secret name: letters, digits and _, 128 at most")
        async with self._lock:
            stored = await asyncio.to_thread(self._read, org_id)
            stored[name] = value
            await asyncio.to_thread(self._write, org_id, stored)

    async def delete(self, org_id: uuid.UUID, name: str) -> bool:
        async with self._lock:
            stored = await asyncio.to_thread(self._read, org_id)
            if stored.pop(name, None) is None:
                return False
            await asyncio.to_thread(self._write, org_id, stored)
            return True

    async def names(self, org_id: uuid.UUID) -> list[str]:
        return sorted(await asyncio.to_thread(self._read, org_id))


def local_secret_store(settings: ServiceSettings) -> LocalSecretStore:
    """The embedded store under the data dir, keyed by RAIKOO_SECRETS_KEY when given."""
    key = settings.secrets_key.get_secret_value().encode() if settings.secrets_key else None
    return LocalSecretStore(settings.data_dir / "secrets", key)
