"""The last line of the API: an exception nothing answered becomes one bounded log record.

Left to the server, every such request logged its whole traceback — 200 KB for a
``RecursionError`` — so one client could fill a disk or drown the logs. Here the record
holds the exception's type, the start of its message and the last few frames; the client
gets a 500 problem (Starlette's error middleware inside has usually sent it already).
"""

from __future__ import annotations

import traceback
from collections import deque

import structlog
from starlette.types import Receive, Scope, Send

from raikoo_gateway._asgi import HttpMiddleware, TrackedSend
from raikoo_gateway.problems import send_problem

log = structlog.get_logger(__name__)

MESSAGE_CHARS = 500
FRAMES = 6


class ErrorBoundary(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log.error(
                "request failed",
                method=scope.get("method"),
                path=scope.get("path"),
                error=summary(exc),
                frames=last_frames(exc),
            )
            if not tracked.started:
                await send_problem(
                    scope,
                    send,
                    500,
                    "Internal error",
                    "the server failed to answer this request; the error is logged",
                    "internal-error",
                )


def summary(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    if len(text) > MESSAGE_CHARS:
        text = f"{text[:MESSAGE_CHARS]}… [{len(text) - MESSAGE_CHARS} characters cut]"
    return text


def last_frames(exc: BaseException) -> list[str]:
    """Where it happened: the innermost frames, without reading any source file."""
    tail = deque(traceback.walk_tb(exc.__traceback__), maxlen=FRAMES)
    return [f"{frame.f_code.co_filename}:{line} in {frame.f_code.co_name}" for frame, line in tail]
