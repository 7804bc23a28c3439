"""Which IP addresses outbound HTTP must not reach, and why.

The stdlib's ``is_global`` is the final word; the explicit checks before it exist to name
the reason in an error, and to unwrap IPv6 forms that carry an IPv4 address the stdlib
judges only by their IPv6 prefix (IPv4-compatible, NAT64, 6to4 look "global" to it).
"""

from __future__ import annotations

import re
import socket
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

IPAddress = IPv4Address | IPv6Address

_METADATA = IPv4Address("169.254.169.254")
_THIS_NETWORK = IPv4Network("0.0.0.0/8")
_SHARED = IPv4Network("100.64.0.0/10")
_RFC1918 = (IPv4Network("10.0.0.0/8"), IPv4Network("172.16.0.0/12"), IPv4Network("192.168.0.0/16"))
_BROADCAST = IPv4Address("255.255.255.255")
_IPV4_COMPATIBLE = IPv6Network("::/96")
_NAT64 = IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = IPv6Network("64:ff9b:1::/48")  # local-use NAT64 (RFC 8215)
_SIIT = IPv6Network("::ffff:0:0:0/96")  # IPv4-translated addresses (RFC 2765)
_UNIQUE_LOCAL = IPv6Network("fc00::/7")
# glibc's inet_aton ignores anything after a space: only pass it what a number looks like.
_NUMERIC_FORM = re.compile(r"[0-9a-fA-FxX.]+")


def blocked_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be reached (``"a loopback address"``), or None if public."""
    if isinstance(address, IPv4Address):
        return _ipv4_reason(address)
    return _ipv6_reason(IPv6Address(int(address)))  # drop any %scope: it changes nothing here


def _ipv4_reason(address: IPv4Address) -> str | None:
    if address in _THIS_NETWORK:
        return "an unspecified ('this network') address"
    if address.is_loopback:
        return "a loopback address"
    if address == _METADATA:
        return "the cloud metadata address"
    if address.is_link_local:
        return "a link-local address"
    if address in _SHARED:
        return "a carrier-grade NAT (shared) address"
    if address.is_multicast:
        return "a multicast address"
    if address == _BROADCAST:
        return "the broadcast address"
    if address.is_reserved:
        return "a reserved address"
    if any(address in network for network in _RFC1918):
        return "a private address"
    if not address.is_global:
        return "a special-purpose (non-public) address"
    return None


def _ipv6_reason(address: IPv6Address) -> str | None:
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        form, ipv4 = embedded
        reason = _ipv4_reason(ipv4)
        # A NAT64/6to4/mapped form of a public IPv4 address is as reachable as the address.
        return f"{form} of {ipv4}, {reason}" if reason else None
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address in _IPV4_COMPATIBLE:
        return "an IPv4-compatible address (deprecated, never routed)"
    if address.is_link_local:
        return "a link-local address"
    if address.is_site_local:
        return "a site-local address"
    if address.is_multicast:
        return "a multicast address"
    if address in _UNIQUE_LOCAL:
        return "a unique-local (private) address"
    if not address.is_global:
        return "a special-purpose (non-public) address"
    return None


def _embedded_ipv4(address: IPv6Address) -> tuple[str, IPv4Address] | None:
    if address.ipv4_mapped is not None:
        return "an IPv4-mapped form", address.ipv4_mapped
    if address in _NAT64 or address in _NAT64_LOCAL:
        return "a NAT64 form", IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIIT:
        return "an IPv4-translated (SIIT) form", IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return "a 6to4 form", address.sixtofour
    return None


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` denotes by itself, in any form a resolver would accept.

    Besides canonical IPv4/IPv6 text this includes the legacy ``inet_aton`` forms
    (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) that the system resolver turns
    into addresses without DNS: normalising them here means a custom resolver cannot be
    fooled by them and errors can name the real address.
    """
    text = host.removeprefix("[").removesuffix("]")
    try:
        return ip_address(text)
    except ValueError:
        pass
    if not _NUMERIC_FORM.fullmatch(text):
        return None
    try:
        packed = socket.inet_aton(text)
    except OSError:
        return None
    return IPv4Address(packed)


def unmapped(address: IPAddress) -> IPAddress:
    """The IPv4 address behind an IPv4-mapped IPv6 one (what a socket really reaches)."""
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
