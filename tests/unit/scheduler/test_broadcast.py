"""Run events that piled up between broadcasts go out as one message per run, in order, and
the runs of one organisation as one batch."""

from __future__ import annotations

import uuid

from raikoo_common.messages import Envelope, RecordedEvent, RunEventsBatch, RunEventsRecorded
from raikoo_scheduler.service import merge_by_run, pack_run_events


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


def test_runs_of_one_organisation_share_a_batch_and_organisations_stay_apart() -> None:
    acme, globex = uuid.uuid4(), uuid.uuid4()
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    batch = [
        _recorded(a, acme, 1),
        _recorded(c, globex, 1),
        _recorded(b, acme, 1, 2),
        _recorded(a, acme, 2),
    ]

    packed = pack_run_events(batch)

    assert [e.org_id for e in packed] == [acme, globex]
    shared, alone = packed[0].open(), packed[1].open()
    assert isinstance(shared, RunEventsBatch)
    assert packed[0].run_id is None
    assert [(r.run_id, [ev.seq for ev in r.events]) for r in shared.runs] == [
        (a, [1, 2]),
        (b, [1, 2]),
    ]
    assert isinstance(alone, RunEventsRecorded)
    assert (packed[1].run_id, alone.run_id) == (c, c)


def test_messages_stay_small_and_every_run_keeps_its_order() -> None:
    org, busy, quiet = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    batch = [_recorded(busy, org, *range(n * 3 + 1, n * 3 + 4)) for n in range(5)]
    batch.insert(2, _recorded(quiet, org, 1, 2))

    packed = pack_run_events(batch, max_events=4)

    seqs: dict[uuid.UUID, list[int]] = {busy: [], quiet: []}
    for envelope in packed:
        message = envelope.open()
        runs = message.runs if isinstance(message, RunEventsBatch) else [message]
        assert all(isinstance(r, RunEventsRecorded) for r in runs)
        recorded_runs = [r for r in runs if isinstance(r, RunEventsRecorded)]
        assert sum(len(r.events) for r in recorded_runs) <= 4
        for recorded in recorded_runs:
            seqs[recorded.run_id].extend(ev.seq for ev in recorded.events)
    assert seqs == {busy: list(range(1, 16)), quiet: [1, 2]}


def test_a_single_commit_with_many_events_is_split_in_order() -> None:
    org, fan_out = uuid.uuid4(), uuid.uuid4()

    packed = pack_run_events([_recorded(fan_out, org, *range(1, 11))], max_events=4)

    opened = [e.open() for e in packed]
    assert all(isinstance(m, RunEventsRecorded) for m in opened)
    sizes = [len(m.events) for m in opened]  # type: ignore[attr-defined]
    assert sizes == [4, 4, 2]
    seqs = [ev.seq for m in opened for ev in m.events]  # type: ignore[attr-defined]
    assert seqs == list(range(1, 11))
