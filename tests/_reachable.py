"""A local server that operations of an in-process Raikoo may call."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from raikoo_op_runner.settings import current_settings
from tests.unit.net._servers import LocalServer, Route


@contextmanager
def reachable_server(
    monkeypatch: pytest.MonkeyPatch, routes: dict[str, Route]
) -> Iterator[LocalServer]:
    """Started, and allow-listed while inside: the SSRF guard refuses loopback otherwise."""
    server = LocalServer(routes).start()
    monkeypatch.setenv("RAIKOO_HTTP_ALLOW_HOSTS", json.dumps([f"{server.host}:{server.port}"]))
    current_settings.cache_clear()
    try:
        yield server
    finally:
        server.stop()
        current_settings.cache_clear()
