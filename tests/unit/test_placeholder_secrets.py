"""A service process refuses to start with a placeholder or published default as a secret,
naming the setting; credentials of loopback hosts (a local test broker) are let through."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import SecretStr

from raikoo_common.settings import PlaceholderSecret, ServiceSettings

AZURITE_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
REAL = "9f2c4e7a1b3d5f60a8c2e4b6d8f0a1c3"


def azurite(host: str) -> str:
    return (
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        f"AccountKey={AZURITE_KEY};BlobEndpoint=http://{host}:10000/devstoreaccount1;"
    )


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"secrets_proxy_token": "change-me"}, "RAIKOO_SECRETS_PROXY_TOKEN"),
        ({"secrets_proxy_token": " ChangeMe "}, "RAIKOO_SECRETS_PROXY_TOKEN"),
        ({"secrets_proxy_token": ""}, "RAIKOO_SECRETS_PROXY_TOKEN"),
        ({"secrets_proxy_token": "raikoo-local-secrets"}, "RAIKOO_SECRETS_PROXY_TOKEN"),
        ({"secrets_key": "secret"}, "RAIKOO_SECRETS_KEY"),
        (
            {"database_url": "postgresql+asyncpg://raikoo:raikoo@postgres:5432/raikoo"},
            "the password in RAIKOO_DATABASE_URL",
        ),
        ({"bus_url": "amqp://guest:guest@rabbitmq:5672/"}, "the password in RAIKOO_BUS_URL"),
        (
            {"blob_connection_string": azurite("azurite")},
            "the account key in RAIKOO_BLOB_CONNECTION_STRING",
        ),
    ],
)
def test_placeholders_are_refused_naming_the_setting(settings: dict[str, str], named: str) -> None:
    with pytest.raises(PlaceholderSecret) as caught:
        ServiceSettings(**settings).refuse_placeholder_secrets("gateway")  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith(f"gateway refuses to start: {named} is a placeholder")
    assert "openssl rand" in message
    for value in settings.values():
        if len(value) > 12:  # a URL or connection string: its real parts are not echoed
            assert value not in message


def test_every_placeholder_is_named_at_once() -> None:
    settings = ServiceSettings(
        secrets_proxy_token=SecretStr("changeme"),
        bus_url="amqp://raikoo:password@broker.internal/",
    )
    with pytest.raises(
        PlaceholderSecret, match="RAIKOO_BUS_URL and RAIKOO_SECRETS_PROXY_TOKEN are"
    ):
        settings.refuse_placeholder_secrets("scheduler")


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"secrets_proxy_token": REAL, "secrets_key": REAL},
        {"database_url": f"postgresql+asyncpg://raikoo:{REAL}@db.internal:5432/raikoo"},
        {"database_url": "postgresql+asyncpg://postgres@db.internal/raikoo"},  # no password
        {
            "bus_url": "amqp://guest:guest@127.0.0.1:5672/"
        },  # RabbitMQ lets guest in on loopback only
        {"database_url": "postgresql://raikoo:raikoo@localhost/raikoo"},
        {"blob_connection_string": azurite("127.0.0.1")},
        {"blob_connection_string": f"AccountName=raikoo;AccountKey={REAL}=="},
    ],
)
def test_real_secrets_and_loopback_credentials_pass(settings: dict[str, str]) -> None:
    ServiceSettings(**settings).refuse_placeholder_secrets("gateway")  # type: ignore[arg-type]


def test_a_service_process_with_a_placeholder_exits_with_the_message() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAIKOO_")}
    env.update(
        RAIKOO_SECRETS_PROXY_TOKEN="change-me", RAIKOO_PORT="0", RAIKOO_DATA_DIR="/nonexistent"
    )
    finished = subprocess.run(
        [sys.executable, "-m", "raikoo_secrets_proxy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode != 0
    assert "secrets-proxy refuses to start: RAIKOO_SECRETS_PROXY_TOKEN is a placeholder" in (
        finished.stderr
    )
