"""What a write may carry: JSON or YAML, shaped so that every parser after this one can read it.

Browsers send ``text/plain``, form and multipart bodies to any origin without asking first
(no CORS preflight), and a body with no type at all from a script: a page on another site
stored a workflow version that way. JSON and YAML media types are not "simple" for a
browser, so it sends them cross-origin only after a preflight this API never grants.

A JSON body is then screened before anything parses it: the standard library's parser
(FastAPI's and the definition reader's) recurses once per level of nesting, and a lone
surrogate (``"\\ud800"``) parses to text no database or encoder takes. Both answer 422
naming where, instead of a 500 with a traceback. YAML is screened by the definition reader,
the only place that reads it.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import Headers
from starlette.types import Message, Receive, Scope, Send

from raikoo_common.workflow.limits import (
    NESTING_REFUSED,
    SURROGATE_REFUSED,
    find_surrogate,
    json_too_deep,
    shown_path,
    surrogate_escape_in,
)
from raikoo_common.workflow.problems import format_path
from raikoo_gateway._asgi import HttpMiddleware
from raikoo_gateway.browser_safety import signed_webhook
from raikoo_gateway.problems import send_problem

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
ACCEPTED = "application/json (or application/*+json) or YAML (application/yaml, text/yaml)"


def media_type(content_type: str) -> str:
    """``Application/JSON; charset=utf-8`` → ``application/json``."""
    return content_type.partition(";")[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def is_yaml(media: str) -> bool:
    return media in YAML_TYPES or (media.startswith("application/") and media.endswith("+yaml"))


class BodyScreen(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        media = media_type(Headers(scope=scope).get("content-type", ""))
        # A signed hook call takes any body (its route parses JSON, forms and text).
        any_body = signed_webhook(scope)
        if media and not (is_json(media) or is_yaml(media)) and not any_body:
            await _unsupported(scope, send, f"the Content-Type {media} is not accepted")
            return
        body = await _read(receive)
        if body and not media and not any_body:
            await _unsupported(scope, send, "a request body needs a Content-Type")
            return
        if body and is_json(media):
            refused = screen_json(body)
            if refused is not None:
                await send_problem(
                    scope,
                    send,
                    422,
                    "Invalid request",
                    f"{refused['path'] or 'the request body'}: {refused['message']}; "
                    "nothing was stored",
                    "invalid-request",
                    errors=[refused],
                )
                return
        await self.app(scope, _replay(body, receive), send)


def screen_json(body: bytes) -> dict[str, Any] | None:
    """The problem (path, message and maybe line) of a JSON body no parser should read."""
    too_deep = json_too_deep(body)
    if too_deep is not None:
        loc, line, column = too_deep
        message = f"the body {NESTING_REFUSED}"
        return {"path": shown_path(loc), "message": message, "line": line, "column": column}
    if not surrogate_escape_in(body):
        return None
    try:
        data = json.loads(body)  # safe now: the depth is bounded
    except ValueError:
        return None  # not JSON: the route says so in its own words
    at = find_surrogate(data)
    if at is None:
        return None
    return {"path": format_path(at), "message": f"the text here {SURROGATE_REFUSED}"}


async def _read(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read here, once, then the client's own messages (a disconnect, say)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _unsupported(scope: Scope, send: Send, why: str) -> None:
    detail = f"{why}; a write accepts {ACCEPTED}"
    await send_problem(scope, send, 415, "Unsupported media type", detail, "unsupported-media-type")
