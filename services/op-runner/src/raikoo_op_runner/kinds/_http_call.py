"""How ``http.request`` makes its call: through the SSRF guard, with retries and bounded reads.

Apart from the kind's declaration (``http_request.py``), so listing or validating kinds
does not load the HTTP stack."""

from __future__ import annotations

import asyncio
import time
from pathlib import PurePosixPath
from typing import Any

import httpx
import orjson

from raikoo_common.net import BlockedDestination, EgressGuard, GuardedTransport, safe_url
from raikoo_common.net.credentials import CredentialHeaders, RedirectRefused
from raikoo_common.net.exchange import (
    Exchange,
    ResponseTooLarge,
    TooManyRedirects,
    exchange,
    public_url,
)
from raikoo_common.net.retry import backoff, may_retry_error, retry_after
from raikoo_common.runner import OperationContext, OperationError, RunnerFault
from raikoo_common.secrets.redact import scrub_bytes
from raikoo_common.storage import ArtifactStoreError, InvalidArtifactMetadata, sanitize_name
from raikoo_common.storage.port import validate_content_type
from raikoo_op_runner.kinds._http_body import InvalidResponse, decode_body, excerpt
from raikoo_op_runner.kinds._http_config import HttpRequestConfig, HttpResponseOutput
from raikoo_op_runner.settings import current_settings

_ALLOW_HINT = (
    "; an administrator can open it with RAIKOO_HTTP_ALLOW_HOSTS "
    "(or RAIKOO_HTTP_ORG_ALLOW_HOSTS for one organisation)"
)


async def execute(config: HttpRequestConfig, context: OperationContext) -> HttpResponseOutput:
    guard = EgressGuard(current_settings().http_allow_list(context.org_id))
    where = f"{config.method} {safe_url(config.url)}"
    try:
        url = guard.check_url(config.url)
    except BlockedDestination as exc:
        raise _blocked(where, exc) from None
    # trust_env=False: an environment proxy would get its own transport, bypassing the guard.
    async with httpx.AsyncClient(
        transport=GuardedTransport(guard),
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(config.timeout),
    ) as client:
        request = _build_request(client, config, url, context.idempotency_key)
        output, content = await _with_retries(client, guard, request, config, context, where)
    if output.body_encoding == "artifact":
        output.body = await _store_body(output, content, context)
    return output


async def _store_body(
    output: HttpResponseOutput, content: bytes, context: OperationContext
) -> dict[str, Any]:
    if context.artifacts is None:
        message = "response: artifact needs an artifact store, and this runner has none"
        raise OperationError(message, kind="invalid_config", retryable=False)
    # Both come from the remote server: make them safe rather than fail on them.
    name = sanitize_name(PurePosixPath(httpx.URL(output.url).path).name or "response")
    content_type = output.content_type or "application/octet-stream"
    try:
        validate_content_type(content_type)
    except InvalidArtifactMetadata:
        content_type = "application/octet-stream"
    if content_type.startswith("text/") or "json" in content_type or "xml" in content_type:
        content = scrub_bytes(content)  # a server may echo what it was sent
    try:
        ref = await context.artifacts.put(name, content, content_type=content_type)
    except InvalidArtifactMetadata as exc:
        raise OperationError(str(exc), kind="invalid_response", retryable=False) from None
    except ArtifactStoreError as exc:
        raise RunnerFault(f"the artifact store refused the response body: {exc}") from exc
    return ref.to_json()


def _build_request(
    client: httpx.AsyncClient, config: HttpRequestConfig, url: httpx.URL, idempotency_key: str
) -> httpx.Request:
    headers = httpx.Headers(config.header_items())
    if (authorization := config.authorization()) is not None:
        headers["Authorization"] = authorization
    if config.idempotency_header is not None:
        headers.setdefault(config.idempotency_header, idempotency_key)
    content: bytes | None = None
    if config.sends_json:
        try:
            content = orjson.dumps(config.json_body)  # also `json: null`, which httpx omits
        except orjson.JSONEncodeError as exc:
            message = f"the json body cannot be encoded as JSON: {exc}"
            raise OperationError(message, kind="invalid_config", retryable=False) from None
        headers.setdefault("content-type", "application/json")
    elif config.body is not None:
        content = config.body.encode()
        headers.setdefault("content-type", "text/plain; charset=utf-8")
    if config.query:
        # Request(params=...) would replace the URL's own query: merge into it instead.
        url = url.copy_merge_params(config.query)
    return client.build_request(
        config.method,
        url,
        headers=headers,
        content=content,
        data=config.form,
    )


async def _with_retries(
    client: httpx.AsyncClient,
    guard: EgressGuard,
    request: httpx.Request,
    config: HttpRequestConfig,
    context: OperationContext,
    where: str,
) -> tuple[HttpResponseOutput, bytes]:
    started = time.monotonic()
    retry = config.retry
    attempt = 0
    while True:
        attempt += 1
        last = attempt >= retry.max_attempts
        try:
            result = await _attempt(client, guard, request, config, where)
        except httpx.TransportError as exc:
            if last or not may_retry_error(exc, config.method):
                message = f"{where} failed: {_describe(exc)} (attempt {attempt})"
                raise OperationError(message, kind="connection", retryable=True) from None
            delay = backoff(attempt, retry.max_wait)
            context.log.info("http.request retrying", error=type(exc).__name__, delay=delay)
        else:
            status = result.response.status_code
            if last or status not in retry.statuses:
                elapsed_ms = round((time.monotonic() - started) * 1000)
                context.log.info(
                    "http.request finished",
                    request=where,
                    status=status,
                    attempts=attempt,
                    elapsed_ms=elapsed_ms,
                )
                return _output(result, config, attempt, elapsed_ms), result.content
            asked = retry_after(result.response.headers.get("retry-after"))
            delay = (
                backoff(attempt, retry.max_wait) if asked is None else min(asked, retry.max_wait)
            )
            context.log.info("http.request retrying", status=status, delay=delay)
        await asyncio.sleep(delay)


async def _attempt(
    client: httpx.AsyncClient,
    guard: EgressGuard,
    request: httpx.Request,
    config: HttpRequestConfig,
    where: str,
) -> Exchange:
    """One attempt; every failure but a retryable transport error becomes final here."""
    credentials = CredentialHeaders(
        current_settings().http_credential_headers, config.header_items()
    )
    try:
        async with asyncio.timeout(config.timeout):
            return await exchange(
                client,
                guard,
                request,
                follow_redirects=config.follow_redirects,
                max_redirects=config.max_redirects,
                max_bytes=config.max_response_bytes,
                credentials=credentials,
            )
    except BlockedDestination as exc:
        raise _blocked(where, exc) from None
    except (TimeoutError, httpx.TimeoutException):
        message = f"{where} did not complete within its timeout of {config.timeout:g}s"
        raise OperationError(message, kind="timeout", retryable=True) from None
    except ResponseTooLarge as exc:
        message = f"{where}: {exc}; max_response_bytes is {config.max_response_bytes}"
        raise OperationError(message, kind="response_too_large", retryable=False) from None
    except TooManyRedirects as exc:
        raise OperationError(f"{where}: {exc}", kind="invalid_response", retryable=False) from None
    except RedirectRefused as exc:
        raise OperationError(f"{where}: {exc}", kind="redirect_refused", retryable=False) from None
    except httpx.DecodingError as exc:
        message = f"{where}: the body does not match its Content-Encoding ({exc})"
        raise OperationError(message, kind="invalid_response", retryable=False) from None


def _output(
    result: Exchange, config: HttpRequestConfig, attempts: int, elapsed_ms: int
) -> HttpResponseOutput:
    response = result.response
    content_type = response.headers.get("content-type")
    final = f"{config.method} {safe_url(response.url)}"
    if config.fail_on_status and response.status_code >= 400:
        status = response.status_code
        shown = excerpt(result.content, content_type)
        message = f"{final} returned {status} {response.reason_phrase}" + (
            f": {shown}" if shown else ""
        )
        retryable = status >= 500 or status in {408, 429}
        raise OperationError(message, kind="http_status", retryable=retryable)
    try:
        body, encoding = decode_body(result.content, content_type, config.response)
    except InvalidResponse as exc:
        raise OperationError(f"{final}: {exc}", kind="invalid_response", retryable=False) from None
    headers: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return HttpResponseOutput(
        status=response.status_code,
        reason=response.reason_phrase,
        ok=response.is_success,
        headers=headers,
        body=body,
        body_encoding=encoding,
        content_type=content_type,
        size_bytes=len(result.content),
        url=public_url(response.url),
        redirects=result.redirects,
        attempts=attempts,
        elapsed_ms=elapsed_ms,
    )


def _blocked(where: str, exc: BlockedDestination) -> OperationError:
    return OperationError(
        f"{where} refused by the SSRF guard: {exc.reason}"
        + (_ALLOW_HINT if exc.address is not None else ""),
        kind="blocked_url",
        retryable=False,
    )


def _describe(exc: httpx.TransportError) -> str:
    detail = str(exc)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
