"""Raikoo: the ``raikoo`` command and the Python SDK (``raikoo.Client``,
``raikoo.AsyncClient``). The SDK loads on first use, so ``raikoo --help`` stays quick."""

from __future__ import annotations

from typing import TYPE_CHECKING

from raikoo_common._lazy import lazy_exports

if TYPE_CHECKING:
    from raikoo.sdk import (
        ApiError,
        AsyncClient,
        Client,
        Conflict,
        Forbidden,
        InvalidRequest,
        NotFound,
        Retry,
        RunEvent,
    )

__all__ = [
    "ApiError",
    "AsyncClient",
    "Client",
    "Conflict",
    "Forbidden",
    "InvalidRequest",
    "NotFound",
    "Retry",
    "RunEvent",
]
__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "sdk"))
