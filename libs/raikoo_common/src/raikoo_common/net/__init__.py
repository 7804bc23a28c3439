"""Outbound HTTP for Raikoo: one SSRF guard that every operation and tool call goes through.

Build an ``EgressGuard`` with the caller's ``AllowList``, then an
``httpx.AsyncClient(transport=GuardedTransport(guard), trust_env=False,
follow_redirects=False)``; check each URL (and each redirect target) with
``guard.check_url`` and follow redirects yourself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from raikoo_common._lazy import lazy_exports

if TYPE_CHECKING:
    from raikoo_common.net._addresses import (
        IPAddress,
        blocked_reason,
        literal_address,
    )
    from raikoo_common.net.allowlist import (
        AllowList,
    )
    from raikoo_common.net.guard import (
        BlockedDestination,
        EgressGuard,
        Resolver,
        safe_url,
        system_resolver,
    )
    from raikoo_common.net.transport import (
        GuardedTransport,
        PinnedPool,
        PinningBackend,
        default_ssl_context,
        transport_errors,
    )

__all__ = [
    "AllowList",
    "BlockedDestination",
    "EgressGuard",
    "GuardedTransport",
    "IPAddress",
    "PinnedPool",
    "PinningBackend",
    "Resolver",
    "blocked_reason",
    "default_ssl_context",
    "literal_address",
    "safe_url",
    "system_resolver",
    "transport_errors",
]

# Each export loads its own module on first use (see raikoo_common._lazy).
__getattr__ = lazy_exports(
    __name__,
    {
        "IPAddress": "_addresses",
        "blocked_reason": "_addresses",
        "literal_address": "_addresses",
        "AllowList": "allowlist",
        "BlockedDestination": "guard",
        "EgressGuard": "guard",
        "Resolver": "guard",
        "safe_url": "guard",
        "system_resolver": "guard",
        "GuardedTransport": "transport",
        "PinnedPool": "transport",
        "PinningBackend": "transport",
        "default_ssl_context": "transport",
        "transport_errors": "transport",
    },
)
