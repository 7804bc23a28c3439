"""An embedded instance started and stopped inside a longer-lived process (a library user, a
test suite) leaves nothing behind: its start-up heap is frozen only while it runs."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from raikoo.embedded import EmbeddedRaikoo


class _Marker:
    """Something an instance keeps in a reference cycle, as its internals do."""

    def __init__(self) -> None:
        self.me = self


async def test_a_stopped_instance_can_be_collected(tmp_path: Path) -> None:
    markers: list[weakref.ref[_Marker]] = []
    for attempt in range(2):
        raikoo = EmbeddedRaikoo(data_dir=tmp_path / str(attempt), port=0)
        marker = _Marker()
        markers.append(weakref.ref(marker))
        raikoo.marker = marker  # type: ignore[attr-defined]
        del marker
        await raikoo.start()
        assert gc.get_freeze_count() > 0, "a running instance freezes its start-up heap"
        await raikoo.stop()
        assert gc.get_freeze_count() == 0
        del raikoo
    gc.collect()
    assert [m() for m in markers] == [None, None], "what was frozen stayed for good"
