"""Problem documents (RFC 9457) the API answers with, raised as typed exceptions."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx

from raikoo_common.api.problems import ProblemDocument


class ApiError(Exception):
    """The API refused a request: ``status``, ``title``, ``detail`` and, for invalid
    input, ``errors`` (each with the ``path`` it names and a ``message``)."""

    def __init__(self, status: int, problem: ProblemDocument) -> None:
        super().__init__(problem.detail or problem.title or f"HTTP {status}")
        self.status = status
        self.problem = problem

    @property
    def title(self) -> str:
        return self.problem.title

    @property
    def detail(self) -> str:
        return self.problem.detail

    @property
    def type(self) -> str:
        return self.problem.type

    @property
    def errors(self) -> list[dict[str, Any]]:
        found = (self.problem.model_extra or {}).get("errors")
        return list(found) if isinstance(found, list) else []

    def __getitem__(self, member: str) -> Any:
        """A member of the problem document (``exc["run_id"]``, ``exc["open"]``, …)."""
        return self.problem.model_dump()[member]


class Unauthorized(ApiError):
    """401: no key, or one that is wrong, expired or revoked."""


class Forbidden(ApiError):
    """403: the key's role is too low for this."""


class NotFound(ApiError):
    """404: it does not exist, or belongs to another organization or project."""


class Conflict(ApiError):
    """409: the request does not fit the state it met (a finished run, a reused
    idempotency key, …)."""


class InvalidRequest(ApiError):
    """422: invalid input; ``errors`` names each place."""


class RateLimited(ApiError):
    """429: too many requests; retried by the client before it is raised."""


class ServerError(ApiError):
    """5xx: the server could not answer."""


_BY_STATUS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: InvalidRequest,
    429: RateLimited,
}


def error_from(response: httpx.Response) -> ApiError:
    """The exception for an answer that is not a success (read: ``response.read()`` first)."""
    status = response.status_code
    problem = _problem(response)
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else ApiError)
    return kind(status, problem)


def _problem(response: httpx.Response) -> ProblemDocument:
    body: Any = None
    with contextlib.suppress(ValueError):
        body = response.json()
    if isinstance(body, dict):
        try:
            return ProblemDocument.model_validate(body)
        except ValueError:
            pass
    # Not one of ours (a proxy's page, an empty body): a problem that says what came.
    phrase = response.reason_phrase or f"HTTP {response.status_code}"
    text = response.text.strip()[:500]
    return ProblemDocument(
        type="about:blank",
        title=phrase,
        status=response.status_code,
        detail=text or phrase,
        instance=response.request.url.path,
    )
