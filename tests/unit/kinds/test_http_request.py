"""``http.request`` against real loopback servers, opened for these tests by the allow list."""

from __future__ import annotations

import base64
import gzip
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from pydantic import ValidationError
from structlog.testing import capture_logs

from raikoo_common.net.retry import retry_after
from raikoo_common.runner import OperationContext, OperationError
from raikoo_common.storage import Artifacts, LocalBlobStore, as_artifact_ref
from raikoo_op_runner.kinds import catalog
from raikoo_op_runner.kinds._http_config import HttpRequestConfig, HttpResponseOutput
from raikoo_op_runner.kinds.http_request import execute
from raikoo_op_runner.settings import OpRunnerSettings, current_settings
from tests.unit.kinds._run import context as make_context
from tests.unit.net._servers import Hit, LocalServer, Reply, json_reply, redirect_to, server_factory
from tests.unit.net._tls import tls_contexts

ORG = uuid.UUID("00000000-0000-0000-0000-00000000000a")
OTHER_ORG = uuid.UUID("00000000-0000-0000-0000-00000000000b")
Make = Callable[..., LocalServer]


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("RAIKOO_HTTP_ALLOW_HOSTS", raising=False)
    monkeypatch.delenv("RAIKOO_HTTP_ORG_ALLOW_HOSTS", raising=False)
    current_settings.cache_clear()
    yield
    current_settings.cache_clear()


@pytest.fixture
def make() -> Iterator[Make]:
    with server_factory() as factory:
        yield factory


def allow(monkeypatch: pytest.MonkeyPatch, *servers: LocalServer, org: Any = None) -> None:
    entries = [f"{server.host}:{server.port}" for server in servers]
    monkeypatch.setenv("RAIKOO_HTTP_ALLOW_HOSTS", json.dumps(entries))
    if org is not None:
        monkeypatch.setenv("RAIKOO_HTTP_ORG_ALLOW_HOSTS", json.dumps(org))
    current_settings.cache_clear()


def context(org_id: uuid.UUID = ORG) -> OperationContext:
    return make_context("fetch", org_id)


async def call(org_id: uuid.UUID = ORG, **config: Any) -> HttpResponseOutput:
    return await execute(HttpRequestConfig.model_validate(config), context(org_id))


async def failure(org_id: uuid.UUID = ORG, **config: Any) -> OperationError:
    with pytest.raises(OperationError) as caught:
        await call(org_id, **config)
    return caught.value


def echo(hit: Hit) -> Reply:
    seen = {"method": hit.method, "target": hit.target, "body": hit.body.decode()}
    seen["content_type"] = hit.headers.get("content-type", "")
    seen["x_token"] = hit.headers.get("x-token", "")
    return Reply(
        200, [("content-type", "application/json"), ("X-Echo", "1")], json.dumps(seen).encode()
    )


# --- requests and responses ------------------------------------------------------------


async def test_get_json_with_query_and_headers(make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make({"/echo": echo})
    allow(monkeypatch, server)
    out = await call(
        url=server.url("/echo?fixed=1"),
        query={"q": "a b", "tag": ["x", "y"], "flag": True, "n": 3},
        headers={"X-Token": "s3cret"},
    )
    assert out.status == 200
    assert out.ok
    assert out.body_encoding == "json"
    assert out.headers["x-echo"] == "1"
    assert out.content_type == "application/json"
    assert out.attempts == 1
    assert out.redirects == []
    assert out.url.startswith(server.url("/echo?fixed=1&q="))
    target = out.body["target"]
    assert parse_qs(target.partition("?")[2]) == {
        "fixed": ["1"],
        "q": ["a b"],
        "tag": ["x", "y"],
        "flag": ["true"],
        "n": ["3"],
    }
    assert out.body["x_token"] == "s3cret"
    assert out.model_dump(mode="json")  # JSON-serialisable output


@pytest.mark.parametrize(
    ("extra", "content_type", "body"),
    [
        ({"json": {"a": [1, 2], "b": None}}, "application/json", '{"a":[1,2],"b":null}'),
        ({"json": None}, "application/json", "null"),
        (
            {"form": {"name": "Ada L", "tags": ["a", "b"]}},
            "application/x-www-form-urlencoded",
            "name=Ada+L&tags=a&tags=b",
        ),
        ({"body": "plain ünïcode"}, "text/plain; charset=utf-8", "plain ünïcode"),
        (
            {"body": "<x/>", "headers": {"Content-Type": "application/xml"}},
            "application/xml",
            "<x/>",
        ),
    ],
)
async def test_request_bodies(
    make: Make, monkeypatch: pytest.MonkeyPatch, extra: dict[str, Any], content_type: str, body: str
) -> None:
    server = make({"/echo": echo})
    allow(monkeypatch, server)
    out = await call(url=server.url("/echo"), method="POST", **extra)
    assert out.body["method"] == "POST"
    assert out.body["content_type"] == content_type
    assert out.body["body"] == body


@pytest.mark.parametrize(
    ("content_type", "payload", "mode", "encoding", "body"),
    [
        ("text/plain; charset=iso-8859-1", "café".encode("latin-1"), "auto", "text", "café"),
        ("text/csv", b"a,b\n1,2\n", "auto", "text", "a,b\n1,2\n"),
        ("application/problem+json", b'{"title": "x"}', "auto", "json", {"title": "x"}),
        ("image/png", b"\x89PNG\r\n\x1a\n\x00", "auto", "base64", "iVBORw0KGgoA"),
        ("application/json", b'{"a": 1}', "text", "text", '{"a": 1}'),
        ("application/json", b'{"a": 1}', "base64", "base64", "eyJhIjogMX0="),
        ("text/plain", b"[1, 2]", "json", "json", [1, 2]),
        ("application/json", b"", "auto", "json", None),
    ],
)
async def test_response_modes(
    make: Make,
    monkeypatch: pytest.MonkeyPatch,
    content_type: str,
    payload: bytes,
    mode: str,
    encoding: str,
    body: Any,
) -> None:
    server = make({"/": lambda hit: Reply(200, [("content-type", content_type)], payload)})
    allow(monkeypatch, server)
    out = await call(url=server.url("/"), response=mode)
    assert out.body_encoding == encoding
    assert out.body == body
    assert out.size_bytes == len(payload)


@pytest.mark.parametrize("mode", ["json", "auto"])
async def test_unparsable_json_is_an_invalid_response(
    make: Make, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    server = make({"/": json_reply(b"{not json")})
    allow(monkeypatch, server)
    error = await failure(url=server.url("/"), response=mode)
    assert error.kind == "invalid_response"
    assert not error.retryable
    assert "not valid JSON" in str(error)


async def test_undecodable_content_encoding_is_an_invalid_response(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/": lambda hit: Reply(200, [("content-encoding", "gzip")], b"not gzip")})
    allow(monkeypatch, server)
    error = await failure(url=server.url("/"))
    assert (error.kind, error.retryable) == ("invalid_response", False)
    assert "Content-Encoding" in str(error)


async def test_gzip_bodies_are_decoded_and_capped_after_decoding(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = gzip.compress(b"[" + b"0," * 50_000 + b"0]")  # ~100 kB of JSON, ~200 B on the wire
    headers = [("content-encoding", "gzip"), ("content-type", "application/json")]
    server = make({"/": lambda hit: Reply(200, headers, payload)})
    allow(monkeypatch, server)
    assert len((await call(url=server.url("/"))).body) == 50_001
    error = await failure(url=server.url("/"), max_response_bytes=10_000)
    assert error.kind == "response_too_large"


# --- retries and statuses --------------------------------------------------------------


async def test_429_with_retry_after_then_success(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([Reply(429, [("retry-after", "1")], b"slow down"), Reply(200, [], b"done")])
    server = make({"/": lambda hit: next(answers)})
    allow(monkeypatch, server)
    started = time.monotonic()
    with capture_logs() as logs:
        out = await call(url=server.url("/"), retry={"max_wait": 0.2})
    assert (out.status, out.body, out.attempts) == (200, "done", 2)
    assert len(server.hits) == 2
    assert time.monotonic() - started >= 0.2  # it waited
    delays = [log["delay"] for log in logs if log["event"] == "http.request retrying"]
    assert delays == [0.2]  # Retry-After said 1 s: capped by max_wait


async def test_retry_after_http_date_is_honoured(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    # HTTP dates have whole seconds: two seconds ahead is at least one second of waiting.
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    answers = iter([Reply(503, [("retry-after", soon)]), Reply(200, [], b"ok")])
    server = make({"/": lambda hit: next(answers)})
    allow(monkeypatch, server)
    started = time.monotonic()
    out = await call(url=server.url("/"), retry={"max_wait": 5})
    assert out.attempts == 2
    assert time.monotonic() - started >= 0.9


async def test_503_retries_exhausted(make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make(
        {"/api": lambda hit: Reply(503, [("content-type", "text/plain")], b"maintenance\n  window")}
    )
    allow(monkeypatch, server)
    error = await failure(
        url=server.url("/api?token=secret"), retry={"max_attempts": 3, "max_wait": 0.01}
    )
    assert len(server.hits) == 3
    assert error.kind == "http_status"
    assert error.retryable
    message = str(error)
    assert (
        f"GET {server.url('/api')} returned 503 Service Unavailable: maintenance window" == message
    )
    assert "secret" not in message


async def test_4xx_fails_at_once_and_is_not_retryable(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/": lambda hit: Reply(404, [], b"nothing here")})
    allow(monkeypatch, server)
    error = await failure(url=server.url("/"), method="DELETE")
    assert (error.kind, error.retryable, len(server.hits)) == ("http_status", False, 1)
    assert "DELETE" in str(error)
    assert "404 Not Found: nothing here" in str(error)


async def test_fail_on_status_false_returns_the_response(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/": json_reply(b'{"error": "gone"}', 410)})
    allow(monkeypatch, server)
    out = await call(url=server.url("/"), fail_on_status=False)
    assert (out.status, out.ok, out.reason, out.body) == (410, False, "Gone", {"error": "gone"})


async def test_connection_refused_is_retried_then_fails(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make()
    server.stop()  # its port now refuses connections
    allow(monkeypatch, server)
    error = await failure(url=server.url("/"), retry={"max_attempts": 2, "max_wait": 0.01})
    assert (error.kind, error.retryable) == ("connection", True)
    assert "ConnectError" in str(error)
    assert "attempt 2" in str(error)


async def test_certificates_are_verified_and_failures_not_retried(
    make: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, untrusted = tls_contexts("localhost", tmp_path)  # signed by a CA nobody trusts
    server = make({"/": json_reply(b"{}")}, ssl_context=untrusted)
    monkeypatch.setenv("RAIKOO_HTTP_ALLOW_HOSTS", json.dumps([f"localhost:{server.port}"]))
    error = await failure(url=server.url("/", host="localhost"), retry={"max_wait": 0.01})
    assert (error.kind, error.retryable) == ("connection", True)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)
    assert server.sni_names == ["localhost"]  # one handshake: no retry
    assert server.hits == []


def test_retry_after_parsing() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after("7", now) == 7
    assert retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


# --- limits ----------------------------------------------------------------------------


@pytest.mark.parametrize("declare_length", [True, False])
async def test_response_size_cap(
    make: Make, monkeypatch: pytest.MonkeyPatch, declare_length: bool
) -> None:
    big = b"x" * 300_000
    server = make({"/": lambda hit: Reply(200, [], big, declare_length=declare_length)})
    allow(monkeypatch, server)
    error = await failure(url=server.url("/"), max_response_bytes=100_000)
    assert (error.kind, error.retryable) == ("response_too_large", False)
    assert "100000" in str(error)
    out = await call(url=server.url("/"), max_response_bytes=len(big), response="text")
    assert out.size_bytes == len(big)


async def test_timeout(make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make({"/": lambda hit: Reply(200, [], b"late", delay=1.5)})
    allow(monkeypatch, server)
    error = await failure(url=server.url("/"), timeout=0.3)  # the answer comes after 1.5 s
    assert (error.kind, error.retryable) == ("timeout", True)
    assert "0.3s" in str(error)
    assert len(server.hits) == 1  # a timeout is not retried inside the operation


# --- redirects -------------------------------------------------------------------------


async def test_redirect_chain(make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make({})
    server.routes.update(
        {
            "/start": redirect_to("/middle", 301),
            "/middle": redirect_to(server.url("/submit"), 307),
            "/submit": redirect_to("/done?x=1", 303),
            "/done": echo,
        }
    )
    allow(monkeypatch, server)
    out = await call(url=server.url("/start"), method="POST", json={"k": "v"})
    assert out.url == server.url("/done?x=1")
    assert out.redirects == [server.url("/start"), server.url("/middle"), server.url("/submit")]
    # 301 turns POST into GET (RFC 9110), 307 keeps it, 303 turns it into GET.
    assert [hit.method for hit in server.hits] == ["POST", "GET", "GET", "GET"]
    assert out.body["method"] == "GET"


async def test_redirects_not_followed_on_request(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/": redirect_to("/next")})
    allow(monkeypatch, server)
    out = await call(url=server.url("/"), follow_redirects=False)
    assert (out.status, out.headers["location"], len(server.hits)) == (302, "/next", 1)


async def test_redirect_loop_stops(make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make({"/loop": redirect_to("/loop")})
    allow(monkeypatch, server)
    error = await failure(url=server.url("/loop"), max_redirects=3)
    assert (error.kind, len(server.hits)) == ("invalid_response", 4)
    assert "stopped after 3 redirects" in str(error)


# --- the SSRF guard --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://2130706433:{port}/",
        "http://0177.0.0.1:{port}/",
        "http://0177.1:{port}/",
        "http://0x7f.1:{port}/",
        "http://0x7f000001:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://allowed.example@127.0.0.1:{port}/",
    ],
)
async def test_canary_is_never_reached(
    make: Make, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    canary = make({"/": json_reply(b'{"leaked": true}')})
    other = make({"/": json_reply(b"{}")})
    allow(monkeypatch, other)  # the allow list is in use, just not for the canary
    error = await failure(url=url.format(port=canary.port))
    assert (error.kind, error.retryable) == ("blocked_url", False)
    assert "loopback" in str(error)
    assert canary.hits == []


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://127.0.0.1:{port}/", "127.0.0.1 is a loopback address"),
        ("http://localhost:{port}/", "localhost resolves to 127.0.0.1"),
        ("http://0x7f.1:{port}/", "0x7f.1 is 127.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "the cloud metadata address"),
        ("file:///etc/passwd", "'file' scheme"),
    ],
)
async def test_redirect_to_a_blocked_destination_is_refused(
    make: Make, monkeypatch: pytest.MonkeyPatch, location: str, reason: str
) -> None:
    canary = make({"/": json_reply(b'{"leaked": true}')})
    allowed = make({"/go": redirect_to(location.format(port=canary.port))})
    allow(monkeypatch, allowed)
    error = await failure(url=allowed.url("/go"))
    assert (error.kind, error.retryable) == ("blocked_url", False)
    assert "was redirected to" in str(error)
    assert reason in str(error)
    assert len(allowed.hits) == 1
    assert canary.hits == []


async def test_org_allow_list_opens_only_for_that_org(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/": json_reply(b"{}")})
    allow(monkeypatch, org={str(ORG): [f"127.0.0.1:{server.port}"]})
    assert (await call(ORG, url=server.url("/"))).status == 200
    error = await failure(OTHER_ORG, url=server.url("/"))
    assert error.kind == "blocked_url"
    assert "RAIKOO_HTTP_ALLOW_HOSTS" in str(error)
    assert len(server.hits) == 1


def test_allow_list_settings_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAIKOO_HTTP_ALLOW_HOSTS", '["api.internal:99999"]')
    with pytest.raises(ValidationError, match=r"api\.internal:99999"):
        OpRunnerSettings()
    monkeypatch.setenv("RAIKOO_HTTP_ALLOW_HOSTS", '["10.0.0.0/8", "*.corp.test"]')
    monkeypatch.setenv("RAIKOO_HTTP_ORG_ALLOW_HOSTS", json.dumps({str(ORG): ["http://x"]}))
    with pytest.raises(ValidationError, match=f"org {ORG}"):
        OpRunnerSettings()


async def test_header_values_are_not_logged(make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([Reply(503), Reply(200, [], b"ok")])
    server = make({"/": lambda hit: next(answers)})
    allow(monkeypatch, server)
    with capture_logs() as logs:
        await call(
            url=server.url("/"),
            headers={"Authorization": "Bearer top-secret"},
            retry={"max_wait": 0.01},
        )
    assert [entry["event"] for entry in logs] == ["http.request retrying", "http.request finished"]
    assert "top-secret" not in repr(logs)


# --- config ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "complaint"),
    [
        ({"url": "ftp://example.com/"}, "http:// or https://"),
        ({"url": "http://x.test", "json": {}, "body": "b"}, "at most one of json, form and body"),
        ({"url": "http://x.test", "headers": {"Bad Name": "v"}}, "not a valid HTTP token"),
        ({"url": "http://x.test", "headers": {"X-A": "v\r\nInjected: 1"}}, "line break"),
        ({"url": "http://x.test", "headers": {"Content-Length": "3"}}, "set from the body"),
        ({"url": "http://x.test", "retry": {"statuses": [200]}}, "greater than or equal to 400"),
        ({"url": "http://x.test", "timeout": 0}, "greater than 0"),
        ({"url": "http://x.test", "method": "TRACE"}, "GET"),
        ({"url": "http://x.test", "jsn": {}}, "Extra inputs"),
    ],
)
def test_invalid_config_is_named(config: dict[str, Any], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        HttpRequestConfig.model_validate(config)


def test_kind_is_registered_with_a_precise_schema() -> None:
    kind = catalog()["http.request"]
    schema = kind.describe()["config_schema"]
    properties = schema["properties"]
    assert schema["required"] == ["url"]
    assert properties["url"]["pattern"] == "^[Hh][Tt][Tt][Pp][Ss]?://"
    assert "json" in properties
    assert properties["method"]["enum"] == [
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD",
        "OPTIONS",
    ]
    assert properties["response"]["enum"] == ["auto", "json", "text", "base64", "artifact"]
    assert properties["timeout"]["exclusiveMinimum"] == 0
    assert all("description" in field for field in properties.values())


async def test_response_as_artifact_stores_the_bytes_in_the_operation_s_scope(
    make: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pdf = b"%PDF-1.4 not really a pdf \x00\xff" * 100
    server = make(
        {"/files/report.pdf": lambda hit: Reply(200, [("content-type", "application/pdf")], pdf)}
    )
    allow(monkeypatch, server)
    store = LocalBlobStore(tmp_path)
    scope = Artifacts(store, 65536).scope(ORG, uuid.uuid4(), "fetch", 2)
    config = HttpRequestConfig.model_validate(
        {"url": server.url("/files/report.pdf"), "response": "artifact"}
    )
    out = await execute(config, replace(context(), artifacts=scope))
    assert out.body_encoding == "artifact"
    ref = as_artifact_ref(out.body)
    assert ref is not None
    assert ref.key.startswith(f"{ORG}/{scope.run_id}/fetch.2/")
    assert (ref.name, ref.content_type, ref.size) == ("report.pdf", "application/pdf", len(pdf))
    _, data = await scope.read(out.body, max_bytes=10_000)
    assert data == pdf


async def test_response_as_artifact_without_a_store_is_a_config_error(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/x": lambda hit: Reply(200, [], b"x")})
    allow(monkeypatch, server)
    error = await failure(url=server.url("/x"), response="artifact")
    assert error.kind == "invalid_config"


async def test_response_as_artifact_makes_remote_names_and_types_safe(
    make: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reply = Reply(200, [("content-type", "text/html, text/html")], b"<p>x</p>")
    server = make({"/files/a%0Ab.html": lambda hit: reply})
    allow(monkeypatch, server)
    scope = Artifacts(LocalBlobStore(tmp_path), 65536).scope(ORG, uuid.uuid4(), "fetch", 1)
    config = HttpRequestConfig.model_validate(
        {"url": server.url("/files/a%0Ab.html"), "response": "artifact"}
    )
    out = await execute(config, replace(context(), artifacts=scope))
    ref = as_artifact_ref(out.body)
    assert ref is not None
    assert "\n" not in (ref.name or "")
    assert ref.content_type == "application/octet-stream"


# --- idempotency -----------------------------------------------------------------------


async def test_idempotency_key_is_the_same_for_every_try_of_one_attempt(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([Reply(503, [("retry-after", "0")]), Reply(200, [], b"ok"), Reply(200, [])])
    server = make({"/": lambda hit: next(answers)})
    allow(monkeypatch, server)
    ctx = context()
    config = HttpRequestConfig.model_validate(
        {"url": server.url("/"), "method": "POST", "idempotency_header": "Idempotency-Key"}
    )

    await execute(config, ctx)
    await execute(config, replace(ctx, attempt=2))

    keys = [hit.headers["idempotency-key"] for hit in server.hits]
    first_attempt = f"{ctx.op_run_id}:1"
    assert keys[:2] == [first_attempt, first_attempt]  # retried inside the attempt
    assert keys[2] == f"{ctx.op_run_id}:2"  # the operation's next attempt


async def test_idempotency_header_given_explicitly_wins(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/": lambda hit: Reply(200, [], b"ok")})
    allow(monkeypatch, server)
    await call(
        url=server.url("/"),
        headers={"Idempotency-Key": "mine"},
        idempotency_header="Idempotency-Key",
    )
    assert server.hits[0].headers["idempotency-key"] == "mine"


def test_idempotency_header_must_be_a_header_name() -> None:
    with pytest.raises(ValidationError, match="not a valid HTTP token"):
        HttpRequestConfig.model_validate({"url": "https://x.test/", "idempotency_header": "a b"})


# --- auth ----------------------------------------------------------------------------


async def test_auth_sends_basic_and_bearer_credentials(
    make: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make({"/": lambda hit: Reply(200, [], b"ok")})
    allow(monkeypatch, server)
    await call(url=server.url("/"), auth={"type": "basic", "username": "ada", "password": "p@ss"})
    await call(url=server.url("/"), auth={"type": "bearer", "token": "t-123"})
    basic, bearer = (hit.headers["authorization"] for hit in server.hits)
    assert basic == "Basic " + base64.b64encode(b"ada:p@ss").decode()
    assert bearer == "Bearer t-123"


def test_auth_and_an_authorization_header_are_not_both_given() -> None:
    with pytest.raises(ValidationError, match="not both"):
        HttpRequestConfig.model_validate(
            {
                "url": "https://x.test/",
                "auth": {"type": "bearer", "token": "t"},
                "headers": {"authorization": "Bearer u"},
            }
        )
