"""Channel names: the only place they are spelled (DESIGN.md §3)."""

from enum import StrEnum


class Channel(StrEnum):
    RUNS_REQUESTED = "runs.requested"
    OPS_READY_PROGRAMMATIC = "ops.ready.programmatic"
    OPS_READY_AI = "ops.ready.ai"
    OPS_FINISHED = "ops.finished"
    OPS_PROGRESS = "ops.progress"
    OPS_CONTROL = "ops.control"
    RUNS_EVENTS = "runs.events"


def dead_letter_channel(channel: str) -> str:
    """Where a channel's poison messages go, with their reason kept."""
    return f"{channel}.dead"


def parked_channel(channel: str) -> str:
    """Where dead letters that no handler could act on are kept, unconsumed, for people."""
    return f"{channel}.parked"


BROADCAST_CHANNELS: frozenset[str] = frozenset({Channel.RUNS_EVENTS, Channel.OPS_CONTROL})
"""Every subscribing process gets its own copy; all other channels are work queues."""

PROGRESS_CHANNELS: frozenset[str] = frozenset({Channel.OPS_PROGRESS})
"""Heartbeats, log lines and token deltas: a transport keeps them apart from results and
dispatches (RabbitMQ: their own AMQP channel), so they can neither slow nor break those."""
