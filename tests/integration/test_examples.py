"""Every bundled example runs end to end on the embedded stack, against a local HTTP
service standing in for the outside world (the SSRF guard lets 127.0.0.1 through here
only because the test allow-lists it, as an operator would for an internal service)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

from raikoo.embedded import EmbeddedRaikoo
from raikoo_op_runner.settings import current_settings
from tests.integration._api import Api
from tests.unit.kinds._documents import build_pdf
from tests.unit.net._servers import Hit, LocalServer, Reply, server_factory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

CUSTOMERS = (
    "name,domain,status\n"
    "Acme,acme.io,active\n"
    "Globex,globex.com,churned\n"
    "Initech,initech.dev,active\n"
    "Hooli,hooli.xyz,active\n"
)
COMPANIES = {
    "acme.io": {"industry": "Anvils", "employees": 120},
    "initech.dev": {"industry": "Software", "employees": 45},
}
PAGES = {"orders": [[{"id": 1}, {"id": 2}], [{"id": 3}]], "refunds": [[{"id": 9}]]}


def _json(value: Any, status: int = 200) -> Reply:
    return Reply(status, [("content-type", "application/json")], json.dumps(value).encode())


def _page(hit: Hit, collection: str) -> Reply:
    page = int(parse_qs(urlsplit(hit.target).query)["page"][0])
    pages = PAGES[collection]
    more = page < len(pages)
    return _json({"items": pages[page - 1], "next": page + 1 if more else None})


@pytest.fixture
def world() -> Iterator[LocalServer]:
    routes: dict[str, Any] = {
        "/customers.csv": lambda hit: Reply(
            200, [("content-type", "text/csv")], CUSTOMERS.encode()
        ),
        "/docs/handbook.pdf": lambda hit: Reply(
            200,
            [("content-type", "application/pdf")],
            build_pdf(["Raikoo handbook", "Workflows run durably."]),
        ),
        "/docs/faq.html": lambda hit: Reply(
            200,
            [("content-type", "text/html")],
            b"<html><head><title>FAQ</title></head><body><h1>FAQ</h1>"
            + b"<p>Does it survive crashes? Yes. </p>" * 40
            + b"</body></html>",
        ),
        "/cms/posts": lambda hit: _json({"id": 7}, 201),
        "/cms/notifications": lambda hit: _json({"ok": True}),
        "/pager": lambda hit: _json({"paged": True}),
        "/orders": lambda hit: _page(hit, "orders"),
        "/refunds": lambda hit: _page(hit, "refunds"),
    }
    for domain, company in COMPANIES.items():
        routes[f"/companies/{domain}"] = lambda hit, company=company: _json(company)
    with server_factory() as make:
        yield make(routes)


@pytest.fixture
async def api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, world: LocalServer
) -> AsyncIterator[Api]:
    monkeypatch.setenv("RAIKOO_HTTP_ALLOW_HOSTS", json.dumps([f"127.0.0.1:{world.port}"]))
    current_settings.cache_clear()
    raikoo = EmbeddedRaikoo(data_dir=tmp_path, port=0)
    base_url = await raikoo.start()
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            yield Api(base_url, http)
    finally:
        await raikoo.stop()
        current_settings.cache_clear()


def example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return document


async def run_example(api: Api, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    created = await api.run({"definition": example(name), "inputs": inputs})
    run, _ = await api.finish(created["id"], timeout=60)
    assert run["state"] == "succeeded", run["error"]
    outputs: dict[str, Any] = run["outputs"]
    return outputs


async def test_csv_enrichment(api: Api, world: LocalServer) -> None:
    outputs = await run_example(
        api, "csv-enrichment.yaml", {"csv_url": world.url("/customers.csv"), "api": world.url("")}
    )
    assert outputs["customers"] == 3
    report = outputs["report"]
    assert "| Acme | acme.io | Anvils | 120 |" in report
    assert "| Initech | initech.dev | Software | 45 |" in report
    assert "Globex" not in report, "churned customers are filtered out"
    assert "_1 customer(s) could not be looked up._" in report, "hooli.xyz has no record"


async def test_document_digest(api: Api, world: LocalServer) -> None:
    urls = [world.url("/docs/handbook.pdf"), world.url("/docs/faq.html")]
    outputs = await run_example(api, "document-digest.yaml", {"urls": urls, "chunk_tokens": 60})
    pdf, html = outputs["documents"]
    assert pdf["format"] == "pdf"
    assert "Workflows run durably." in pdf["first_chunk"]
    assert html["format"] == "html"
    assert html["chunks"] > 1, "the long page is cut into several chunks"
    formats = {group["key"]: group for group in outputs["by_format"]}
    assert formats["html"]["chunks"] == html["chunks"]
    assert formats["pdf"]["urls"] == [urls[0]]


async def _approve(api: Api, run_id: str, decision: str) -> None:
    for _ in range(400):
        items = (await api.http.get(f"/v1/runs/{run_id}/approvals")).json()["items"]
        if items:
            break
        await asyncio.sleep(0.05)
    response = await api.http.post(
        f"/v1/runs/{run_id}/approvals/review", json={"decision": decision, "comment": "too long"}
    )
    assert response.status_code == 202, response.text


@pytest.mark.parametrize("decision", ["approve", "reject"])
async def test_approval_gated_publish(api: Api, world: LocalServer, decision: str) -> None:
    inputs = {"title": "Launch", "body": "We ship today.", "cms": world.url("/cms")}
    created = await api.run(
        {"definition": example("approval-gated-publish.yaml"), "inputs": inputs}
    )
    await _approve(api, created["id"], decision)
    run, _ = await api.finish(created["id"], timeout=60)
    assert run["state"] == "succeeded", run["error"]
    assert run["outputs"] == {"published": decision == "approve", "decided_by": "local-admin"}
    posted = {hit.path: json.loads(hit.body) for hit in world.hits if hit.method == "POST"}
    if decision == "approve":
        assert posted["/cms/posts"]["markdown"].startswith("# Launch")
        assert "/cms/notifications" not in posted
    else:
        assert posted["/cms/notifications"]["text"] == "'Launch' was not published: too long"
        assert "/cms/posts" not in posted


async def test_ticket_triage(api: Api, world: LocalServer) -> None:
    tickets = [
        {"id": 1, "priority": "urgent", "team": "api", "title": "500s everywhere"},
        {"id": 2, "priority": "high", "team": "api", "title": "slow search"},
        {"id": 3, "priority": "low", "team": "web", "title": "typo"},
    ]
    outputs = await run_example(
        api, "ticket-triage.yaml", {"tickets": tickets, "pager": world.url("/pager")}
    )
    teams = {group["key"]: group for group in outputs["per_team"]}
    assert teams["api"]["tickets"] == [1, 2]
    assert teams["api"]["queues"] == ["paged", "today"]
    assert teams["web"]["queues"] == ["later"]
    paged = [json.loads(hit.body) for hit in world.hits if hit.path == "/pager"]
    assert paged == [{"ticket": 1, "title": "500s everywhere"}]
    assert "api: 2 ticket(s) — paged, today" in outputs["digest"]


async def test_paginated_export_calls_a_sub_workflow_per_collection(
    api: Api, world: LocalServer
) -> None:
    stored = await api.http.post("/v1/workflows", json=example("export-collection.yaml"))
    assert stored.status_code == 201, stored.text
    outputs = await run_example(
        api,
        "paginated-export.yaml",
        {"api": world.url(""), "collections": ["orders", "refunds"]},
    )
    orders, refunds = outputs["files"]
    assert (orders["collection"], orders["rows"]) == ("orders", 3)
    assert orders["csv"].splitlines() == ["id", "1", "2", "3"]
    assert (refunds["collection"], refunds["rows"]) == ("refunds", 1)


def test_every_example_is_exercised() -> None:
    covered = {
        "quickstart.yaml",  # tests/integration/test_cli.py
        "csv-enrichment.yaml",
        "document-digest.yaml",
        "approval-gated-publish.yaml",
        "ticket-triage.yaml",
        "paginated-export.yaml",
        "export-collection.yaml",
    }
    assert {path.name for path in EXAMPLES.glob("*.yaml")} == covered


async def test_secrets_reach_the_runner_only_and_are_masked_in_outputs(
    api: Api, world: LocalServer
) -> None:
    secret = "s3cr3t-t0ken-value"
    stored = await api.http.put("/v1/secrets/API_TOKEN", json={"value": secret})
    assert stored.status_code == 204, stored.text
    names = (await api.http.get("/v1/secrets")).json()["items"]
    assert names == [{"name": "API_TOKEN"}], "names are listed, values never"
    definition = {
        "name": "uses-a-secret",
        "operations": {
            "call": {
                "uses": "http.request",
                "with": {
                    "url": world.url("/pager"),
                    "method": "POST",
                    "headers": {"Authorization": "Bearer {{ secrets.API_TOKEN }}"},
                    "json": {"echo": "token={{ secrets.API_TOKEN }}"},
                },
            },
            "leak": {"uses": "set", "with": {"said": "{{ secrets.API_TOKEN }}"}},
            "missing": {"uses": "set", "with": {"x": "{{ secrets.NOPE }}"}},
        },
    }
    created = await api.run({"definition": definition})
    run, events = await api.finish(created["id"])
    [hit] = [h for h in world.hits if h.path == "/pager"]
    assert hit.headers["authorization"] == f"Bearer {secret}", "the runner resolved it"
    ops = {
        op["key"]: op
        for op in (await api.http.get(f"/v1/runs/{created['id']}/operations")).json()["items"]
    }
    assert ops["leak"]["output"] == {"said": "***"}
    assert ops["missing"]["state"] == "failed"
    assert ops["missing"]["error"]["kind"] == "secret_unavailable"
    assert "NOPE" in ops["missing"]["error"]["message"]
    everything = json.dumps([run, events, ops])
    assert secret not in everything, "no output, event or error carries the value"
