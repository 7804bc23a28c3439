"""The SSRF guard: decides which destinations outbound HTTP may reach.

Two checks, both needed:

- ``check_url`` refuses a URL before any I/O: only http(s), a host must be present. It
  parses with httpx's own parser, so what is checked is exactly what the client will use
  (``http://public.example@127.0.0.1/`` is a request to 127.0.0.1, userinfo aside).
- ``resolve`` runs when a connection is about to be opened (see ``transport``): it turns
  the host into addresses, refuses the host if ANY address is blocked (a rebinding DNS
  answer mixing public and private addresses gains nothing), and returns the addresses
  that were checked — the caller connects to those and only those, so a second,
  different DNS answer can never be what the socket reaches.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Sequence
from ipaddress import ip_address
from typing import TYPE_CHECKING

from raikoo_common.net._addresses import IPAddress, blocked_reason, literal_address
from raikoo_common.net.allowlist import AllowList, normalise_host

if TYPE_CHECKING:
    import httpx

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]
"""Turns (host, port) into addresses; raises ``OSError`` when the name does not resolve."""

ALLOWED_SCHEMES = frozenset({"http", "https"})


class BlockedDestination(Exception):
    """Outbound HTTP to this destination is refused by the SSRF guard."""

    def __init__(self, target: str, reason: str, address: IPAddress | None = None) -> None:
        super().__init__(f"{target}: {reason}")
        self.target = target
        self.reason = reason
        self.address = address  # set when an allow-list entry could open the destination


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    addresses: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class EgressGuard:
    def __init__(self, allow: AllowList | None = None, *, resolver: Resolver | None = None):
        self.allow = allow if allow is not None else AllowList()
        self._resolve = resolver or system_resolver

    def check_url(self, url: httpx.URL | str) -> httpx.URL:
        """The parsed URL, or ``BlockedDestination`` if it may not be requested at all."""
        import httpx  # its URL parser; loaded by the first check, not by importing the guard

        try:
            parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        except httpx.InvalidURL as exc:
            reason = _invalid_url_reason(str(url), exc)
            raise BlockedDestination(safe_url(str(url)), reason) from None
        if parsed.scheme not in ALLOWED_SCHEMES:
            scheme = f"'{parsed.scheme}'" if parsed.scheme else "no"
            reason = f"{scheme} scheme; only http and https URLs may be requested"
            raise BlockedDestination(safe_url(parsed), reason)
        if not parsed.host:
            raise BlockedDestination(safe_url(parsed), "the URL has no host")
        return parsed

    async def resolve(self, host: str, port: int) -> tuple[IPAddress, ...]:
        """The checked addresses to connect to for ``host:port``, in resolver order.

        Raises ``BlockedDestination`` when a blocked address is among them, ``OSError``
        when the name does not resolve.
        """
        name = normalise_host(host)
        literal = literal_address(name)
        addresses = (literal,) if literal is not None else tuple(await self._resolve(name, port))
        if not addresses:
            raise socket.gaierror(f"{name} resolved to no addresses")
        if literal is None and self.allow.allows_name(name, port):
            return addresses  # opened on purpose, by name
        for address in addresses:
            if self.allow.allows_address(address, port):
                continue
            reason = blocked_reason(address)
            if reason is not None:
                description = _describe(name, address, reason, literal is not None)
                raise BlockedDestination(_target(name, port), description, address)
        return addresses


def _describe(name: str, address: IPAddress, reason: str, literal: bool) -> str:
    if not literal:
        return f"{name} resolves to {address}, {reason}"
    if name == str(address):
        return f"{address} is {reason}"
    return f"{name} is {address}, {reason}"


def _target(name: str, port: int) -> str:
    return f"[{name}]:{port}" if ":" in name else f"{name}:{port}"


def _invalid_url_reason(url: str, exc: httpx.InvalidURL) -> str:
    # httpx rejects some numeric hosts (0177.0.0.1) that resolvers would accept: say where
    # they point, so the message is about the destination and not only about syntax.
    host = _authority_host(url)
    address = literal_address(host) if host else None
    reason = blocked_reason(address) if address is not None else None
    if reason is not None:
        return f"{host} is {address}, {reason}"
    return f"not a valid URL ({exc})"


def _authority_host(url: str) -> str:
    _, _, rest = url.partition("//")
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.partition(":")[0]


def safe_url(url: httpx.URL | str) -> str:
    """``url`` fit for messages and logs: no userinfo, query or fragment (they may hold
    credentials)."""
    import httpx

    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    except httpx.InvalidURL:
        text = str(url)
        scheme, sep, rest = text.partition("://")
        authority = rest.split("/", 1)[0].rpartition("@")[2]
        return f"{scheme}{sep}{authority}/…" if sep else "<invalid URL>"
    return str(parsed.copy_with(userinfo=b"", query=None, fragment=None))
