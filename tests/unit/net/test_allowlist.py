"""Allow-list entries: names, wildcards, addresses, ranges and ports."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from raikoo_common.net import AllowList


@pytest.mark.parametrize(
    ("entry", "host", "port", "allowed"),
    [
        ("api.internal.test", "api.internal.test", 443, True),
        ("api.internal.test", "API.Internal.Test.", 80, True),
        ("api.internal.test", "x.api.internal.test", 443, False),
        ("api.internal.test", "internal.test", 443, False),
        ("*.internal.test", "api.internal.test", 443, True),
        ("*.internal.test", "a.b.internal.test", 443, True),
        ("*.internal.test", "internal.test", 443, False),
        ("*.internal.test", "evilinternal.test", 443, False),
        ("api.internal.test:8443", "api.internal.test", 8443, True),
        ("api.internal.test:8443", "api.internal.test", 443, False),
        ("*.internal.test:8080", "a.internal.test", 8080, True),
        ("*.internal.test:8080", "a.internal.test", 8081, False),
        ("bücher.test", "xn--bcher-kva.test", 80, True),
    ],
)
def test_name_rules(entry: str, host: str, port: int, allowed: bool) -> None:
    assert AllowList([entry]).allows_name(host, port) is allowed


@pytest.mark.parametrize(
    ("entry", "address", "port", "allowed"),
    [
        ("10.1.2.3", "10.1.2.3", 80, True),
        ("10.1.2.3", "10.1.2.4", 80, False),
        ("10.0.0.0/8", "10.200.0.1", 443, True),
        ("10.0.0.0/8", "11.0.0.1", 443, False),
        ("10.0.0.0/8", "::ffff:10.0.0.1", 443, True),  # mapped form reaches the same host
        ("127.0.0.1:8080", "127.0.0.1", 8080, True),
        ("127.0.0.1:8080", "127.0.0.1", 8081, False),
        ("fd00::/8", "fd12::1", 443, True),
        ("[fd00::1]:8443", "fd00::1", 8443, True),
        ("[fd00::1]:8443", "fd00::1", 443, False),
        ("::1", "::1", 1234, True),
    ],
)
def test_address_rules(entry: str, address: str, port: int, allowed: bool) -> None:
    assert AllowList([entry]).allows_address(ip_address(address), port) is allowed


def test_name_and_address_rules_do_not_cross() -> None:
    allow = AllowList(["internal.test", "10.0.0.0/8"])
    assert not allow.allows_name("10.0.0.1", 80)
    assert not allow.allows_address(ip_address("192.168.0.1"), 80)


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("http://internal.test", "not a URL"),
        ("10.0.0.0/33", "neither a host name nor"),
        ("internal.test:0", "port '0'"),
        ("internal.test:99999", "port '99999'"),
        ("internal.test:http", "port 'http'"),
        ("*", "wildcard"),
        ("a*b.test", "wildcard"),
        ("*.", "not a valid host name"),
        ("exa mple.test", "not a valid host name"),
        ("0x7f.1", "dotted decimal"),
        ("2130706433", "dotted decimal"),
        ("[fd00::1", "unclosed"),
        ("[fd00::1]8443", "unclosed"),
    ],
)
def test_bad_entries_are_named(entry: str, complaint: str) -> None:
    with pytest.raises(ValueError, match="allow-list entry") as caught:
        AllowList(["ok.test", entry])
    assert repr(entry) in str(caught.value)
    assert complaint in str(caught.value)


def test_empty_allow_list_allows_nothing() -> None:
    allow = AllowList()
    assert not allow
    assert not allow.allows_name("localhost", 80)
    assert not allow.allows_address(ip_address("127.0.0.1"), 80)
