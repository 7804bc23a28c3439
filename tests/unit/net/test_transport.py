"""The guarded transports against real loopback servers: pinning, TLS names, zero leaks.

Every test runs on both HTTP stacks: ``httpx`` with ``GuardedTransport`` (operations,
webhooks, HTTP tools) and ``httpx2`` with the AI runner's ``Guarded2Transport`` (the
``openai`` and ``mcp`` SDKs)."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from ipaddress import ip_address
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import httpx2
import pytest

from raikoo_ai_runner.providers._egress import Guarded2Transport
from raikoo_common.net import (
    AllowList,
    BlockedDestination,
    EgressGuard,
    GuardedTransport,
    IPAddress,
)
from tests.unit.net._servers import LocalServer, Reply, json_reply, server_factory
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


Client = Callable[..., Any]
"""(guard, ssl_context=None) -> an async client of one stack, guarded."""


def _httpx(guard: EgressGuard, ssl_context: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    transport = GuardedTransport(guard, ssl_context=ssl_context)
    return httpx.AsyncClient(transport=transport, trust_env=False)


def _httpx2(guard: EgressGuard, ssl_context: ssl.SSLContext | None = None) -> httpx2.AsyncClient:
    transport = Guarded2Transport(guard, ssl_context=ssl_context)
    return httpx2.AsyncClient(transport=transport, trust_env=False)


STACKS: dict[str, tuple[Client, ModuleType]] = {
    "httpx": (_httpx, httpx),
    "httpx2": (_httpx2, httpx2),
}


@pytest.fixture(params=sorted(STACKS))
def stack(request: pytest.FixtureRequest) -> tuple[Client, ModuleType]:
    """A client factory and the module whose error classes it raises."""
    return STACKS[request.param]


@pytest.fixture
def client_for(stack: tuple[Client, ModuleType]) -> Client:
    return stack[0]


async def test_connection_goes_to_the_checked_address_not_a_second_answer(
    make: Make, client_for: Client
) -> None:
    checked = make({"/": json_reply(b'{"server": "checked"}')}, host="127.0.0.1")
    rebound = make({"/": json_reply(b'{"server": "rebound"}')}, host="127.0.0.2", port=checked.port)
    dns = ScriptedDns(["127.0.0.1"], ["127.0.0.2"])
    guard = EgressGuard(AllowList(["127.0.0.1"]), resolver=dns)

    async with client_for(guard) as client:
        response = await client.get(f"http://pinned.test:{checked.port}/")

    assert response.json() == {"server": "checked"}
    assert dns.questions == ["pinned.test"]  # resolved once, by the guard only
    assert [hit.headers["host"] for hit in checked.hits] == [f"pinned.test:{checked.port}"]
    assert rebound.hits == []

    # A new connection asks again; the rebound answer is checked too, and refused.
    async with client_for(guard) as client:
        with pytest.raises(BlockedDestination, match=r"pinned\.test resolves to 127\.0\.0\.2"):
            await client.get(f"http://pinned.test:{checked.port}/")
    assert rebound.hits == []


async def test_next_checked_address_is_tried_when_one_refuses(
    make: Make, client_for: Client
) -> None:
    server = make({"/": json_reply(b"{}")}, host="127.0.0.1")
    with socket.socket() as closed:  # an address:port where nothing listens
        closed.bind(("127.0.0.3", server.port))
    guard = EgressGuard(
        AllowList(["127.0.0.0/8"]), resolver=ScriptedDns(["127.0.0.3", "127.0.0.1"])
    )
    async with client_for(guard) as client:
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
async def test_loopback_canary_is_never_reached(make: Make, url: str, client_for: Client) -> None:
    canary = make({"/": json_reply(b"{}")})
    async with client_for(EgressGuard()) as client:
        with pytest.raises(BlockedDestination):
            await client.get(url.format(port=canary.port))
    assert canary.hits == []


async def test_tls_uses_the_host_name_for_sni_and_certificate(
    make: Make, tmp_path: Path, stack: tuple[Client, ModuleType]
) -> None:
    client_for, errors = stack
    trust, server_context = tls_contexts("pinned.test", tmp_path)
    server = make({"/": json_reply(b'{"tls": true}')}, ssl_context=server_context)
    guard = EgressGuard(
        AllowList([f"127.0.0.1:{server.port}"]),
        resolver=ScriptedDns(["127.0.0.1"], ["127.0.0.1"]),
    )
    async with client_for(guard, trust) as client:
        response = await client.get(f"https://pinned.test:{server.port}/")
        assert response.json() == {"tls": True}
        assert server.sni_names == ["pinned.test"]
        assert server.hits[0].headers["host"] == f"pinned.test:{server.port}"
        # Same address, other name: verification is against the name, so it must fail.
        with pytest.raises(errors.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(f"https://impostor.test:{server.port}/")
    assert len(server.hits) == 1


async def test_errors_come_in_the_stacks_own_classes(
    make: Make, stack: tuple[Client, ModuleType]
) -> None:
    """The SDKs tell a timeout from a refused connection by these classes."""
    client_for, errors = stack
    slow = make({"/": lambda _: Reply(body=b"{}", delay=2.0)})
    with socket.socket() as closed:  # nothing listens here
        closed.bind(("127.0.0.1", 0))
        refused = closed.getsockname()[1]
    guard = EgressGuard(AllowList(["127.0.0.1"]))
    async with client_for(guard) as client:
        with pytest.raises(errors.ReadTimeout):
            await client.get(slow.url("/"), timeout=0.2)
        with pytest.raises(errors.ConnectError):
            await client.get(f"http://127.0.0.1:{refused}/")
        with pytest.raises(BlockedDestination):
            await client.get("http://169.254.169.254/latest/meta-data/")


async def test_a_streamed_answer_arrives_whole(make: Make, client_for: Client) -> None:
    body = b"".join(b"data: %d\n\n" % i for i in range(200))
    server = make({"/stream": lambda _: Reply(body=body, declare_length=False)})
    guard = EgressGuard(AllowList(["127.0.0.1"]))
    async with client_for(guard) as client:
        for _ in range(3):
            async with client.stream("GET", server.url("/stream")) as response:
                received = b"".join([chunk async for chunk in response.aiter_bytes()])
            assert received == body
        response = await client.get(server.url("/stream"))
        assert response.content == body
    assert len(server.hits) == 4
