"""AI text as it is written reaches the gateway's live listeners of its run (transient: no
seq), and ``raikoo run --watch`` prints it."""

from __future__ import annotations

import asyncio
import io
import uuid
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from raikoo.progress import Progress
from raikoo_common.bus import InMemoryBus
from raikoo_common.messages import Channel, Envelope, OperationOutputDelta
from raikoo_gateway.events import EventHub


def _delta(run_id: uuid.UUID, index: int, text: str) -> OperationOutputDelta:
    return OperationOutputDelta(
        run_id=run_id, op_run_id=uuid.uuid4(), op_key="ask", attempt=1, index=index, text=text
    )


async def test_deltas_reach_listeners_of_their_run_only(tmp_path: Path) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'e.db'}")
    bus = InMemoryBus()
    hub = EventHub(bus, engine, max_deliveries=3)
    await bus.start()
    org, mine, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        async with hub.listen(mine) as queue:
            for run, text in ((other, "no"), (mine, "Hel"), (mine, "lo")):
                envelope = Envelope.wrap(_delta(run, 0, text), org_id=org, run_id=run)
                await bus.publish(Channel.RUNS_EVENTS, envelope)
            got = [await asyncio.wait_for(queue.get(), 2) for _ in range(2)]
            assert [item["data"]["text"] for item in got if item] == ["Hel", "lo"]
            assert all(item is not None and "seq" not in item for item in got)
            assert all(item["type"] == "operation.output_delta" for item in got if item)
    finally:
        await bus.stop()
        await engine.dispose()


def test_watch_prints_the_answer_as_it_is_written(monkeypatch: pytest.MonkeyPatch) -> None:
    from raikoo import console

    out = io.StringIO()
    monkeypatch.setattr(console, "stderr", lambda: _Console(out))
    progress = Progress()
    run = uuid.uuid4()
    for index, text in enumerate(("The an", "swer.")):
        progress.show("operation.output_delta", _delta(run, index, text).model_dump(mode="json"))
    progress.show(
        "operation.state_changed",
        {"op_key": "ask", "state": "succeeded", "at": "2026-01-01T00:00:00+00:00"},
    )
    printed = out.getvalue()
    assert "ask:" in printed
    assert "The answer." in printed
    assert printed.index("The answer.") < printed.index("ask succeeded")
    assert "The answer.\n" in printed, "the state line starts on a line of its own"


class _Console:
    def __init__(self, out: io.StringIO) -> None:
        self._out = out

    def print(self, text: object, *args: object, end: str = "\n", **kwargs: object) -> None:
        self._out.write(str(text) + end)
