"""What ``raikoo up`` picks out of event broadcasts, and what a second process is told."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from raikoo.datadir import DataDirInUse, DataDirLock
from raikoo.run_log import run_states
from raikoo_common.messages import Envelope, RecordedEvent, RunEventsBatch, RunEventsRecorded


def recorded(run_id: uuid.UUID, *states: tuple[str, str]) -> RunEventsRecorded:
    events = [
        RecordedEvent(
            seq=seq, type=kind, data={"state": state, "at": datetime.now(UTC).isoformat()}
        )
        for seq, (kind, state) in enumerate(states, 1)
    ]
    return RunEventsRecorded(run_id=run_id, events=events)


def test_only_the_runs_own_state_changes_are_picked() -> None:
    org, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    op = "operation.state_changed"
    batch = RunEventsBatch(
        runs=[
            recorded(first, ("run.state_changed", "running"), (op, "ready"), (op, "running")),
            recorded(second, (op, "succeeded"), ("run.state_changed", "failed")),
        ]
    )
    single = recorded(first, (op, "succeeded"), ("run.state_changed", "succeeded"))
    picked = [
        (run_id, data["state"])
        for message in (batch, single)
        for run_id, data in run_states(Envelope.wrap(message, org_id=org))
    ]
    assert picked == [(first, "running"), (second, "failed"), (first, "succeeded")]


def test_a_second_process_is_sent_to_the_first_ones_api(tmp_path: Path) -> None:
    holder = DataDirLock(tmp_path)
    holder.acquire()
    try:
        with pytest.raises(DataDirInUse) as starting:
            DataDirLock(tmp_path).acquire()
        assert "run against it with --server URL" in str(starting.value), "no address yet"
        holder.announce("http://127.0.0.1:8123")
        with pytest.raises(DataDirInUse) as serving:
            DataDirLock(tmp_path).acquire()
        assert serving.value.url == "http://127.0.0.1:8123"
        assert str(serving.value) == (
            f"another Raikoo process (pid {os.getpid()}) is using {tmp_path} and serves the API "
            "at http://127.0.0.1:8123: run against it with --server http://127.0.0.1:8123, or "
            "give this command its own --data-dir"
        )
    finally:
        holder.release()
    again = DataDirLock(tmp_path)
    again.acquire()  # free again
    again.release()
