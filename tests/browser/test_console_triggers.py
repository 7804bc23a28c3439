"""The console's schedules, inbound hooks and outbound webhooks pages in real Chromium
(web/tests/browser/console.triggers.e2e.mjs) against a ``raikoo up`` started here, whose
outbound webhooks may reach a sink on loopback (``RAIKOO_WEBHOOK_ALLOW_HOSTS``): a schedule
refused for its cron and time zone with the problems on their fields, then made, paused and
resumed; a hook whose secret is shown once and signs a call that starts a run seen in the
runs list; a subscription whose deliveries reach the sink, are seen in the log and sent
again by hand. The deliveries the sink got verify with the secret the page showed.

Needs what test_console.py needs (Node packages, Chromium, a built console)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from tests._budget import WAIT_SECONDS
from tests.browser._console import browser_env, raikoo_up_serving, run_browser_script
from tests.unit.net._servers import Hit, LocalServer, Reply

SINK = "/sink"


@pytest.fixture
def sink() -> Iterator[LocalServer]:
    server = LocalServer({SINK: lambda hit: Reply(200)})

    def received(hit: Hit) -> Reply:
        ids = [h.headers.get("webhook-id") for h in server.hits if h.path == SINK]
        return Reply(200, [("content-type", "application/json")], json.dumps(ids).encode())

    server.routes["/received"] = received
    yield server.start()
    server.stop()


@pytest.fixture
def raikoo_up_with_sink(
    console_build: Path, tmp_path: Path, sink: LocalServer
) -> Iterator[tuple[str, str]]:
    settings = {
        "RAIKOO_WEBHOOK_ALLOW_HOSTS": json.dumps([f"{sink.host}:{sink.port}"]),
        "RAIKOO_WEBHOOK_POLL_SECONDS": "0.2",
    }
    with raikoo_up_serving(console_build, tmp_path, settings) as served:
        yield served


def test_console_manages_schedules_hooks_and_webhooks(
    raikoo_up_with_sink: tuple[str, str], sink: LocalServer, tmp_path: Path
) -> None:
    url, key = raikoo_up_with_sink
    env = {
        **browser_env(url, key, tmp_path),
        "SINK_URL": sink.url(SINK),
        "SINK_RECEIVED": sink.url("/received"),
    }
    out = run_browser_script("console.triggers.e2e.mjs", env, WAIT_SECONDS * 5)

    found = re.search(r"^subscription secret: (whsec_\S+)$", out, re.MULTILINE)
    assert found, out[-2000:]
    deliveries = [hit for hit in sink.hits if hit.path == SINK]
    assert deliveries
    for hit in deliveries:  # each one signed with the secret the page showed once
        event = Webhook(found[1]).verify(hit.body, hit.headers)
        assert event["type"] == "run.succeeded"
    sent = Counter(hit.headers["webhook-id"] for hit in deliveries)
    assert max(sent.values()) >= 2, sent  # sent again by hand, with the same webhook-id
