"""Destinations an administrator opens on purpose, past the SSRF guard.

Entries, each optionally followed by ``:port`` (IPv6 in brackets: ``[fd00::1]:8443``):

- ``api.internal.example`` — exactly that host name, whatever it resolves to;
- ``*.internal.example`` — any name below it (not the bare name itself);
- ``10.1.2.3``, ``10.0.0.0/8``, ``fd00::/8`` — any host, literal or resolved, whose
  address lies there.

Without a port an entry opens every port.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_network

from raikoo_common.net._addresses import IPAddress, literal_address, unmapped

_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOSTNAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


@dataclass(frozen=True)
class _NameRule:
    name: str
    wildcard: bool
    port: int | None

    def matches(self, host: str, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.wildcard:
            return host.endswith("." + self.name)
        return host == self.name


@dataclass(frozen=True)
class _NetworkRule:
    network: IPv4Network | IPv6Network
    port: int | None

    def matches(self, address: IPAddress, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        return address in self.network or unmapped(address) in self.network


class AllowList:
    """A parsed allow list; raises ``ValueError`` naming the first entry it cannot read."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self.entries = tuple(entries)
        self._names: list[_NameRule] = []
        self._networks: list[_NetworkRule] = []
        for entry in self.entries:
            rule = _parse(entry)
            if isinstance(rule, _NameRule):
                self._names.append(rule)
            else:
                self._networks.append(rule)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __repr__(self) -> str:
        return f"AllowList({list(self.entries)!r})"

    def allows_name(self, host: str, port: int) -> bool:
        host = normalise_host(host)
        return any(rule.matches(host, port) for rule in self._names)

    def allows_address(self, address: IPAddress, port: int) -> bool:
        return any(rule.matches(address, port) for rule in self._networks)


def normalise_host(host: str) -> str:
    return host.strip().removeprefix("[").removesuffix("]").rstrip(".").lower()


def _parse(entry: str) -> _NameRule | _NetworkRule:
    try:
        return _parse_rule(entry.strip().lower())
    except ValueError as exc:
        raise ValueError(f"allow-list entry {entry!r}: {exc}") from None


def _parse_rule(text: str) -> _NameRule | _NetworkRule:
    if not text:
        raise ValueError("is empty")
    if "://" in text or text.startswith("//"):
        raise ValueError("write a host (optionally host:port), not a URL")
    host, port_text = _split_port(text)
    port = _port(port_text) if port_text is not None else None
    try:
        return _NetworkRule(ip_network(host, strict=False), port)
    except ValueError:
        pass
    if "/" in host or ":" in host:
        raise ValueError("is neither a host name nor a valid IP address or CIDR range")
    if literal_address(host) is not None:
        # '0x7f.1' or '2130706433' would otherwise become a host *name* rule.
        raise ValueError("write IPv4 addresses in dotted decimal form (e.g. 127.0.0.1)")
    wildcard = host.startswith("*.")
    name = host.removeprefix("*.").rstrip(".")
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"is not a valid host name ({exc})") from None
    if not _HOSTNAME.fullmatch(name) or len(name) > 253:
        hint = " (a wildcard must be '*.' followed by a domain)" if "*" in name else ""
        raise ValueError(f"is not a valid host name{hint}")
    return _NameRule(name, wildcard, port)


def _split_port(text: str) -> tuple[str, str | None]:
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise ValueError("has an unclosed '[' or text after ']' that is not ':port'")
        return host, rest[1:] if rest else None
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host, port
    return text, None


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"port {text!r} is not a number from 1 to 65535")
    return int(text)


def checked_entries(entries: list[str]) -> list[str]:
    """``entries`` if they parse (a settings validator: a typo fails at start-up, not on the
    first request); ValueError naming the first that does not."""
    AllowList(entries)
    return entries


def checked_org_entries(lists: dict[uuid.UUID, list[str]]) -> dict[uuid.UUID, list[str]]:
    """The same for per-organisation lists, naming the organisation."""
    for org_id, entries in lists.items():
        try:
            AllowList(entries)
        except ValueError as exc:
            raise ValueError(f"org {org_id}: {exc}") from None
    return lists
