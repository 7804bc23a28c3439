"""The Python SDK, sync and async, against a live ``raikoo up``: typed answers, pages,
problem documents as typed errors, idempotent run creation through a lost answer, and run
events resumed after a dropped connection without a gap or a repeat."""

from __future__ import annotations

import io
import json
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing
from pathlib import Path
from typing import Any

import pytest

from raikoo import (
    ApiError,
    AsyncClient,
    Client,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    RunEvent,
)
from raikoo.sdk import Unauthorized
from tests._budget import WAIT_SECONDS
from tests._proxy import cutting_proxy, once
from tests.integration._cli import raikoo_up_with_key


def hello(name: str, greeting: str = "Hello") -> dict[str, Any]:
    return {
        "name": name,
        "inputs": {"who": {"type": "string", "default": "world"}},
        "operations": {
            "greet": {"uses": "set", "with": {"text": greeting + ", {{ inputs.who }}!"}}
        },
        "outputs": {"text": "{{ ops.greet.output.text }}"},
    }


def chain(name: str, steps: int, pause: str = "150ms") -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for n in range(steps):
        operations[f"s{n}"] = {"uses": "sleep", "with": {"duration": pause}}
        if n:
            operations[f"s{n}"]["needs"] = [f"s{n - 1}"]
    return {"name": name, "operations": operations}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A ``raikoo up`` and its local admin (owner) key."""
    with raikoo_up_with_key(tmp_path_factory.mktemp("sdk")) as up:
        yield up


@pytest.fixture
def client(server: tuple[str, str]) -> Iterator[Client]:
    with Client(*server) as sync:
        yield sync


@pytest.fixture
async def aclient(server: tuple[str, str]) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(*server) as asynchronous:
        yield asynchronous


def test_sync_client_stores_runs_and_reads_back_typed_answers(client: Client) -> None:
    first = client.workflows.apply("sdk-hello", hello("sdk-hello"))
    again = client.workflows.apply("sdk-hello", hello("sdk-hello"))
    changed = client.workflows.create(hello("sdk-hello", "Hi"))
    assert (first.version, first.created) == (1, True)
    assert (again.version, again.created) == (1, False), "the same definition: nothing stored"
    assert (changed.version, changed.created) == (2, True)
    assert client.workflows.get("sdk-hello", 1).definition["operations"]["greet"]["uses"] == "set"
    assert [v.version for v in client.workflows.versions("sdk-hello")] == [2, 1]
    diff = client.workflows.diff("sdk-hello", 1)
    assert diff.changed_operations == ["greet"]
    assert "Hi, {{ inputs.who }}!" in diff.unified
    assert "name: sdk-hello" in client.workflows.export("sdk-hello", 1)

    run = client.runs.create("sdk-hello", version=1, inputs={"who": "Ada"})
    assert run.state == "queued"
    assert run.idempotency_key, "every run the SDK asks for carries a key of its own"
    done = client.runs.wait(run.id, timeout=WAIT_SECONDS)
    assert (done.state, done.outputs) == ("succeeded", {"text": "Hello, Ada!"})
    assert done.workflow.version == 1
    assert [(op.key, op.state) for op in client.runs.operations(run.id)] == [("greet", "succeeded")]
    listed = client.runs.list(workflow="sdk-hello", state="succeeded").all()
    assert run.id in [summary.id for summary in listed]
    assert client.runs.list(workflow="sdk-hello", state="failed").all() == []
    me = client.me()
    assert (me.role, me.organization, me.project_bound) == ("owner", "default", False)
    assert "set" in [kind["name"] for kind in client.operation_kinds()]
    assert client.organization().slug == "default"
    assert [project.slug for project in client.projects.list()] == ["default"]


async def test_async_client_follows_decides_and_cancels(aclient: AsyncClient) -> None:
    gated = {
        "name": "sdk-gated",
        "operations": {
            "review": {"uses": "wait.approval", "with": {"message": "Ship it?"}},
            "ship": {
                "uses": "set",
                "needs": ["review"],
                "with": {"by": "{{ ops.review.output.decided_by }}"},
            },
        },
        "outputs": {"by": "{{ ops.ship.output.by }}"},
    }
    await aclient.workflows.apply("sdk-gated", gated)
    run = await aclient.runs.create("sdk-gated")
    async with aclosing(aclient.runs.events(run.id)) as events:  # closed when left early
        async for event in events:
            if event.data.get("op_key") == "review" and event.data.get("state") == "waiting":
                break
    [approval] = await aclient.runs.approvals(run.id)
    assert (approval.op_key, approval.message, approval.required_role) == (
        "review",
        "Ship it?",
        None,
    )
    decision = await aclient.runs.decide(run.id, "review", "approve", "fine")
    assert (decision.decision, decision.decided_by) == ("approve", "local admin")
    done = await aclient.runs.wait(run.id, timeout=WAIT_SECONDS)
    assert (done.state, done.outputs) == ("succeeded", {"by": "local admin"})

    slow = await aclient.runs.create(definition=chain("sdk-slow", 1, "60s"))
    asked = await aclient.runs.cancel(slow.id, "wrong inputs")
    assert asked.id == slow.id
    cancelled = await aclient.runs.wait(slow.id, timeout=WAIT_SECONDS)
    assert cancelled.state == "cancelled"
    with pytest.raises(Conflict) as refused:
        await aclient.runs.cancel(slow.id)
    assert refused.value["state"] == "cancelled"
    assert "is cancelled" in refused.value.detail


async def test_pagers_read_every_item_across_cursors(client: Client, aclient: AsyncClient) -> None:
    names = [f"sdk-page-{n}" for n in range(7)]
    for name in names:
        client.workflows.create(hello(name))
    pager = client.workflows.list(prefix="sdk-page-", page_size=3)
    assert [len(page.items) for page in pager.pages()] == [3, 3, 1]
    assert [w.name for w in pager] == names
    first = pager.page()
    assert first.next_cursor is not None
    assert [w.name for w in pager.page(first.next_cursor).items] == names[3:6]
    apager = aclient.workflows.list(prefix="sdk-page-", page_size=2)
    assert [w.name async for w in apager] == names
    assert [len(page.items) async for page in apager.pages()] == [2, 2, 2, 1]


def test_problem_documents_become_typed_errors(client: Client, server: tuple[str, str]) -> None:
    with pytest.raises(NotFound) as missing:
        client.workflows.get("sdk-never-stored")
    assert (missing.value.status, missing.value.title) == (404, "Not found")
    assert "'sdk-never-stored' does not exist" in missing.value.detail
    with pytest.raises(InvalidRequest) as invalid:
        client.workflows.create("name: sdk-bad\noperations:\n  a: {uses: nope}\n")
    assert invalid.value.status == 422
    assert invalid.value.errors[0]["path"] == "operations.a.uses"
    assert invalid.value.errors[0]["line"] == 3
    typed = {**chain("sdk-typed", 1), "inputs": {"n": {"type": "integer"}}}
    client.workflows.apply("sdk-typed", typed)
    with pytest.raises(InvalidRequest) as inputs:
        client.runs.create("sdk-typed", inputs={"n": "three"})
    assert inputs.value.errors[0]["path"].startswith("inputs.n")

    viewer = client.keys.create("sdk-viewer", "viewer")
    assert viewer.key.startswith(viewer.prefix)
    with Client(server[0], viewer.key) as as_viewer:
        assert as_viewer.me().role == "viewer"
        with pytest.raises(Forbidden) as forbidden:
            as_viewer.runs.create("sdk-typed", inputs={"n": 1})
        assert forbidden.value.status == 403
        assert viewer.id in [key.id for key in client.keys.list()]
        client.keys.revoke(viewer.id)
        with pytest.raises(Unauthorized):
            as_viewer.me()
    revoked = next(key for key in client.keys.list() if key.id == viewer.id)
    assert revoked.revoked_at is not None
    with Client(server[0], "rk_wrongwrong_" + "x" * 32) as stranger, pytest.raises(ApiError) as exc:
        stranger.me()
    assert isinstance(exc.value, Unauthorized)


def test_secrets_are_written_listed_and_deleted_never_read(client: Client) -> None:
    client.secrets.set("SDK_TOKEN", "sdk-value-never-shown")
    listed = client.secrets.list().all()
    assert [(s.name, s.scope) for s in listed if s.name == "SDK_TOKEN"] == [
        ("SDK_TOKEN", "organization")
    ]
    assert "sdk-value-never-shown" not in str([s.model_dump() for s in listed])
    client.secrets.delete("SDK_TOKEN")
    assert "SDK_TOKEN" not in [s.name for s in client.secrets.list()]
    with pytest.raises(InvalidRequest):
        client.secrets.set("SDK_SHORT", "abc")


def test_run_creation_is_idempotent_even_when_the_answer_is_lost(
    client: Client, server: tuple[str, str]
) -> None:
    client.workflows.apply("sdk-once", hello("sdk-once"))
    first = client.runs.create("sdk-once", inputs={"who": "Ada"}, idempotency_key="sdk-k1")
    again = client.runs.create("sdk-once", inputs={"who": "Ada"}, idempotency_key="sdk-k1")
    assert again.id == first.id
    with pytest.raises(Conflict) as reused:
        client.runs.create("sdk-once", inputs={"who": "Bob"}, idempotency_key="sdk-k1")
    assert reused.value["run_id"] == str(first.id)

    # The gateway starts the run, then the connection drops before its answer arrives:
    # the client sends the request again with the same key and gets that run.
    port = int(server[0].rsplit(":", 1)[1])
    with cutting_proxy(port, once(b"POST /v1/runs", lambda passed: True)) as proxy:
        with Client(proxy.url, server[1]) as through:
            run = through.runs.create("sdk-once", inputs={"who": "Cy"})
        posts = proxy.requests_to(b"POST /v1/runs")
    assert len(posts) == 2, "sent again after the lost answer"
    keys = {re.search(rb"(?i)idempotency-key: (\S+)", head).group(1) for head in posts}  # type: ignore[union-attr]
    assert len(keys) == 1, "with the same key"
    runs = [r for r in client.runs.list(workflow="sdk-once") if r.inputs == {"who": "Cy"}]
    assert [r.id for r in runs] == [run.id], "one run, not two"
    assert client.runs.wait(run.id, timeout=WAIT_SECONDS).outputs == {"text": "Hello, Cy!"}


def _contiguous(events: list[RunEvent]) -> list[int]:
    ids = [event.id for event in events if event.id is not None]
    assert ids == list(range(1, len(ids) + 1)), f"a gap or a repeat: {ids}"
    assert events[-1].final
    assert events[-1].data["state"] == "succeeded"
    return ids


def _resumed_after(proxy_heads: list[bytes], ids: list[int]) -> None:
    assert len(proxy_heads) == 2, "the stream was cut once and resumed once"
    resumed = re.search(rb"(?i)last-event-id: (\d+)", proxy_heads[1])
    assert resumed is not None, proxy_heads[1]
    assert 1 <= int(resumed.group(1)) < ids[-1]


def test_sync_events_resume_after_a_dropped_connection(
    client: Client, server: tuple[str, str]
) -> None:
    run = client.runs.create(definition=chain("sdk-chain", 4))
    port = int(server[0].rsplit(":", 1)[1])
    cut = once(b"/events", lambda passed: b"\nid: " in passed)
    with cutting_proxy(port, cut) as proxy, Client(proxy.url, server[1]) as through:
        events = list(through.runs.events(run.id, timeout=WAIT_SECONDS))
        heads = proxy.requests_to(b"/events")
    _resumed_after(heads, _contiguous(events))
    finished = [e.data.get("op_key") for e in events if e.data.get("state") == "succeeded"]
    assert finished == ["s0", "s1", "s2", "s3", None], "every end once, the run's last"


async def test_async_events_resume_after_a_dropped_connection(
    aclient: AsyncClient, server: tuple[str, str]
) -> None:
    run = await aclient.runs.create(definition=chain("sdk-chain", 4))
    port = int(server[0].rsplit(":", 1)[1])
    cut = once(b"/events", lambda passed: b"\nid: " in passed)
    with cutting_proxy(port, cut) as proxy:
        async with AsyncClient(proxy.url, server[1]) as through:
            events = [event async for event in through.runs.events(run.id)]
        heads = proxy.requests_to(b"/events")
    _resumed_after(heads, _contiguous(events))


def test_wait_gives_up_at_its_timeout(client: Client) -> None:
    run = client.runs.create(definition=chain("sdk-slow", 1, "60s"))
    with pytest.raises(TimeoutError):
        client.runs.wait(run.id, timeout=0.5)
    client.runs.cancel(run.id)


def test_a_profile_gives_the_server_and_the_key(
    server: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from raikoo.profiles import Profile, save_profile

    config = tmp_path / "config.toml"
    save_profile(config, Profile("sdk", server[0], server[1]))
    monkeypatch.setenv("RAIKOO_CONFIG_FILE", str(config))
    monkeypatch.delenv("RAIKOO_API_KEY", raising=False)
    monkeypatch.delenv("RAIKOO_SERVER_URL", raising=False)
    monkeypatch.setenv("RAIKOO_DATA_DIR", str(tmp_path / "no-local-key"))
    with Client(profile="sdk") as client:
        assert client.base_url == server[0]
        assert client.me().role == "owner"
    monkeypatch.setenv("RAIKOO_PROFILE", "sdk")
    with Client() as client:
        assert client.me().name == "local admin"
    # Another server named explicitly does not get the profile's key.
    other = server[0].replace("127.0.0.1", "localhost")
    with Client(other) as client, pytest.raises(Unauthorized):
        client.me()


async def test_artifacts_download_to_a_file_or_a_stream(
    client: Client, aclient: AsyncClient, tmp_path: Path
) -> None:
    big = {
        "name": "sdk-big",
        "operations": {"big": {"uses": "set", "with": {"text": "{{ 'x' * 100000 }}"}}},
        "outputs": {"text": "{{ ops.big.output.text }}"},
    }
    run = await aclient.runs.wait((await aclient.runs.create(definition=big)).id)
    assert run.outputs is not None
    reference = run.outputs["$artifact"]
    written = client.runs.download(run.id, reference["key"], tmp_path / "outputs.json")
    assert written == reference["size"]
    assert json.loads((tmp_path / "outputs.json").read_bytes()) == {"text": "x" * 100000}
    buffer = io.BytesIO()
    relative = reference["key"].split("/", 2)[2]  # the part after the organization and run
    assert await aclient.runs.download(run.id, relative, buffer) == reference["size"]
    assert buffer.getvalue() == (tmp_path / "outputs.json").read_bytes()
    with pytest.raises(NotFound):
        client.runs.download(run.id, "nope/output.json", tmp_path / "nope")
    assert not (tmp_path / "nope").exists(), "nothing written for a missing artifact"


def _python_block(document: str, heading: str) -> str:
    section = document.split(f"\n## {heading}\n", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_examples_of_docs_sdk_md_run_as_written(
    server: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    document = (Path(__file__).parents[2] / "docs" / "sdk.md").read_text(encoding="utf-8")
    monkeypatch.setenv("RAIKOO_SERVER_URL", server[0])
    monkeypatch.setenv("RAIKOO_API_KEY", server[1])
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(_python_block(document, "A complete synchronous example"), namespace)
    exec(_python_block(document, "The same with asyncio"), namespace)
    printed = capsys.readouterr().out
    assert "{'text': 'Hello, Ada!'}" in printed
    assert "greet succeeded 1" in printed
    assert "[{'text': 'Hello, Ada!'}, {'text': 'Hello, Bob!'}]" in printed
