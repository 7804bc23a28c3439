"""Pick the bus transport from a URL, so configuration is a single string."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from raikoo_common.bus.memory import InMemoryBus
from raikoo_common.bus.port import Bus

_SUPPORTED = ("memory://", "amqp://", "amqps://")


def create_bus(url: str, **opts: Any) -> Bus:
    """``memory://`` gives the embedded bus; ``amqp://`` and ``amqps://`` give RabbitMQ.

    ``opts`` go to the transport's constructor (``broadcast_channels``, ``prefix``, ...).
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme == "memory":
        return InMemoryBus(**opts)
    if scheme in {"amqp", "amqps"}:
        # Imported here: embedded mode should not pay for loading FastStream and aio-pika.
        from raikoo_common.bus.rabbit import RabbitBus

        return RabbitBus(url, **opts)
    raise ValueError(
        f"unsupported bus URL scheme {scheme or '(none)'!r} in {_redact(url)!r}; "
        f"supported: {', '.join(_SUPPORTED)}"
    )


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()
