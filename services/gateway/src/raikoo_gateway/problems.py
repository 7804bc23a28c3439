"""Errors as RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import Scope, Send

from raikoo_common.api.problems import ProblemDocument
from raikoo_common.db.faults import is_transient
from raikoo_common.nul import NUL_REFUSED, escaped_nul_in, find_nul
from raikoo_common.workflow.problems import DefinitionInvalid, format_path

MEDIA_TYPE = "application/problem+json"
_TYPE_BASE = "https://raikoo.dev/problems/"


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "default": {
        "description": "A problem (RFC 9457): every answer that is not a success",
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}
"""The OpenAPI responses of every operation: its errors, whatever their status."""


def document_problems(app: FastAPI) -> None:
    """Give the OpenAPI document the schema ``ERROR_RESPONSES`` refers to."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schemas = build().setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = ProblemDocument.model_json_schema()
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]


class Problem(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        slug: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.slug, self.extra = (
            status,
            title,
            detail,
            slug,
            extra,
        )
        self.headers = headers or {}


async def refuse_nul(request: Request) -> None:
    """A dependency of every route: a body holding NUL (U+0000) is refused with 422 naming
    where, before anything is stored, in every mode alike (PostgreSQL could not store it)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    body = await request.body()  # cached: the route reads the same bytes
    if not escaped_nul_in(body):
        return
    where = "the request body"
    with contextlib.suppress(orjson.JSONDecodeError):
        at = find_nul(orjson.loads(body))
        if at:
            where = format_path(at)
    raise Problem(
        422,
        "Invalid request",
        f"{where} {NUL_REFUSED}; nothing was stored",
        "invalid-request",
        errors=[{"path": where, "message": NUL_REFUSED}],
    )


async def send_problem(
    scope: Scope, send: Send, status: int, title: str, detail: str, slug: str, **extra: Any
) -> None:
    """Answer with a problem from ASGI middleware, before or instead of the application."""
    body = orjson.dumps(
        {
            "type": _TYPE_BASE + slug,
            "title": title,
            "status": status,
            "detail": detail,
            "instance": scope.get("path", ""),
            **extra,
        }
    )
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def not_found(what: str, ident: object) -> Problem:
    return Problem(404, "Not found", f"{what} {ident} does not exist", "not-found")


def _response(
    request: Request, status: int, title: str, detail: str, slug: str, **extra: Any
) -> JSONResponse:
    body = {
        "type": _TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        response = _response(request, exc.status, exc.title, exc.detail, exc.slug, **exc.extra)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(DefinitionInvalid)
    async def _invalid(request: Request, exc: DefinitionInvalid) -> JSONResponse:
        errors = [p.model_dump(exclude_none=True) for p in exc.problems]
        count = len(errors)
        return _response(
            request,
            422,
            "Invalid workflow definition" if exc.source != "inputs" else "Invalid run inputs",
            f"{count} problem{'s' if count != 1 else ''} found; nothing was stored",
            "invalid-definition" if exc.source != "inputs" else "invalid-inputs",
            errors=errors,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"path": format_path(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return _response(
            request,
            422,
            "Invalid request",
            f"{len(errors)} problem(s) in the request",
            "invalid-request",
            errors=errors,
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        if is_transient(exc):
            # The database is away (a restart, a failover): worth trying again soon.
            detail = "the database is unavailable; try again in a moment"
            response = _response(request, 503, "Service unavailable", detail, "unavailable")
            response.headers["Retry-After"] = "2"
            return response
        # Logged once, bounded, by the error boundary around the application.
        detail = "the server failed to answer this request; the error is logged"
        return _response(request, 500, "Internal error", detail, "internal-error")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
            exc.status_code, "http-error"
        )
        return _response(request, exc.status_code, str(exc.detail), str(exc.detail), slug)
