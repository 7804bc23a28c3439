"""An exception no handler answers: a 500 problem and one bounded log record, however deep
its traceback (a RecursionError's used to be 200 KB, logged by the server per request)."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI
from structlog.testing import capture_logs

from raikoo_gateway import problems
from raikoo_gateway.error_boundary import FRAMES, MESSAGE_CHARS, ErrorBoundary


def _recurse(depth: int) -> int:
    return _recurse(depth + 1) + 1


def _app() -> FastAPI:
    app = FastAPI()
    problems.install(app)

    @app.get("/deep")
    async def deep() -> int:
        return _recurse(0)

    @app.get("/long")
    async def long() -> None:
        raise ValueError("x" * 100_000)

    return app


@pytest.mark.parametrize("path", ["/deep", "/long"])
async def test_a_bug_answers_a_500_problem_and_logs_one_bounded_record(
    path: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    transport = httpx.ASGITransport(app=ErrorBoundary(_app()))
    with capture_logs() as events:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.get(path)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/internal-error")
    [event] = events
    assert event["event"] == "request failed"
    assert event["path"] == path
    assert len(event["error"]) < MESSAGE_CHARS + 40
    assert 1 <= len(event["frames"]) <= FRAMES
    assert len(repr(event)) < 2000
    assert [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))] == []


async def test_an_exception_before_any_response_still_answers_a_problem() -> None:
    async def broken(scope: object, receive: object, send: object) -> None:
        raise RuntimeError("middleware bug")

    transport = httpx.ASGITransport(app=ErrorBoundary(broken))
    with capture_logs() as events:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.post("/v1/runs")
    assert (response.status_code, response.json()["title"]) == (500, "Internal error")
    assert events[0]["error"] == "RuntimeError: middleware bug"
