"""The guard's decisions: URL checks, resolution, mixed DNS answers and the allow list."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Sequence
from ipaddress import ip_address

import pytest

from raikoo_common.net import AllowList, BlockedDestination, EgressGuard, IPAddress, safe_url


class FakeDns:
    """A resolver with a fixed zone, recording each question."""

    def __init__(self, zone: dict[str, list[str]]) -> None:
        self.zone = zone
        self.questions: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> Sequence[IPAddress]:
        self.questions.append((host, port))
        if host not in self.zone:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} does not exist")
        return [ip_address(a) for a in self.zone[host]]


ZONE = {
    "public.test": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "private.test": ["10.0.0.5"],
    "rebind.test": ["93.184.215.14", "10.0.0.5"],
    "mapped.test": ["::ffff:169.254.169.254"],
    "internal.corp.test": ["10.20.30.40"],
    "two-private.test": ["10.0.0.5", "192.168.1.1"],
    "empty.test": [],
}


@pytest.fixture
def dns() -> FakeDns:
    return FakeDns(ZONE)


async def test_public_name_resolves_to_all_its_checked_addresses(dns: FakeDns) -> None:
    addresses = await EgressGuard(resolver=dns).resolve("public.test", 443)
    assert [str(a) for a in addresses] == ZONE["public.test"]


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("private.test", "private.test resolves to 10.0.0.5, a private address"),
        ("rebind.test", "rebind.test resolves to 10.0.0.5, a private address"),
        ("mapped.test", "IPv4-mapped form of 169.254.169.254, the cloud metadata address"),
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("2130706433", "2130706433 is 127.0.0.1, a loopback address"),
        ("0177.0.0.1", "0177.0.0.1 is 127.0.0.1, a loopback address"),
        ("0x7f.1", "0x7f.1 is 127.0.0.1, a loopback address"),
        ("[::ffff:127.0.0.1]", "IPv4-mapped form of 127.0.0.1, a loopback address"),
        ("::1", "::1 is a loopback address"),
        ("169.254.169.254", "the cloud metadata address"),
        ("0.0.0.0", "unspecified"),
    ],
)
async def test_blocked_hosts(dns: FakeDns, host: str, message: str) -> None:
    with pytest.raises(BlockedDestination) as caught:
        await EgressGuard(resolver=dns).resolve(host, 80)
    assert message in caught.value.reason
    assert caught.value.address is not None


async def test_numeric_forms_never_reach_the_resolver(dns: FakeDns) -> None:
    guard = EgressGuard(resolver=dns)
    for host in ("2130706433", "0x7f.1", "127.1", "8.8.8.8"):
        with contextlib.suppress(BlockedDestination):
            await guard.resolve(host, 80)
    assert dns.questions == []


async def test_unresolvable_name_raises_oserror(dns: FakeDns) -> None:
    with pytest.raises(OSError, match="does not exist"):
        await EgressGuard(resolver=dns).resolve("nowhere.test", 80)
    with pytest.raises(OSError, match="no addresses"):
        await EgressGuard(AllowList(["empty.test"]), resolver=dns).resolve("empty.test", 80)


async def test_system_resolver_blocks_localhost() -> None:
    with pytest.raises(BlockedDestination, match=r"localhost resolves to .*loopback"):
        await EgressGuard().resolve("localhost", 80)


async def test_allow_listed_name_reaches_its_private_addresses(dns: FakeDns) -> None:
    guard = EgressGuard(AllowList(["*.corp.test"]), resolver=dns)
    assert [str(a) for a in await guard.resolve("internal.corp.test", 443)] == ["10.20.30.40"]


async def test_allow_listed_name_with_port_opens_that_port_only(dns: FakeDns) -> None:
    guard = EgressGuard(AllowList(["internal.corp.test:8443"]), resolver=dns)
    assert await guard.resolve("internal.corp.test", 8443)
    with pytest.raises(BlockedDestination, match=r"10\.20\.30\.40, a private address"):
        await guard.resolve("internal.corp.test", 443)


async def test_allow_listed_range_opens_names_resolving_into_it(dns: FakeDns) -> None:
    guard = EgressGuard(AllowList(["10.0.0.0/8"]), resolver=dns)
    assert await guard.resolve("private.test", 80)
    assert await guard.resolve("rebind.test", 80)
    assert await guard.resolve("10.9.9.9", 80)


async def test_every_address_must_pass_not_just_one(dns: FakeDns) -> None:
    guard = EgressGuard(AllowList(["10.0.0.5"]), resolver=dns)
    with pytest.raises(BlockedDestination, match=r"192\.168\.1\.1, a private address"):
        await guard.resolve("two-private.test", 80)


async def test_allow_listed_name_does_not_open_its_numeric_aliases(dns: FakeDns) -> None:
    guard = EgressGuard(AllowList(["localhost"]), resolver=dns)
    with pytest.raises(BlockedDestination):
        await guard.resolve("127.0.0.1", 80)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/file", "'ftp' scheme"),
        ("file:///etc/passwd", "'file' scheme"),
        ("gopher://example.com:70/", "'gopher' scheme"),
        ("javascript:alert(1)", "'javascript' scheme"),
        ("//example.com/", "no scheme"),
        ("http:///path", "no host"),
        ("http://0177.0.0.1/", "0177.0.0.1 is 127.0.0.1, a loopback address"),
        ("http://a\x00b.test/", "not a valid URL"),
    ],
)
def test_urls_refused_before_any_io(url: str, reason: str) -> None:
    with pytest.raises(BlockedDestination) as caught:
        EgressGuard().check_url(url)
    assert reason in caught.value.reason


def test_userinfo_does_not_disguise_the_host() -> None:
    parsed = EgressGuard().check_url("http://public.test@127.0.0.1:8080/")
    assert parsed.host == "127.0.0.1"
    parsed = EgressGuard().check_url("http://127.0.0.1:8080\\@public.test/")
    assert parsed.host == "public.test"  # the same parser the client connects with


def test_safe_url_drops_credentials_and_query() -> None:
    assert safe_url("https://user:pw@api.test:8443/v1/items?key=secret#x") == (
        "https://api.test:8443/v1/items"
    )
