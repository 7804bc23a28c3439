"""Which addresses the SSRF guard blocks, in every textual form a URL can carry them."""

from __future__ import annotations

from ipaddress import IPv4Address, ip_address

import pytest

from raikoo_common.net import blocked_reason, literal_address

BLOCKED = [
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("::1", "loopback"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("::", "unspecified"),
    ("169.254.169.254", "cloud metadata"),
    ("169.254.10.20", "link-local"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("febf:ffff::1", "link-local"),
    ("10.0.0.5", "private"),
    ("10.255.255.255", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.1.1", "private"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("fc00::1", "unique-local"),
    ("fd12:3456:789a::1", "unique-local"),
    ("fec0::1", "site-local"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("255.255.255.255", "broadcast"),
    ("240.0.0.1", "reserved"),
    ("192.0.2.10", "special-purpose"),  # documentation range
    ("198.18.0.1", "special-purpose"),  # benchmarking range
    ("2001:db8::1", "special-purpose"),
    ("::ffff:127.0.0.1", "IPv4-mapped form of 127.0.0.1, a loopback"),
    ("::ffff:10.0.0.5", "IPv4-mapped form of 10.0.0.5, a private"),
    ("::ffff:169.254.169.254", "IPv4-mapped form of 169.254.169.254, the cloud metadata"),
    ("::127.0.0.1", "IPv4-compatible"),
    ("64:ff9b::7f00:1", "NAT64 form of 127.0.0.1, a loopback"),
    ("64:ff9b::a9fe:a9fe", "NAT64 form of 169.254.169.254"),
    ("64:ff9b:1::7f00:1", "NAT64 form of 127.0.0.1, a loopback"),  # local-use NAT64
    ("::ffff:0:7f00:1", "SIIT) form of 127.0.0.1, a loopback"),
    ("2002:7f00:1::1", "6to4 form of 127.0.0.1, a loopback"),
    ("2002:c0a8:101::1", "6to4 form of 192.168.1.1, a private"),
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "172.32.0.1",  # just outside 172.16/12
    "100.128.0.1",  # just outside 100.64/10
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # NAT64 of a public address: as reachable as the address
    "2002:808:808::1",
]


@pytest.mark.parametrize(("text", "expected"), BLOCKED)
def test_blocked_addresses_name_their_reason(text: str, expected: str) -> None:
    reason = blocked_reason(ip_address(text))
    assert reason is not None
    assert expected in reason


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses_pass(text: str) -> None:
    assert blocked_reason(ip_address(text)) is None


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # decimal
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("0x7f.1", "127.0.0.1"),  # hex, two parts
        ("0x7f000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("::1", "::1"),
    ],
)
def test_numeric_host_forms_are_the_address_they_denote(host: str, address: str) -> None:
    assert literal_address(host) == ip_address(address)


@pytest.mark.parametrize(
    "host", ["example.com", "cafe.be", "localhost", "1.2.3.4 evil", "", "0x7g.1", "::zz"]
)
def test_names_are_not_addresses(host: str) -> None:
    assert literal_address(host) is None


def test_every_numeric_form_of_loopback_is_blocked() -> None:
    for host in ("2130706433", "0177.0.0.1", "0x7f.1", "127.1", "[::ffff:127.0.0.1]"):
        address = literal_address(host)
        assert address is not None
        assert blocked_reason(address) is not None, host
    assert literal_address("0x7f.1") == IPv4Address("127.0.0.1")
