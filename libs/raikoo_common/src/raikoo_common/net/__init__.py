"""Outbound HTTP for Raikoo: one SSRF guard that every operation and tool call goes through.

Build an ``EgressGuard`` with the caller's ``AllowList``, then an
``httpx.AsyncClient(transport=GuardedTransport(guard), trust_env=False,
follow_redirects=False)``; check each URL (and each redirect target) with
``guard.check_url`` and follow redirects yourself.
"""

from raikoo_common.net._addresses import IPAddress, blocked_reason, literal_address
from raikoo_common.net.allowlist import AllowList
from raikoo_common.net.guard import (
    BlockedDestination,
    EgressGuard,
    Resolver,
    safe_url,
    system_resolver,
)
from raikoo_common.net.transport import GuardedTransport, PinningBackend, default_ssl_context

__all__ = [
    "AllowList",
    "BlockedDestination",
    "EgressGuard",
    "GuardedTransport",
    "IPAddress",
    "PinningBackend",
    "Resolver",
    "blocked_reason",
    "default_ssl_context",
    "literal_address",
    "safe_url",
    "system_resolver",
]
