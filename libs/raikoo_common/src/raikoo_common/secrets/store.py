"""Where secret values live: the local encrypted store of embedded mode and of the
secrets-proxy (the port is ``secrets.port``)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import uuid
from collections.abc import Iterable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from raikoo_common.clock import utcnow
from raikoo_common.secrets._vault_file import Entry, VaultFile, load
from raikoo_common.secrets.port import (
    SecretInfo,
    SecretStore,
    SecretUnavailable,
    missing,
    page,
)
from raikoo_common.secrets.refs import SECRET_NAME_PATTERN
from raikoo_common.settings import ServiceSettings

__all__ = [
    "LocalSecretStore",
    "SecretInfo",
    "SecretStore",
    "SecretUnavailable",
    "local_secret_store",
]


class LocalSecretStore:
    """One file per organization, encrypted with Fernet (AES-128-CBC + HMAC-SHA256),
    holding its organization-wide secrets and each project's (``_vault_file``).

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

    def _read(self, org_id: uuid.UUID) -> VaultFile:
        path = self._path(org_id)
        if not path.exists():
            return VaultFile()
        try:
            data = json.loads(self._fernet().decrypt(path.read_bytes()))
        except InvalidToken:
            raise SecretUnavailable(
                f"the secrets of org {org_id} cannot be decrypted with this key "
                "(RAIKOO_SECRETS_KEY or secrets.key changed?)"
            ) from None
        return load(data, org_id)

    def _write(self, org_id: uuid.UUID, vault: VaultFile) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._path(org_id)
        temporary = path.with_suffix(f".tmp-{uuid.uuid4().hex}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(self._fernet().encrypt(json.dumps(vault.dump()).encode()))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)

    async def values(
        self, org_id: uuid.UUID, names: Iterable[str], *, project_id: uuid.UUID | None
    ) -> dict[str, str]:
        wanted = sorted(set(names))
        visible = (await asyncio.to_thread(self._read, org_id)).visible(project_id)
        absent = [name for name in wanted if name not in visible]
        if absent:
            raise missing(absent)
        return {name: visible[name].value for name in wanted}

    async def put(
        self, org_id: uuid.UUID, name: str, value: str, *, project_id: uuid.UUID | None
    ) -> None:
        if not re.fullmatch(SECRET_NAME_PATTERN, name):
            raise ValueError(f"{name!r} is not a secret name: letters, digits and _, 128 at most")
        async with self._lock:
            vault = await asyncio.to_thread(self._read, org_id)
            vault.writable(project_id)[name] = Entry(value=value, updated_at=utcnow())
            await asyncio.to_thread(self._write, org_id, vault)

    async def delete(self, org_id: uuid.UUID, name: str, *, project_id: uuid.UUID | None) -> bool:
        async with self._lock:
            vault = await asyncio.to_thread(self._read, org_id)
            if vault.scope(project_id).pop(name, None) is None:
                return False
            vault.forget_empty(project_id)
            await asyncio.to_thread(self._write, org_id, vault)
            return True

    async def entries(
        self,
        org_id: uuid.UUID,
        *,
        project_id: uuid.UUID | None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[SecretInfo]:
        vault = await asyncio.to_thread(self._read, org_id)
        return page(vault.infos(project_id), after, limit)


def local_secret_store(settings: ServiceSettings) -> LocalSecretStore:
    """The embedded store under the data dir, keyed by RAIKOO_SECRETS_KEY when given."""
    key = settings.secrets_key.get_secret_value().encode() if settings.secrets_key else None
    return LocalSecretStore(settings.data_dir / "secrets", key)
