"""Riding through database faults: a request whose database connection died (the server
restarted, a proxy dropped it, an operator terminated it) is answered by running it once
more, when running it twice cannot do twice what it asked — reads, idempotent writes and
writes under an idempotency key — instead of failing with a 500. SQLAlchemy throws away
the pool's connections on such an error, so the second try starts on a fresh one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
import structlog
from fastapi import Request, Response
from fastapi.routing import APIRoute

from raikoo_common.db.faults import is_transient

log = structlog.get_logger(__name__)

_REPEATABLE = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_PAUSE = 0.05


class RetryingRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def once_more_on_a_dropped_connection(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                if not is_transient(exc) or not await _may_repeat(request):
                    raise
                log.warning(
                    "database connection lost; running the request again",
                    method=request.method,
                    path=request.url.path,
                    error=type(exc).__name__,
                )
            await asyncio.sleep(RETRY_PAUSE)
            return await handler(request)  # the body was read once and is cached

        return once_more_on_a_dropped_connection


async def _may_repeat(request: Request) -> bool:
    if request.method in _REPEATABLE or request.headers.get("idempotency-key"):
        return True
    if request.method != "POST":
        return False
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return False
    return isinstance(body, dict) and bool(body.get("idempotency_key"))
