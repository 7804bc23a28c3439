"""The Raikoo Python SDK: ``Client`` (sync) and ``AsyncClient`` (asyncio) over the REST
API, returning the API's own models (``raikoo_common.api``). See docs/sdk.md."""

from __future__ import annotations

from raikoo.sdk._async import AsyncClient
from raikoo.sdk._call import Call
from raikoo.sdk._errors import (
    ApiError,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
)
from raikoo.sdk._events import RunEvent
from raikoo.sdk._pages import AsyncPager, Pager
from raikoo.sdk._retry import Retry
from raikoo.sdk._sync import Client

__all__ = [
    "ApiError",
    "AsyncClient",
    "AsyncPager",
    "Call",
    "Client",
    "Conflict",
    "Forbidden",
    "InvalidRequest",
    "NotFound",
    "Pager",
    "RateLimited",
    "Retry",
    "RunEvent",
    "ServerError",
    "Unauthorized",
]
