"""Pick the artifact store from settings, so configuration is one URL (plus credentials).

An ``azure://`` URL without credentials is an error, never a quiet switch to the local
directory: artifacts written to one replica's disk would be missing on every other.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from raikoo_common.settings import ServiceSettings
from raikoo_common.storage.local import LocalBlobStore
from raikoo_common.storage.port import BlobStore

_CONTAINER = re.compile(r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}")
"""Azure container names: 3–63 lowercase letters, digits and single inner hyphens."""


def create_blob_store(settings: ServiceSettings) -> BlobStore:
    """``RAIKOO_BLOB_URL`` empty → ``<data_dir>/artifacts``; ``file:///path`` → that
    directory; ``azure://<container>`` → Azure Blob Storage through
    ``RAIKOO_BLOB_CONNECTION_STRING`` or ``RAIKOO_BLOB_ACCOUNT_URL``."""
    url = settings.blob_url.strip()
    if not url:
        return LocalBlobStore(settings.data_dir / "artifacts")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        return LocalBlobStore(_file_path(url))
    if scheme == "azure":
        return _azure_store(settings, url)
    raise ValueError(
        f"unsupported RAIKOO_BLOB_URL {url!r}: use file:///absolute/path or azure://<container> "
        "(or leave it empty for <data_dir>/artifacts)"
    )


def _file_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.netloc not in {"", "localhost"} or parts.query or parts.fragment:
        raise ValueError(f"RAIKOO_BLOB_URL {url!r}: a file URL looks like file:///absolute/path")
    path = Path(unquote(parts.path))
    if not path.is_absolute() or parts.path in {"", "/"}:
        raise ValueError(f"RAIKOO_BLOB_URL {url!r} must name an absolute directory, not '/'")
    return path


def _azure_store(settings: ServiceSettings, url: str) -> BlobStore:
    parts = urlsplit(url)
    container = parts.netloc
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise ValueError(f"RAIKOO_BLOB_URL {url!r}: an Azure URL is azure://<container>, no path")
    if not _CONTAINER.fullmatch(container):
        raise ValueError(
            f"RAIKOO_BLOB_URL {url!r}: {container!r} is not a valid container name "
            "(3-63 lowercase letters, digits and single hyphens, starting with a letter or digit)"
        )
    connection_string = (
        settings.blob_connection_string.get_secret_value()
        if settings.blob_connection_string is not None
        else ""
    ).strip()
    account_url = settings.blob_account_url.strip()
    if connection_string and account_url:
        raise ValueError(
            "set RAIKOO_BLOB_CONNECTION_STRING or RAIKOO_BLOB_ACCOUNT_URL for azure://, not both"
        )
    if not connection_string and not account_url:
        raise ValueError(
            f"RAIKOO_BLOB_URL {url!r} needs RAIKOO_BLOB_CONNECTION_STRING (account key or "
            "Azurite) or RAIKOO_BLOB_ACCOUNT_URL (signed in with DefaultAzureCredential)"
        )
    # Imported here: embedded mode should not pay for loading the Azure SDK and aiohttp.
    from raikoo_common.storage.azure import AzureBlobStore

    if connection_string:
        return AzureBlobStore.from_connection_string(connection_string, container)
    if urlsplit(account_url).scheme != "https":
        raise ValueError(f"RAIKOO_BLOB_ACCOUNT_URL {account_url!r} must be an https:// URL")
    return AzureBlobStore.from_account_url(account_url, container)
