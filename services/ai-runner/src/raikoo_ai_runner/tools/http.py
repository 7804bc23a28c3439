"""HTTP tools: the model's arguments rendered into a request, sent through the SSRF guard
(redirects re-checked, credentials not carried to another origin), the answer's body given
back to the model, capped."""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from raikoo_ai_runner.config.tools import HttpTool
from raikoo_ai_runner.tools.port import ToolCall, ToolResult
from raikoo_ai_runner.tools.templates import render_args
from raikoo_common.net import BlockedDestination, EgressGuard, safe_url
from raikoo_common.net.credentials import (
    DEFAULT_CREDENTIAL_HEADERS,
    CredentialHeaders,
    RedirectRefused,
)
from raikoo_common.net.exchange import ResponseTooLarge, TooManyRedirects, exchange
from raikoo_common.workflow.templates import is_template

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
MAX_REDIRECTS = 5


class HttpToolPort:
    def __init__(self, tool: HttpTool, client: httpx.AsyncClient, guard: EgressGuard) -> None:
        self._tool, self._client, self._guard = tool, client, guard

    async def call(self, call: ToolCall) -> ToolResult:
        tool = self._tool
        try:
            request = self._request(call)
        except BlockedDestination as exc:
            return ToolResult(f"the URL is refused: {exc.reason}", is_error=True)
        shown = f"{request.method} {safe_url(request.url)}"
        headers = list(tool.headers.items())
        try:
            result = await exchange(
                self._client,
                self._guard,
                request,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                max_bytes=tool.max_response_bytes,
                credentials=CredentialHeaders(DEFAULT_CREDENTIAL_HEADERS, headers),
            )
        except BlockedDestination as exc:
            return ToolResult(f"{shown} refused by the SSRF guard: {exc.reason}", is_error=True)
        except (ResponseTooLarge, TooManyRedirects, RedirectRefused) as exc:
            return ToolResult(f"{shown}: {exc}", is_error=True)
        except httpx.TimeoutException:
            return ToolResult(f"{shown} timed out", is_error=True)
        except httpx.TransportError as exc:
            return ToolResult(f"{shown} failed: {type(exc).__name__}: {exc}", is_error=True)
        status = result.response.status_code
        text = result.content.decode("utf-8", errors="replace")
        if status >= 400:
            return ToolResult(f"HTTP {status}: {text}", is_error=True)
        return ToolResult(text)

    def _request(self, call: ToolCall) -> httpx.Request:
        tool, args = self._tool, call.arguments
        where = f"tools.{tool.name}"
        url = str(render_args(tool.url, args, f"{where}.url"))
        query = {
            name: _text(render_args(value, args, f"{where}.query.{name}"))
            for name, value in tool.query.items()
        }
        headers = httpx.Headers(tool.headers)
        headers.setdefault("Idempotency-Key", call.idempotency_key)
        content: bytes | None = None
        if tool.body is not None:
            body = render_args(tool.body, args, f"{where}.body")
            if isinstance(body, str) and not _is_single_expression(tool.body):
                content = body.encode()
                headers.setdefault("content-type", "text/plain; charset=utf-8")
            else:
                content = orjson.dumps(body)
                headers.setdefault("content-type", "application/json")
        elif tool.method in _BODY_METHODS:
            content = orjson.dumps(args)
            headers.setdefault("content-type", "application/json")
        elif not _uses_args(tool):
            query = {**{k: _text(v) for k, v in args.items()}, **query}
        parsed = self._guard.check_url(url)
        if query:
            parsed = parsed.copy_merge_params(query)
        return self._client.build_request(tool.method, parsed, headers=headers, content=content)


def _uses_args(tool: HttpTool) -> bool:
    return is_template(tool.url) or any(is_template(value) for value in tool.query.values())


def _is_single_expression(source: str) -> bool:
    stripped = source.strip()
    return stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return orjson.dumps(value).decode()


def new_http_client(guard: EgressGuard) -> httpx.AsyncClient:
    from raikoo_common.net import GuardedTransport

    # trust_env=False: an environment proxy would get its own transport, bypassing the guard.
    return httpx.AsyncClient(
        transport=GuardedTransport(guard), trust_env=False, follow_redirects=False
    )


__all__ = ["HttpToolPort", "new_http_client"]
