"""Message bus port and its transports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from raikoo_common.bus.factory import create_bus
from raikoo_common.bus.memory import InMemoryBus
from raikoo_common.bus.port import (
    Bus,
    DeadLetter,
    DeadLetterHandler,
    DeadLetterSubscription,
    Handler,
    Subscription,
    log_and_drop,
)

if TYPE_CHECKING:
    from raikoo_common.bus.rabbit import RabbitBus

__all__ = [
    "Bus",
    "DeadLetter",
    "DeadLetterHandler",
    "DeadLetterSubscription",
    "Handler",
    "InMemoryBus",
    "RabbitBus",
    "Subscription",
    "create_bus",
    "log_and_drop",
]


def __getattr__(name: str) -> Any:
    # RabbitBus loads FastStream and aio-pika: only when someone asks for it.
    if name == "RabbitBus":
        from raikoo_common.bus.rabbit import RabbitBus

        return RabbitBus
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
