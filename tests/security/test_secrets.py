"""The review's secret leaks, each now refused or masked (issue: secrets as capabilities).

With ``TOKEN = Sup3r-Secret-Value-42``, a workflow author could read the value through a
filter, a transform or an error. Now a definition may place a secret only in a kind's
credential fields, as it is; the rest is refused when stored, naming the path. What a
server echoes back is masked, in the output, the error and a stored text artifact."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._reachable import reachable_server
from tests.security._embedded_api import embedded_api
from tests.unit.net._servers import Hit, LocalServer, Reply

TOKEN = "Sup3r-Secret-Value-42"
FORMS = [TOKEN, base64.b64encode(TOKEN.encode()).decode(), TOKEN[::-1], TOKEN.upper()]


@pytest.fixture
def echo(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """A server that answers with what it was sent: the headers and the body."""

    def answer(hit: Hit) -> Reply:
        body = json.dumps({"headers": hit.headers, "body": hit.body.decode()}).encode()
        return Reply(200, [("content-type", "application/json")], body)

    with reachable_server(monkeypatch, {"/echo": answer}) as server:
        yield server


@pytest.fixture
async def http(tmp_path: Path, echo: LocalServer) -> AsyncIterator[httpx.AsyncClient]:
    async with embedded_api(tmp_path) as client:
        stored = await client.put("/v1/secrets/TOKEN", json={"value": TOKEN})
        assert stored.status_code == 204, stored.text
        yield client


LEAKS = {
    "template.render b64encode": {
        "uses": "template.render",
        "with": {"template": "{{ s | b64encode }}", "values": {"s": "{{ secrets.TOKEN }}"}},
    },
    "reverse and join": {"uses": "set", "with": {"v": "{{ secrets.TOKEN | reverse | join }}"}},
    "slicing": {"uses": "set", "with": {"v": "{{ secrets.TOKEN[1:] }}"}},
    "upper": {"uses": "set", "with": {"v": "{{ secrets.TOKEN | upper }}"}},
    "join with spaces": {"uses": "set", "with": {"v": "{{ secrets.TOKEN | join(' ') }}"}},
    "json.transform": {
        "uses": "json.transform",
        "with": {"data": "{{ secrets.TOKEN }}", "expression": "reverse(@)"},
    },
    "text.split": {"uses": "text.split", "with": {"text": "{{ secrets.TOKEN }}", "separator": "-"}},
    "text.chunk": {"uses": "text.chunk", "with": {"text": "{{ secrets.TOKEN }}", "size": 3}},
    "convert": {
        "uses": "convert",
        "with": {"from": "text", "to": "json", "data": '"{{ secrets.TOKEN }}"'},
    },
    "todatetime error": {
        "uses": "set",
        "with": {"v": "{{ secrets.TOKEN | reverse | todatetime }}"},
    },
    "url of a blocked host": {
        "uses": "http.request",
        "with": {"url": "http://10.0.0.1/?k={{ secrets.TOKEN | urlencode }}"},
    },
    "secret as a host": {
        "uses": "http.request",
        "with": {"url": "http://{{ secrets.TOKEN }}.localhost/"},
    },
    "condition": {"uses": "set", "with": {"v": 1}, "when": "{{ secrets.TOKEN[0] == 'S' }}"},
}


@pytest.mark.parametrize("operation", list(LEAKS.values()), ids=list(LEAKS))
async def test_a_leaking_use_is_refused_when_stored_naming_where(
    http: httpx.AsyncClient, operation: dict[str, Any]
) -> None:
    definition = {"name": "leak", "operations": {"leak": operation}}
    response = await http.post("/v1/runs", json={"definition": definition})
    assert response.status_code == 422, response.text
    problems = [p for p in response.json()["errors"] if "secret" in p["message"]]
    assert problems, response.json()
    assert problems[0]["path"].startswith("operations.leak.")
    listed = (await http.get("/v1/runs")).json()["items"]
    assert listed == [], "nothing was started"


async def test_what_a_server_echoes_is_masked_in_outputs_and_text_artifacts(
    http: httpx.AsyncClient, echo: LocalServer
) -> None:
    definition = {
        "name": "echoes",
        "operations": {
            name: {
                "uses": "http.request",
                "with": {
                    "url": echo.url("/echo"),
                    "method": "POST",
                    "headers": {"Authorization": "Bearer {{ secrets.TOKEN }}"},
                    "json": {"key": "{{ secrets.TOKEN }}"},
                    "response": response,
                },
            }
            for name, response in (("inline", "json"), ("file", "artifact"))
        },
    }
    created = await http.post("/v1/runs", json={"definition": definition})
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    async with http.stream("GET", f"/v1/runs/{run_id}/events") as stream:
        events = [line async for line in stream.aiter_lines()]
    assert all(hit.headers["authorization"] == f"Bearer {TOKEN}" for hit in echo.hits)
    operations = (await http.get(f"/v1/runs/{run_id}/operations")).json()["items"]
    by_key = {op["key"]: op for op in operations}
    assert by_key["inline"]["state"] == "succeeded", by_key["inline"]
    assert by_key["inline"]["output"]["body"]["headers"]["authorization"] == "Bearer ***"
    reference = by_key["file"]["output"]["body"]
    artifact = await http.get(f"/v1/runs/{run_id}/artifacts/{reference['$artifact']['key']}")
    assert artifact.status_code == 200, artifact.text
    stored = artifact.text
    assert json.loads(stored)["headers"]["authorization"] == "Bearer ***"
    everything = json.dumps([events, operations]) + stored
    for form in FORMS:
        assert form not in everything


async def test_a_short_secret_is_refused_when_written(http: httpx.AsyncClient) -> None:
    response = await http.put("/v1/secrets/PIN", json={"value": "1234"})
    assert response.status_code == 422
    assert "at least 8 characters" in response.text
