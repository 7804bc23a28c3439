"""Publishing from a background task: in order, batched, lingering when asked, never
stopping on a failed publish, and flushing what is left on stop."""

from __future__ import annotations

import asyncio

from raikoo_common.bus.background import BackgroundPublisher


class _Recorder:
    def __init__(self, fail_first: int = 0) -> None:
        self.batches: list[list[int]] = []
        self.published = asyncio.Event()
        self._fail = fail_first

    async def __call__(self, batch: list[int]) -> None:
        if self._fail:
            self._fail -= 1
            raise ConnectionError("broker unreachable")
        self.batches.append(batch)
        self.published.set()


async def test_items_added_while_it_lingers_leave_in_one_batch_in_order() -> None:
    recorder = _Recorder()
    publisher = BackgroundPublisher(recorder, name="t", on_failure="lost", linger=0.05)
    publisher.start()
    try:
        publisher.add([1])
        await asyncio.sleep(0.01)
        publisher.add([2, 3])
        await asyncio.wait_for(recorder.published.wait(), 2)
    finally:
        await publisher.stop()
    assert recorder.batches == [[1, 2, 3]]


async def test_a_failed_publish_does_not_stop_the_next_ones() -> None:
    recorder = _Recorder(fail_first=1)
    publisher = BackgroundPublisher(recorder, name="t", on_failure="lost")
    publisher.start()
    try:
        publisher.add([1])
        await asyncio.sleep(0.01)
        publisher.add([2])
        await asyncio.wait_for(recorder.published.wait(), 2)
    finally:
        await publisher.stop()
    assert recorder.batches == [[2]]


async def test_stop_publishes_what_is_pending() -> None:
    recorder = _Recorder()
    publisher = BackgroundPublisher(recorder, name="t", on_failure="lost", linger=10)
    publisher.start()
    publisher.add([1, 2])
    await asyncio.sleep(0.01)
    await publisher.stop()
    assert recorder.batches == [[1, 2]]
