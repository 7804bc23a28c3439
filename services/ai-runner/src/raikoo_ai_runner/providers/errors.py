"""A provider call's failure as an operation error of a specific kind (docs/ai.md#errors),
and whether it is worth another try."""

from __future__ import annotations

from raikoo_ai_runner.providers.answer import MalformedAnswer
from raikoo_ai_runner.providers.connection import Connection
from raikoo_common.net import BlockedDestination
from raikoo_common.net.retry import retry_after
from raikoo_common.runner import OperationError

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
_CONTEXT_WORDS = ("context length", "context_length", "maximum context", "too many tokens")
_MAX_DETAIL = 500


def retry_wait(exc: Exception) -> float | None:
    """How long to wait before trying again (0: use the backoff), or None: do not."""
    import openai

    if isinstance(exc, openai.APIStatusError):
        if exc.status_code not in RETRY_STATUSES and exc.status_code < 500:
            return None
        headers = exc.response.headers
        if (millis := headers.get("retry-after-ms")) is not None:
            try:
                return max(0.0, float(millis) / 1000)
            except ValueError:
                pass
        return retry_after(headers.get("retry-after")) or 0.0
    if isinstance(exc, openai.APIConnectionError):
        return None if _blocked(exc) is not None else 0.0
    return None


def as_operation_error(
    exc: Exception, connection: Connection, what: str, attempts: int
) -> Exception:
    import openai

    where = f"{what} on the {connection.label}"
    tries = f" (after {attempts} attempts)" if attempts > 1 else ""
    blocked = _blocked(exc)
    if blocked is not None:
        message = (
            f"{where} refused by the SSRF guard: {blocked.reason}; an operator can open a "
            "private endpoint with RAIKOO_AI_ALLOW_HOSTS"
        )
        return OperationError(message, kind="blocked_url", retryable=False)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _detail(exc, connection)
        if status in (401, 403):
            kind, retryable = "provider_auth", False
        elif status == 404:
            kind, retryable = "unknown_model", False
        elif status == 429:
            kind, retryable = "rate_limited", True
        elif status >= 500 or status in RETRY_STATUSES:
            kind, retryable = "provider_unavailable", True
        elif _about_context(exc):
            kind, retryable = "context_length", False
        else:
            kind, retryable = "provider_error", False
        message = f"{where} failed: {status} {detail}{tries}"
        return OperationError(message, kind=kind, retryable=retryable)
    if isinstance(exc, MalformedAnswer):
        message = f"{where} answered something that is not a chat completion: {exc}{tries}"
        return OperationError(message, kind="provider_error", retryable=False)
    if isinstance(exc, openai.APITimeoutError):
        return OperationError(f"{where} timed out{tries}", kind="timeout", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        reason = f": {type(cause).__name__}: {cause}" if cause is not None else ""
        return OperationError(
            f"{where} could not connect{reason}{tries}", kind="connection", retryable=True
        )
    if isinstance(exc, openai.APIError):  # an error chunk in a streamed answer
        message = f"{where} failed: {_detail(exc, connection)}{tries}"
        return OperationError(message, kind="provider_error", retryable=False)
    return exc


def _blocked(exc: BaseException) -> BlockedDestination | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, BlockedDestination):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _about_context(exc: Exception) -> bool:
    code = str(getattr(exc, "code", "") or "")
    text = f"{code} {getattr(exc, 'message', exc)}".lower()
    return any(word in text for word in _CONTEXT_WORDS)


def _detail(exc: Exception, connection: Connection) -> str:
    body = getattr(exc, "body", None)
    found = body.get("message") if isinstance(body, dict) else None
    message = found if isinstance(found, str) else str(getattr(exc, "message", None) or exc)
    key = connection.config.api_key
    if key and len(key) >= 8:
        message = message.replace(key, "***")
    return message if len(message) <= _MAX_DETAIL else message[: _MAX_DETAIL - 1] + "…"
