"""What outbound webhooks tell: event types named ``run.<state>`` and
``operation.<state>``, the filters a subscription may set, and the payload a delivery
carries (the Standard Webhooks shape: ``type``, ``timestamp``, ``data``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from raikoo_common.states import OpState, RunState

EVENT_TYPES = tuple(
    [f"run.{state.value}" for state in RunState] + [f"operation.{state.value}" for state in OpState]
)
WILDCARDS = ("run.*", "operation.*")
_STORED = {"run.state_changed": "run", "operation.state_changed": "operation"}


def checked_event_types(types: Sequence[str]) -> list[str]:
    """``types`` if each is an event type or a wildcard; ValueError naming the first that
    is not."""
    for position, name in enumerate(types):
        if name not in EVENT_TYPES and name not in WILDCARDS:
            raise ValueError(
                f"event_types[{position}]: {name!r} is not an event type; use one of "
                f"{', '.join(WILDCARDS)} or run.<state> / operation.<state>"
            )
    return sorted(set(types))


def event_type(stored_type: str, state: str) -> str | None:
    """The outbound name of a stored run event; None for events never sent."""
    family = _STORED.get(stored_type)
    return f"{family}.{state}" if family is not None else None


def wanted(event: str, workflow: str, event_types: Sequence[str], workflows: Sequence[str]) -> bool:
    if workflows and workflow not in workflows:
        return False
    if not event_types:
        return True
    return event in event_types or f"{event.partition('.')[0]}.*" in event_types


@dataclass(frozen=True)
class StoredEvent:
    """A run_events row with what the payload names: its run's project and workflow."""

    id: int
    org_id: Any
    project_id: Any
    run_id: Any
    workflow: str
    version: int
    seq: int
    type: str
    state: str
    data: dict[str, Any]
    created_at: datetime


def payload(event: StoredEvent, name: str) -> dict[str, Any]:
    data = {
        key: value for key, value in event.data.items() if key not in ("seq", "run_id", "state")
    }
    return {
        "type": name,
        "timestamp": event.created_at.isoformat(),
        "data": {
            "run_id": str(event.run_id),
            "workflow": {"name": event.workflow, "version": event.version},
            "seq": event.seq,
            "state": event.state,
            **data,
        },
    }
