"""Secrets in workflows: references the scheduler renders, values only runners see.

A template reading ``secrets.NAME`` renders a *reference*, never the value; a runner swaps
references for values right before an operation runs, and scrubs the values out of what
the operation returns and logs.
"""

from raikoo_common.secrets.proxy_client import SecretsProxyClient, secrets_client
from raikoo_common.secrets.redact import Redactor, holds_secret, redacting
from raikoo_common.secrets.refs import (
    SECRET_NAME_PATTERN,
    SecretReferences,
    references_in,
    substitute,
)
from raikoo_common.secrets.store import (
    LocalSecretStore,
    SecretStore,
    SecretUnavailable,
    local_secret_store,
)

__all__ = [
    "SECRET_NAME_PATTERN",
    "LocalSecretStore",
    "Redactor",
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
