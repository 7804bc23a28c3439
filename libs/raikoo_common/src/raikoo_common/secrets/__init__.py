"""Secrets in workflows: references the scheduler renders, values only runners see.

A template reading ``secrets.NAME`` renders a *reference*, never the value; a runner swaps
references for values right before an operation runs, and scrubs the values out of what
the operation returns and logs.

The store and the proxy client load on first use: every template imports ``refs`` from
here, and the client's HTTP stack would otherwise cost a CLI or a scheduler about half a
second of start-up for code it never runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from raikoo_common.secrets.redact import Redactor, holds_secret, redacting
from raikoo_common.secrets.refs import (
    SECRET_NAME_PATTERN,
    SecretReferences,
    references_in,
    substitute,
)

if TYPE_CHECKING:
    from raikoo_common.secrets.port import SecretInfo, SecretStore, SecretUnavailable
    from raikoo_common.secrets.proxy_client import SecretsProxyClient, secrets_client
    from raikoo_common.secrets.store import LocalSecretStore, local_secret_store

_LAZY = {
    "SecretsProxyClient": "proxy_client",
    "secrets_client": "proxy_client",
    "LocalSecretStore": "store",
    "SecretInfo": "port",
    "SecretStore": "port",
    "SecretUnavailable": "port",
    "local_secret_store": "store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "SECRET_NAME_PATTERN",
    "LocalSecretStore",
    "Redactor",
    "SecretInfo",
    "SecretReferences",
    "SecretStore",
    "SecretUnavailable",
    "SecretsProxyClient",
    "holds_secret",
    "local_secret_store",
    "redacting",
    "references_in",
    "secrets_client",
    "substitute",
]
