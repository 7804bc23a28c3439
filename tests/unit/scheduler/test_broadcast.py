"""Run events that piled up between broadcasts go out as one message per run, in order."""

from __future__ import annotations

import uuid

from raikoo_common.messages import Envelope, RecordedEvent, RunEventsRecorded
from raikoo_scheduler.service import merge_by_run


def _recorded(run_id: uuid.UUID, org_id: uuid.UUID, *seqs: int) -> Envelope:
    events = [RecordedEvent(seq=s, type="operation.state_changed", data={"n": s}) for s in seqs]
    return Envelope.wrap(
        RunEventsRecorded(run_id=run_id, events=events), org_id=org_id, run_id=run_id
    )


def test_commits_of_one_run_merge_in_order_and_runs_stay_apart() -> None:
    org, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    batch = [
        _recorded(first, org, 1, 2),
        _recorded(second, org, 1),
        _recorded(first, org, 3),
        _recorded(second, org, 2, 3),
        _recorded(first, org, 4),
    ]

    merged = merge_by_run(batch)

    opened = [e.open() for e in merged]
    assert all(isinstance(m, RunEventsRecorded) for m in opened)
    by_run = {m.run_id: [ev.seq for ev in m.events] for m in opened}  # type: ignore[attr-defined]
    assert by_run == {first: [1, 2, 3, 4], second: [1, 2, 3]}
    assert [e.run_id for e in merged] == [first, second]
    assert all(e.org_id == org for e in merged)
    assert merge_by_run(batch[:1]) == batch[:1]
