"""A message on its way out through the outbox (``raikoo_common.outbox``), as plain data:
what producers hand over after their commit, without importing the database layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from raikoo_common.messages.envelope import Envelope


@dataclass(frozen=True)
class OutboxMessage:
    id: uuid.UUID
    channel: str
    envelope: Envelope
    stored: bool = True
    """False when the bus keeps nothing across restarts anyway (embedded mode), where the
    scheduler's start-up recovery re-sends from state instead."""
