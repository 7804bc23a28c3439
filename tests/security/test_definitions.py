"""Hostile definitions and bodies end in 422 naming where, with nothing stored and the
server answering, and none of them makes the server log more than a few kilobytes."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from structlog.testing import capture_logs

from tests.security._embedded_api import embedded_api

JSON = {"content-type": "application/json"}
YAML = {"content-type": "application/yaml"}
# The reported bomb: 6 levels of 10 aliases, a million nodes once expanded.
ALIAS_BOMB = "\n".join(
    ["name: bomb", "operations: {a: {uses: noop}}", "l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 6)]
)
DEEP_JSON = "[" * 1000 + "]" * 1000


@pytest.fixture
async def http(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with embedded_api(tmp_path) as client:
        yield client


async def refused(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == 422
    return problem


async def test_the_alias_bomb_is_refused_naming_its_line_and_nothing_is_stored(
    http: httpx.AsyncClient,
) -> None:
    assert len(ALIAS_BOMB) < 450
    problem = await refused(await http.post("/v1/workflows", content=ALIAS_BOMB, headers=YAML))
    [error] = problem["errors"]
    assert (error["path"], error["line"]) == ("l0", 3)
    assert "anchors and aliases are not supported" in error["message"]
    assert (await http.get("/v1/workflows/bomb")).status_code == 404
    assert (await http.get("/healthz")).status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/runs", {"definition": "name: x\nops: &o [1]\nmore: *o\n"}),
        ("/v1/operations", None),
    ],
)
async def test_aliases_are_refused_wherever_yaml_is_read(
    http: httpx.AsyncClient, path: str, body: dict[str, Any] | None
) -> None:
    if body is None:
        text = "name: twice\nkind: set\nconfig: &c {a: 1}\nagain: *c\n"
        response = await http.post(path, content=text, headers=YAML)
    else:
        response = await http.post(path, json=body)
    problem = await refused(response)
    assert "anchor &" in json.dumps(problem["errors"])


DEEP = "deeper than 64 levels"
LONE = "lone surrogate"


@pytest.mark.parametrize(
    ("path", "content", "headers", "where", "says"),
    [
        ("/v1/workflows", DEEP_JSON, JSON, "[0][0][0][0][0][0]… (64 levels down)", DEEP),
        (
            "/v1/runs",
            '{"workflow": "w", "inputs": {"x": ' + DEEP_JSON + "}}",
            JSON,
            "inputs.x[0][0][0][0]… (64 levels down)",
            DEEP,
        ),
        (
            "/v1/workflows",
            "name: s\nwith:\n  x: " + DEEP_JSON,
            YAML,
            "with.x[0][0][0][0]… (64 levels down)",
            DEEP,
        ),
        (
            "/v1/workflows",
            '{"name": "s", "operations": {"a": {"uses": "noop"}}, "x": "\\ud800"}',
            JSON,
            "x",
            LONE,
        ),
        (
            "/v1/runs",
            '{"workflow": "w", "inputs": {"t": ["", "\\udc00"]}}',
            JSON,
            "inputs.t[1]",
            LONE,
        ),
        (
            "/v1/runs",
            '{"workflow": "w", "inputs": {"\\ud800": 1}}',
            JSON,
            'inputs["\\ud800"]',
            LONE,
        ),
        ("/v1/workflows", 'name: s\nops: {a: 1}\nx: "\\ud800"\n', YAML, "x", LONE),
    ],
)
async def test_deep_nesting_and_lone_surrogates_are_refused_naming_where(
    http: httpx.AsyncClient,
    path: str,
    content: str,
    headers: dict[str, str],
    where: str,
    says: str,
) -> None:
    problem = await refused(await http.post(path, content=content, headers=headers))
    [error] = problem["errors"]
    assert error["path"] == where
    assert says in error["message"]
    if says == DEEP:
        assert error["line"] >= 1
    assert (await http.get("/v1/workflows/s")).status_code == 404


async def test_a_surrogate_pair_is_ordinary_text(http: httpx.AsyncClient) -> None:
    body = (
        '{"name": "emoji", "description": "\\ud83d\\ude00", "operations": {"a": {"uses": "noop"}}}'
    )
    stored = await http.post("/v1/workflows", content=body, headers=JSON)
    assert stored.status_code == 201, stored.text
    got = await http.get("/v1/workflows/emoji")
    assert got.json()["definition"]["description"] == "\U0001f600"


async def test_no_hostile_payload_makes_the_server_log_more_than_a_few_kilobytes(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    payloads = [
        ("/v1/workflows", ALIAS_BOMB, YAML),
        ("/v1/workflows", DEEP_JSON, JSON),
        ("/v1/workflows", "a: " + DEEP_JSON, YAML),
        ("/v1/runs", '{"workflow": "w", "inputs": {"x": ' + DEEP_JSON + "}}", JSON),
        ("/v1/runs", '{"workflow": "w", "inputs": {"x": "\\ud800"}}', JSON),
        ("/v1/runs", '{"definition": {"name": "x", "y": "\\ud800"}}', JSON),
        ("/v1/workflows", "{" * 100_000, JSON),
        ("/v1/operations", "[" * 100_000, YAML),
    ]
    caplog.set_level(logging.DEBUG)
    with capture_logs() as events:
        statuses = [
            (await http.post(path, content=body, headers=headers)).status_code
            for path, body, headers in payloads
        ]
    assert statuses == [422] * len(payloads)
    server_records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = repr(events) + "".join(caplog.handler.format(r) for r in server_records)
    assert len(logged) < 4096, logged[:2000]
