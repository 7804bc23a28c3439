"""Choosing the artifact store from settings; never a silent fallback to local disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from raikoo_common.settings import ServiceSettings
from raikoo_common.storage import AzureBlobStore, LocalBlobStore, create_blob_store

AZURITE = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
)


def settings(tmp_path: Path, **fields: object) -> ServiceSettings:
    return ServiceSettings.model_validate({"data_dir": tmp_path, **fields})


def test_no_url_means_the_data_directory(tmp_path: Path) -> None:
    store = create_blob_store(settings(tmp_path))
    assert isinstance(store, LocalBlobStore)
    assert store.root == tmp_path / "artifacts"


@pytest.mark.parametrize("prefix", ["file://", "file://localhost", "FILE://"])
def test_file_url(tmp_path: Path, prefix: str) -> None:
    store = create_blob_store(settings(tmp_path, blob_url=f"{prefix}{tmp_path}/my%20blobs"))
    assert isinstance(store, LocalBlobStore)
    assert store.root == tmp_path / "my blobs"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:relative/dir", "absolute directory"),
        ("file:///", "absolute directory"),
        ("file://server/share", "file:///absolute/path"),
        ("s3://bucket", "unsupported RAIKOO_BLOB_URL"),
        ("/plain/path", "unsupported RAIKOO_BLOB_URL"),
        ("azure://Bad_Name", "not a valid container name"),
        ("azure://ab", "not a valid container name"),
        ("azure://a--b", "not a valid container name"),
        ("azure://-abc", "not a valid container name"),
        ("azure://" + "a" * 64, "not a valid container name"),
        ("azure://artifacts/sub/dir", "no path"),
    ],
)
def test_bad_urls_are_explained(tmp_path: Path, url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        create_blob_store(settings(tmp_path, blob_url=url, blob_connection_string=AZURITE))


async def test_azure_with_a_connection_string(tmp_path: Path) -> None:
    store = create_blob_store(
        settings(tmp_path, blob_url="azure://raikoo-artifacts", blob_connection_string=AZURITE)
    )
    assert isinstance(store, AzureBlobStore)
    assert "devstoreaccount1/raikoo-artifacts" in repr(store)
    await store.close()


async def test_azure_with_an_account_url(tmp_path: Path) -> None:
    store = create_blob_store(
        settings(
            tmp_path,
            blob_url="azure://artifacts",
            blob_account_url="https://acme.blob.core.windows.net",
        )
    )
    assert isinstance(store, AzureBlobStore)
    assert repr(store) == "AzureBlobStore('https://acme.blob.core.windows.net/artifacts')"
    await store.close()


def test_azure_without_credentials_never_falls_back_to_local(tmp_path: Path) -> None:
    with pytest.raises(
        ValueError, match=r"needs RAIKOO_BLOB_CONNECTION_STRING .* or RAIKOO_BLOB_ACCOUNT_URL"
    ):
        create_blob_store(settings(tmp_path, blob_url="azure://artifacts"))
    with pytest.raises(ValueError, match="needs"):
        create_blob_store(
            settings(tmp_path, blob_url="azure://artifacts", blob_connection_string="  ")
        )
    assert not (tmp_path / "artifacts").exists()


def test_azure_with_both_credentials_is_ambiguous(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not both"):
        create_blob_store(
            settings(
                tmp_path,
                blob_url="azure://artifacts",
                blob_connection_string=AZURITE,
                blob_account_url="https://acme.blob.core.windows.net",
            )
        )


def test_account_url_must_be_https(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="https://"):
        create_blob_store(
            settings(tmp_path, blob_url="azure://artifacts", blob_account_url="http://acme.example")
        )


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIKOO_BLOB_URL", "azure://artifacts")
    monkeypatch.setenv("RAIKOO_BLOB_CONNECTION_STRING", AZURITE)
    monkeypatch.setenv("RAIKOO_BLOB_THRESHOLD_BYTES", "131072")
    loaded = ServiceSettings()
    assert loaded.blob_url == "azure://artifacts"
    assert loaded.blob_connection_string == SecretStr(AZURITE)
    assert "AccountKey" not in repr(loaded)
    assert loaded.blob_threshold_bytes == 131072


def test_threshold_default_and_bounds(tmp_path: Path) -> None:
    assert settings(tmp_path).blob_threshold_bytes == 65536
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        settings(tmp_path, blob_threshold_bytes=0)
