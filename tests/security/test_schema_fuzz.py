"""schemathesis against the gateway's OpenAPI document (issue 12), authenticated.

Each operation gets requests generated from its schema, valid and invalid, on random
identifiers and on organization A's real objects, sent over HTTP to a running embedded
Raikoo, as its owner and as a viewer: no answer is a server error, and each answer's
status, content type and body are the ones the document gives (an error: a problem
document, every operation's ``default`` response).

The server runs in the test's event loop; hypothesis drives requests from a thread.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from raikoo_gateway.auth.policy import ServedRoute, policy_of
from tests.security._routes import SERVED, parameters
from tests.security._world import PROJECT, World, populated_world

EXAMPLES = int(os.environ.get("RAIKOO_TEST_FUZZ_EXAMPLES", "12"))
"""Requests per operation and caller, for each way of making them (valid or invalid, on
random or real objects): small in the suite; raise it for a deeper search."""

# Streams: a run's events never end while the run waits.
SKIPPED = {"GET /v1/runs/{run_id}/events"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass(frozen=True)
class Fuzzed:
    world: World
    schema: schemathesis.BaseSchema


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Fuzzed]:
    async with populated_world(tmp_path_factory.mktemp("fuzz")) as world:
        url = f"{world.owner.base_url}/openapi.json"
        schema = await asyncio.to_thread(schemathesis.openapi.from_url, url)
        yield Fuzzed(world, schema)


def _real(route: ServedRoute, targets: Mapping[str, str]) -> dict[str, str]:
    """The route's path parameters naming A's real objects, where there are some."""
    return {name: targets[key] for name, key in parameters(route).items() if key in targets}


def _fuzz(
    schema: schemathesis.BaseSchema, route: ServedRoute, key: str, real: dict[str, str]
) -> None:
    operation = schema[route.path][route.method]
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    strategies = [operation.as_strategy(mode) for mode in modes]
    if real:
        strategies += [operation.as_strategy(mode, path_parameters=real) for mode in modes]

    @settings(
        max_examples=EXAMPLES * len(strategies),
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def check(case: Any) -> None:
        case.call_and_validate(session=session, checks=CHECKS, timeout=30)

    with requests.Session() as session:
        session.headers["X-Api-Key"] = key
        check()


# Findings in routes another change is reworking: documented here, to be removed when fixed.
KNOWN: dict[tuple[str, str], str] = {}


def _cases() -> list[Any]:
    """Every operation as the owner; as a viewer, those a viewer may call (the 403 of the
    others is the role matrix's)."""
    return [
        pytest.param(
            route,
            caller,
            id=f"{route.label} as {caller}",
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN[route.label, caller])]
            if (route.label, caller) in KNOWN
            else [],
        )
        for caller in ("owner", "viewer")
        for route in SERVED
        if route.label not in SKIPPED
        and policy_of(route) != "service"  # not in the OpenAPI document: no API caller's
        and (caller == "owner" or policy_of(route) in ("viewer", "public"))
    ]


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("route", "caller"), _cases())
async def test_no_server_error_and_answers_as_documented(
    fuzzed: Fuzzed, route: ServedRoute, caller: str
) -> None:
    real = _real(route, fuzzed.world.targets_for(route.label, PROJECT))
    await asyncio.to_thread(_fuzz, fuzzed.schema, route, fuzzed.world.keys[caller], real)


BEYOND_64_BITS = 2**70


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param(
            "GET", "/v1/runs/{run}/events?after={big}", None, id="GET /v1/runs/{run_id}/events"
        ),
        pytest.param(
            "GET",
            "/v1/workflows/{workflow}/versions/{big}",
            None,
            id="GET /v1/workflows/{name}/versions/{version}",
        ),
        pytest.param("GET", "/v1/workflows/{workflow}/diff?from={big}", None, id="GET …/diff from"),
        pytest.param(
            "POST",
            "/v1/runs",
            {"workflow": "{workflow}", "version": BEYOND_64_BITS},
            id="POST /v1/runs version",
        ),
        pytest.param(
            "GET", "/v1/runs/{run}/operations?limit={big}", None, id="GET …/operations limit"
        ),
        pytest.param("GET", "/v1/audit?limit={big}", None, id="GET /v1/audit limit"),
        pytest.param("GET", "/v1/operations?limit={big}", None, id="GET /v1/operations limit"),
    ],
)
async def test_an_integer_beyond_64_bits_is_refused_not_a_server_error(
    fuzzed: Fuzzed, method: str, path: str, body: dict[str, Any] | None
) -> None:
    """Found by the fuzzer (offset); the others are the same mistake, found by reading."""
    world = fuzzed.world
    names = {"run": world.targets["runs/{run_id}"], "workflow": world.targets["workflow"]}
    if body is not None:
        body = {k: v.format(**names) if isinstance(v, str) else v for k, v in body.items()}
    url = path.format(big=BEYOND_64_BITS, **names)
    response = await world.owner.request(method, url, json=body)
    assert response.status_code == 422, f"{method} {url}: {response.status_code} {response.text}"
