"""In-memory twin of the run store: same unit-of-work contract, no I/O. For tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from raikoo_common.messages import Message
from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord, RunRecord
from raikoo_scheduler.ports import CalledWorkflow


@dataclass
class MemoryRunUnit:
    run: RunRecord
    plan: Plan
    now: datetime
    by_id: dict[uuid.UUID, OpRecord] = field(default_factory=dict)
    sent: list[tuple[str, Message]] = field(default_factory=list)
    events: list[Message] = field(default_factory=list)
    workflows: dict[tuple[str, int], CalledWorkflow] = field(default_factory=dict)
    rippling: list[OpRecord] | None = None
    filling: bool = False
    parent_waiting: bool = True

    async def op(self, op_run_id: uuid.UUID) -> OpRecord | None:
        return self.by_id.get(op_run_id)

    async def ops(self, keys: Iterable[str]) -> list[OpRecord]:
        wanted = set(keys)
        return [op for op in self.by_id.values() if op.key in wanted]

    async def queued(self, limit: int) -> list[OpRecord]:
        ready = [o for o in self.by_id.values() if o.state == "pending" and o.needs_pending == 0]
        return sorted(ready, key=lambda o: (o.seq, o.item_index or 0))[:limit]

    async def children(self, parent_id: uuid.UUID) -> list[OpRecord]:
        return [op for op in self.by_id.values() if op.parent_id == parent_id]

    async def parent_waits(self) -> bool:
        return self.parent_waiting

    async def called_workflow(self, name: str, version: int | None) -> CalledWorkflow | None:
        versions = [v for (n, v) in self.workflows if n == name]
        wanted = version if version is not None else max(versions, default=0)
        return self.workflows.get((name, wanted))

    async def resolve(self, value: Any) -> Any:
        return value

    async def offload(self, value: Any, op_key: str, name: str) -> Any:
        return value

    def write_items(self, op: OpRecord) -> None:
        """Records are the store here: nothing to write."""

    async def unfinished(self) -> list[OpRecord]:
        return [op for op in self.by_id.values() if not op.is_terminal]

    async def outputs(self, keys: Iterable[str]) -> dict[str, Any]:
        wanted = set(keys)
        return {
            o.key: o.output
            for o in self.by_id.values()
            if o.key in wanted and o.state == "succeeded"
        }

    def add_ops(self, ops: Iterable[OpRecord]) -> None:
        for op in ops:
            self.by_id[op.id] = op

    def touch(self, op: OpRecord) -> None:
        """Records are the store here: nothing to write."""

    def send(self, channel: str, message: Message) -> None:
        self.sent.append((channel, message))

    def notify(self, message: Message) -> None:
        self.events.append(message)
