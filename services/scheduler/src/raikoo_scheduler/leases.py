"""How long a dispatched operation may go unheard before it counts as lost."""

from __future__ import annotations

from datetime import datetime, timedelta

from raikoo_scheduler.domain.plan import Plan
from raikoo_scheduler.domain.records import OpRecord


class Leases:
    def __init__(self, default_seconds: float = 300.0, grace_seconds: float = 30.0) -> None:
        self.default = timedelta(seconds=default_seconds)
        self.grace = timedelta(seconds=grace_seconds)

    def expiry(self, plan: Plan, op: OpRecord, now: datetime) -> datetime:
        timeout = plan.spec(op.template).timeout
        return now + (timedelta(seconds=timeout) + self.grace if timeout else self.default)
