"""The guarded transport against real loopback servers: pinning, TLS names, zero leaks."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from ipaddress import ip_address
from pathlib import Path

import httpx
import pytest

from raikoo_common.net import (
    AllowList,
    BlockedDestination,
    EgressGuard,
    GuardedTransport,
    IPAddress,
)
from tests.unit.net._servers import LocalServer, json_reply, server_factory
from tests.unit.net._tls import tls_contexts

Make = Callable[..., LocalServer]


@pytest.fixture
def make() -> Iterator[Make]:
    with server_factory() as factory:
        yield factory


class ScriptedDns:
    """Answers each question with the next scripted answer: a rebinding DNS server."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[IPAddress]:
        self.questions.append(host)
        return [ip_address(a) for a in self.answers.pop(0)]


def _client(guard: EgressGuard, ssl_context: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    transport = GuardedTransport(guard, ssl_context=ssl_context)
    return httpx.AsyncClient(transport=transport, trust_env=False)


async def test_connection_goes_to_the_checked_address_not_a_second_answer(make: Make) -> None:
    checked = make({"/": json_reply(b'{"server": "checked"}')}, host="127.0.0.1")
    rebound = make({"/": json_reply(b'{"server": "rebound"}')}, host="127.0.0.2", port=checked.port)
    dns = ScriptedDns(["127.0.0.1"], ["127.0.0.2"])
    guard = EgressGuard(AllowList(["127.0.0.1"]), resolver=dns)

    async with _client(guard) as client:
        response = await client.get(f"http://pinned.test:{checked.port}/")

    assert response.json() == {"server": "checked"}
    assert dns.questions == ["pinned.test"]  # resolved once, by the guard only
    assert [hit.headers["host"] for hit in checked.hits] == [f"pinned.test:{checked.port}"]
    assert rebound.hits == []

    # A new connection asks again; the rebound answer is checked too, and refused.
    async with _client(guard) as client:
        with pytest.raises(BlockedDestination, match=r"pinned\.test resolves to 127\.0\.0\.2"):
            await client.get(f"http://pinned.test:{checked.port}/")
    assert rebound.hits == []


async def test_next_checked_address_is_tried_when_one_refuses(make: Make) -> None:
    server = make({"/": json_reply(b"{}")}, host="127.0.0.1")
    with socket.socket() as closed:  # an address:port where nothing listens
        closed.bind(("127.0.0.3", server.port))
    guard = EgressGuard(
        AllowList(["127.0.0.0/8"]), resolver=ScriptedDns(["127.0.0.3", "127.0.0.1"])
    )
    async with _client(guard) as client:
        response = await client.get(f"http://multi.test:{server.port}/")
    assert response.status_code == 200
    assert len(server.hits) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://2130706433:{port}/",
        "http://0x7f.1:{port}/",
        "http://127.1:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://public.test@127.0.0.1:{port}/",
    ],
)
async def test_loopback_canary_is_never_reached(make: Make, url: str) -> None:
    canary = make({"/": json_reply(b"{}")})
    async with _client(EgressGuard()) as client:
        with pytest.raises(BlockedDestination):
            await client.get(url.format(port=canary.port))
    assert canary.hits == []


async def test_tls_uses_the_host_name_for_sni_and_certificate(make: Make, tmp_path: Path) -> None:
    trust, server_context = tls_contexts("pinned.test", tmp_path)
    server = make({"/": json_reply(b'{"tls": true}')}, ssl_context=server_context)
    guard = EgressGuard(
        AllowList([f"127.0.0.1:{server.port}"]),
        resolver=ScriptedDns(["127.0.0.1"], ["127.0.0.1"]),
    )
    async with _client(guard, trust) as client:
        response = await client.get(f"https://pinned.test:{server.port}/")
        assert response.json() == {"tls": True}
        assert server.sni_names == ["pinned.test"]
        assert server.hits[0].headers["host"] == f"pinned.test:{server.port}"
        # Same address, other name: verification is against the name, so it must fail.
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(f"https://impostor.test:{server.port}/")
    assert len(server.hits) == 1
