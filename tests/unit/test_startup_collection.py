"""The garbage collector's start-up pause (``event_loop.pause_collection``) ends once the
process has started (``runtime.freeze_startup_heap``), and never overrides a process that
turned the collector off itself."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from raikoo_common import event_loop
from raikoo_common.runtime import freeze_startup_heap, thaw_startup_heap


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    was_frozen = gc.get_freeze_count()
    yield
    event_loop.resume_collection()
    if not was_frozen:
        thaw_startup_heap()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_pause_ends_when_the_process_has_started() -> None:
    gc.enable()
    event_loop.pause_collection()
    assert not gc.isenabled()
    freeze_startup_heap()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_a_collector_turned_off_by_the_process_stays_off() -> None:
    gc.disable()
    event_loop.pause_collection()  # not a pause of ours: nothing to end
    freeze_startup_heap()
    assert not gc.isenabled()


def test_resuming_twice_or_without_a_pause_changes_nothing() -> None:
    gc.enable()
    event_loop.pause_collection()
    event_loop.resume_collection()
    assert gc.isenabled()
    gc.disable()
    event_loop.resume_collection()  # the pause already ended: the process's choice stands
    assert not gc.isenabled()
