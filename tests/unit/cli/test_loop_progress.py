"""``raikoo run --watch`` counts a loop's items from the run view, a line at most a second."""

from __future__ import annotations

from typing import Any

import pytest

from raikoo.progress import LoopProgress, Progress, describe_loop, describe_usage


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Loop:
    """A foreach whose items finish one by one, as the server's run view shows it."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.failed, self.reads = total, 0, 0, 0

    async def view(self) -> dict[str, Any]:
        self.reads += 1
        loop = {"key": "enrich", "kind": "foreach", "state": "running", "total": self.total}
        return {"loops": [loop | {"done": self.done, "failed": self.failed, "active": 4}]}


def body_event(index: int, state: str) -> tuple[str, dict[str, Any]]:
    data = {"op_key": f"enrich[{index}].lookup", "state": state, "at": "2025-01-01T00:00:00+00:00"}
    return "operation.state_changed", data


async def test_ten_thousand_items_print_a_line_a_second_and_the_last_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    loop, clock = Loop(10_000), FakeClock()
    progress = LoopProgress([{"key": "enrich"}], loop.view, every=1.0, clock=clock)
    for index in range(10_000):  # one item finishes every 2 ms: 20 seconds in all
        clock.now += 0.002
        loop.done += 1
        loop.failed += index % 1000 == 0
        await progress.note(*body_event(index, "succeeded"))
    end = {"op_key": "enrich", "state": "succeeded", "at": "2025-01-01T00:00:20+00:00"}
    await progress.note("operation.state_changed", end)
    lines = capsys.readouterr().err.splitlines()
    assert 19 <= len(lines) <= 21, "one line a second, not one an item"
    assert loop.reads == len(lines)
    assert lines[-1] == "  ▶ enrich 10000/10000 items, 10 failed"
    counts = [int(line.split()[2].split("/")[0]) for line in lines]
    assert counts == sorted(counts)


async def test_nothing_new_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    loop, clock = Loop(3), FakeClock()
    progress = LoopProgress([{"key": "enrich"}], loop.view, clock=clock)
    await progress.note(*body_event(0, "running"))  # read at once: nothing done yet
    clock.now += 5
    await progress.note("operation.state_changed", {"op_key": "other", "state": "succeeded"})
    await progress.note("run.state_changed", {"state": "running"})
    assert capsys.readouterr().err == ""
    assert loop.reads == 1, "only a loop's own events lead to a read"


def test_while_and_until_loops_count_iterations() -> None:
    loop = {"key": "pages", "total": None, "done": 3, "failed": 0}
    assert describe_loop(loop) == "  ▶ pages 3 iterations"


def test_the_run_fails_line_is_left_to_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    progress = Progress()
    at = "2025-01-01T00:00:00+00:00"
    progress.show("run.state_changed", {"state": "running", "at": at})
    progress.show("run.state_changed", {"state": "failed", "at": at, "error": {"message": "x"}})
    progress.show("run.state_changed", {"state": "cancelled", "at": at})
    assert capsys.readouterr().err.splitlines() == ["run running"]


def test_a_body_runs_trouble_keeps_its_brackets(capsys: pytest.CaptureFixture[str]) -> None:
    event, data = body_event(7, "failed")
    data["error"] = {"kind": "template", "message": "no [a-z]+ match in [default: x]"}
    Progress().show(event, data)
    assert capsys.readouterr().err == (
        "  ✗ enrich[7].lookup failed — [template] no [a-z]+ match in [default: x]\n"
    )


def test_the_usage_line_names_tokens_of_each_sort_and_the_cost() -> None:
    usage = {
        "prompt_tokens": 1100,
        "completion_tokens": 104,
        "cached_tokens": 512,
        "reasoning_tokens": 64,
        "total_tokens": 1204,
        "calls": 3,
        "cost": 0.00213,
    }
    assert describe_usage(usage) == (
        "usage: 3 calls, 1,204 tokens (1,100 prompt of which 512 cached, "
        "104 completion of which 64 reasoning), $0.0021"
    )
    one = {**usage, "calls": 1, "cached_tokens": 0, "reasoning_tokens": 0, "cost": None}
    assert describe_usage(one) == (
        "usage: 1 call, 1,204 tokens (1,100 prompt, 104 completion), cost unknown (no price)"
    )
