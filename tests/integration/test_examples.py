"""Every bundled example runs exactly as the command in its header comment says — the
``raikoo`` CLI as a separate process, its placeholders (``…``) filled in — against a local
HTTP service standing in for the outside world (the SSRF guard lets 127.0.0.1 through here
only because the test allow-lists it, as an operator would for an internal service)."""

from __future__ import annotations

import json
import shlex
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from raikoo_op_runner.settings import current_settings
from tests._embedded import embedded_client
from tests.integration._api import Api
from tests.integration._cli import (
    ROOT,
    key_headers,
    nowhere,
    raikoo,
    raikoo_running,
    raikoo_up,
    stderr_until,
)
from tests.unit.kinds._documents import build_pdf
from tests.unit.net._servers import Hit, LocalServer, Reply, server_factory

EXAMPLES = ROOT / "examples"

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


@pytest.fixture(scope="module")
def outside() -> Iterator[LocalServer]:
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
def world(outside: LocalServer) -> LocalServer:
    outside.hits.clear()  # what this test's run did, only
    return outside


def allowing(server: LocalServer) -> dict[str, str]:
    return {"RAIKOO_HTTP_ALLOW_HOSTS": json.dumps([f"127.0.0.1:{server.port}"])}


@pytest.fixture(scope="module")
def server(outside: LocalServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `raikoo up` the examples' commands find (RAIKOO_SERVER_URL), as a user's would be."""
    data_dir = tmp_path_factory.mktemp("up")
    with raikoo_up(data_dir, data_dir / "up.log", env=allowing(outside)) as (url, _):
        yield url


def header_commands(name: str) -> list[list[str]]:
    """The ``raikoo …`` commands in the example's header comment, as argument lists (a
    command goes on over the next comment lines while a quote is open or a line ends in
    a backslash)."""
    lines = []
    for line in (EXAMPLES / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[1:].strip())
    commands: list[list[str]] = []
    index = 0
    while index < len(lines):
        text = lines[index]
        index += 1
        if not text.startswith("raikoo "):
            continue
        while True:
            try:
                if text.endswith("\\"):
                    raise ValueError("continued")
                commands.append(shlex.split(text))
                break
            except ValueError:
                assert index < len(lines), f"{name}: an unfinished command in the header"
                text = text.removesuffix("\\") + "\n" + lines[index]
                index += 1
    return commands


def header_run(name: str, fill: Mapping[str, str]) -> list[str]:
    """The header's ``raikoo run`` command with each placeholder filled in."""
    [command] = [argv for argv in header_commands(name) if argv[:2] == ["raikoo", "run"]]
    assert command[2] == f"examples/{name}", "the command runs the example itself"
    filled = []
    for arg in command[1:]:
        text = arg
        for placeholder, value in fill.items():
            text = text.replace(placeholder, value)
        filled.append(text)
    assert not [arg for arg in filled if "…" in arg], f"unfilled placeholders in {filled}"
    return filled


def run_example(
    name: str, fill: Mapping[str, str], server: str, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    result = raikoo(*header_run(name, fill), env={"RAIKOO_SERVER_URL": server, **(env or {})})
    assert result.returncode == 0, result.stderr
    outputs: dict[str, Any] = json.loads(result.stdout)
    return outputs


def test_quickstart(server: str) -> None:
    outputs = run_example("quickstart.yaml", {}, server)
    assert outputs == {"title": "Hello, Ada!", "lines": 3, "shout": "ADA"}


def test_csv_enrichment(server: str, world: LocalServer) -> None:
    fill = {
        "csv_url=https://…": f"csv_url={world.url('/customers.csv')}",
        "https://…": world.url(""),
    }
    outputs = run_example("csv-enrichment.yaml", fill, server)
    assert outputs["customers"] == 3
    report = outputs["report"]
    assert "| Acme | acme.io | Anvils | 120 |" in report
    assert "| Initech | initech.dev | Software | 45 |" in report
    assert "Globex" not in report, "churned customers are filtered out"
    assert "_1 customer(s) could not be looked up._" in report, "hooli.xyz has no record"


def test_document_digest(server: str, world: LocalServer) -> None:
    urls = [world.url("/docs/handbook.pdf"), world.url("/docs/faq.html")]
    fill = {"https://…/a.pdf": urls[0], "https://…/b.html": urls[1]}
    outputs = run_example("document-digest.yaml", fill, server)
    pdf, html = outputs["documents"]
    assert pdf["format"] == "pdf"
    assert "Workflows run durably." in pdf["first_chunk"]
    assert html["format"] == "html"
    assert html["chunks"] > 1, "the long page is cut into several chunks"
    formats = {group["key"]: group for group in outputs["by_format"]}
    assert formats["html"]["chunks"] == html["chunks"]
    assert formats["pdf"]["urls"] == [urls[0]]


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_approval_gated_publish(server: str, world: LocalServer, decision: str) -> None:
    name = "approval-gated-publish.yaml"
    [_, approve] = header_commands(name)
    assert approve[:2] == ["raikoo", "approve"], "the header says how to decide"
    fill = {
        "title=…": "title=Launch",
        "body=…": "body=We ship today.",
        "https://…": world.url("/cms"),
    }
    with raikoo_running(*header_run(name, fill), env={"RAIKOO_SERVER_URL": server}) as running:
        hint = shlex.split(stderr_until(running, "raikoo approve ").split("(or --reject)")[0])
        assert hint[2:] == [hint[2], "review", "--server", server], hint
        extra = ["--reject"] if decision == "reject" else []
        decided = raikoo(*hint[1:], *extra, "--comment", "too long")
        assert decided.returncode == 0, decided.stderr
        out, err = running.communicate(timeout=120)
    assert running.returncode == 0, err
    assert json.loads(out) == {"published": decision == "approve", "decided_by": "local admin"}
    posted = {hit.path: json.loads(hit.body) for hit in world.hits if hit.method == "POST"}
    if decision == "approve":
        assert posted["/cms/posts"]["markdown"].startswith("# Launch")
        assert "/cms/notifications" not in posted
    else:
        assert posted["/cms/notifications"]["text"] == "'Launch' was not published: too long"
        assert "/cms/posts" not in posted


def test_ticket_triage(server: str, world: LocalServer) -> None:
    outputs = run_example("ticket-triage.yaml", {"https://…": world.url("/pager")}, server)
    teams = {group["key"]: group for group in outputs["per_team"]}
    assert teams["api"]["tickets"] == [1, 2]
    assert teams["api"]["queues"] == ["paged", "today"]
    assert teams["web"]["queues"] == ["later"]
    paged = [json.loads(hit.body) for hit in world.hits if hit.path == "/pager"]
    assert paged == [{"ticket": 1, "title": "500s everywhere"}]
    assert "api: 2 ticket(s) — paged, today" in outputs["digest"]


def check_export(outputs: dict[str, Any]) -> None:
    orders, refunds = outputs["files"]
    assert (orders["collection"], orders["rows"]) == ("orders", 3)
    assert orders["csv"].splitlines() == ["id", "1", "2", "3"]
    assert (refunds["collection"], refunds["rows"]) == ("refunds", 1)


def test_paginated_export_stores_the_sub_workflow_beside_it_and_calls_it(
    server: str, world: LocalServer
) -> None:
    check_export(run_example("paginated-export.yaml", {"https://…": world.url("")}, server))
    stored = httpx.get(f"{server}/v1/workflows/export-collection", headers=key_headers(server))
    stored = stored.json()
    assert stored["definition"]["name"] == "export-collection"


def test_paginated_export_in_process_as_a_newcomer_runs_it(
    world: LocalServer, tmp_path: Path
) -> None:
    # No server, an empty data directory: nothing stored beforehand.
    env = {**allowing(world), "RAIKOO_DATA_DIR": str(tmp_path)}
    check_export(run_example("paginated-export.yaml", {"https://…": world.url("")}, nowhere(), env))


def test_export_collection_on_its_own(server: str, world: LocalServer) -> None:
    outputs = run_example("export-collection.yaml", {"https://…": world.url("")}, server)
    assert outputs["rows"] == 3


def test_ai_support_triage_as_a_dry_run(server: str) -> None:
    outputs = run_example("ai-support-triage.yaml", {}, server)
    assert outputs["dry_run"] is True
    assert [set(ticket) for ticket in outputs["tickets"]] == [{"label", "priority", "reply"}] * 2
    assert outputs["tickets"][0]["label"] in {"billing", "bug", "question", "feedback"}
    assert outputs["per_label"][0]["count"] == 2


def test_ai_research_agent_as_a_dry_run(server: str, world: LocalServer) -> None:
    outputs = run_example("ai-research-agent.yaml", {"https://…": world.url("/search")}, server)
    assert outputs["dry_run"] is True
    assert outputs["tools_offered"] == ["search", "digest"]
    assert outputs["answer"].startswith("Durable engines record every step")
    assert not [hit for hit in world.hits if hit.path == "/search"], "a dry run calls no tool"


def test_ai_document_qa_as_a_dry_run(server: str, world: LocalServer) -> None:
    fill = {"https://…/handbook.pdf": world.url("/docs/handbook.pdf")}
    outputs = run_example("ai-document-qa.yaml", fill, server)
    assert outputs["dry_run"] is True
    assert outputs["answer"] == "Yes: workflows run durably [1]."
    assert outputs["chunks"] >= 1
    assert sorted(outputs["excerpts"]) == list(range(min(3, outputs["chunks"])))


def test_an_ai_example_without_a_provider_says_how_to_configure_one(server: str) -> None:
    argv = [arg for arg in header_run("ai-support-triage.yaml", {}) if arg != "--dry-run"]
    result = raikoo(*argv, env={"RAIKOO_SERVER_URL": server})
    assert result.returncode != 0
    assert "no AI provider is configured" in result.stderr
    assert "RAIKOO_AI_API_KEY" in result.stderr
    assert "--dry-run" in result.stderr


def test_every_example_is_run_by_its_header_command() -> None:
    covered = {
        "ai-support-triage.yaml",
        "ai-research-agent.yaml",
        "ai-document-qa.yaml",
        "quickstart.yaml",
        "csv-enrichment.yaml",
        "document-digest.yaml",
        "approval-gated-publish.yaml",
        "ticket-triage.yaml",
        "paginated-export.yaml",
        "export-collection.yaml",
    }
    assert {path.name for path in EXAMPLES.glob("*.yaml")} == covered
    for name in covered:
        assert header_run(name, {"…": "x"})[0] == "run"


@pytest.fixture
async def api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, world: LocalServer
) -> AsyncIterator[Api]:
    monkeypatch.setenv("RAIKOO_HTTP_ALLOW_HOSTS", json.dumps([f"127.0.0.1:{world.port}"]))
    current_settings.cache_clear()
    try:
        async with embedded_client(tmp_path) as (raikoo, http):
            yield Api(raikoo.base_url, http, raikoo.local_admin_key)
    finally:
        current_settings.cache_clear()


async def test_secrets_reach_the_runner_only_and_are_masked_in_outputs(
    api: Api, world: LocalServer
) -> None:
    secret = "s3cr3t-t0ken-value"
    stored = await api.http.put("/v1/secrets/API_TOKEN", json={"value": secret})
    assert stored.status_code == 204, stored.text
    names = (await api.http.get("/v1/secrets")).json()["items"]
    assert [(n["name"], n["scope"]) for n in names] == [("API_TOKEN", "organization")]
    assert secret not in json.dumps(names), "names are listed, values never"
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
            "missing": {
                "uses": "http.request",
                "with": {"url": world.url("/pager"), "headers": {"X-Key": "{{ secrets.NOPE }}"}},
            },
        },
    }
    leaking = {
        "name": "reads-a-secret",
        "operations": {"leak": {"uses": "set", "with": {"said": "{{ secrets.API_TOKEN }}"}}},
    }
    refused = await api.http.post("/v1/runs", json={"definition": leaking})
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["errors"]
    assert problem["path"] == "operations.leak.with.said"
    assert "credential fields" in problem["message"]
    created = await api.run({"definition": definition})
    run, events = await api.finish(created["id"])
    [hit] = [h for h in world.hits if h.path == "/pager"]
    assert hit.headers["authorization"] == f"Bearer {secret}", "the runner resolved it"
    assert json.loads(hit.body) == {"echo": f"token={secret}"}
    ops = {
        op["key"]: op
        for op in (await api.http.get(f"/v1/runs/{created['id']}/operations")).json()["items"]
    }
    assert ops["missing"]["state"] == "failed"
    assert ops["missing"]["error"]["kind"] == "secret_unavailable"
    assert "NOPE" in ops["missing"]["error"]["message"]
    everything = json.dumps([run, events, ops])
    assert secret not in everything, "no output, event or error carries the value"
