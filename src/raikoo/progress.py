"""Live, human-readable progress of a run on stderr."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from raikoo import console
from raikoo.console import say

_STYLE = {
    "ready": ("•", "dim"),
    "running": ("▶", "cyan"),
    "retrying": ("↻", "yellow"),
    "waiting": ("⏸", "magenta"),
    "succeeded": ("✓", "green"),
    "failed": ("✗", "red"),
    "skipped": ("–", "dim"),
    "cancelled": ("■", "yellow"),
}
_BODY_SHOWN = frozenset({"failed", "retrying"})
_FINAL_OP_STATES = frozenset({"succeeded", "failed", "skipped", "cancelled"})
FINAL_RUN_LINES = frozenset({"failed", "cancelled"})
"""Run states whose line the command prints itself, once, with the run's error."""


class Progress:
    """One line per operation state change; a loop's body runs only when in trouble. An AI
    answer is printed as it is written (``operation.output_delta``)."""

    def __init__(self) -> None:
        self._ready_at: dict[str, datetime] = {}
        self._writing: tuple[str, int] | None = None

    def show(self, event: str, data: dict[str, Any]) -> None:
        if event == "operation.output_delta":
            self._write(data)
            return
        self._end_writing()
        at = datetime.fromisoformat(data["at"])
        if event == "run.state_changed":
            state = data["state"]
            if state not in FINAL_RUN_LINES:
                say(f"run {state}", style="bold green" if state == "succeeded" else "bold")
            return
        key, state = data["op_key"], data["state"]
        if "[" in key and state not in _BODY_SHOWN:
            return  # a loop's body runs: thousands of them; LoopProgress counts them
        if state == "ready":
            self._ready_at[key] = at
        symbol, style = _STYLE.get(state, ("?", ""))
        line = f"  {symbol} {key} {state}"
        if data.get("attempt", 1) > 1:
            line += f" (attempt {data['attempt']})"
        if state in ("succeeded", "failed") and key in self._ready_at:
            line += f" in {(at - self._ready_at[key]).total_seconds() * 1000:.0f} ms"
        if data.get("error"):
            line += f" — [{data['error']['kind']}] {data['error']['message']}"
        say(line, style=style)

    def _write(self, data: dict[str, Any]) -> None:
        from rich.text import Text

        writing = (data["op_key"], data["attempt"])
        if self._writing != writing:
            self._end_writing()
            again = f" (attempt {data['attempt']})" if data["attempt"] > 1 else ""
            say(f"  ✎ {data['op_key']}{again}:", style="dim")
            self._writing = writing
        console.stderr().print(
            Text(data["text"]), end="", markup=False, highlight=False, soft_wrap=True
        )

    def _end_writing(self) -> None:
        if self._writing is not None:
            console.stderr().print("", markup=False, highlight=False)
            self._writing = None


class LoopProgress:
    """``▶ enrich 12/30 items`` as a loop's items finish, from the run view's loop counters.

    The body runs' events say that something moved; the view says how far (an item of a
    group body is done only when all its operations are). The view is read at most once
    every ``every`` seconds, however many items finish, so a 10,000-item loop prints a
    line a second, not 10,000 — and once more when the loop ends, so its last count shows.
    """

    def __init__(
        self,
        loops: list[dict[str, Any]],
        fetch: Callable[[], Awaitable[dict[str, Any]]],
        *,
        every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys = {loop["key"] for loop in loops}
        self._fetch, self._every, self._clock = fetch, every, clock
        self._moved: set[str] = set()
        self._shown: dict[str, tuple[int, int]] = {}
        self._read_at = float("-inf")

    async def note(self, event: str, data: dict[str, Any]) -> None:
        """Call with each event, before it is shown."""
        key = data.get("op_key")
        if event != "operation.state_changed" or not key:
            return
        loop = key.partition("[")[0]
        if loop not in self._keys:
            return
        if loop != key:
            self._moved.add(loop)
            if self._clock() - self._read_at >= self._every:
                await self._refresh()
        elif data["state"] in _FINAL_OP_STATES and loop in self._moved:
            await self._refresh()  # the loop ended: its final count, before its own line

    async def _refresh(self) -> None:
        self._read_at = self._clock()
        self._moved.clear()
        view = await self._fetch()
        for loop in view.get("loops") or []:
            counts = (loop["done"], loop["failed"])
            if (
                loop["key"] in self._keys
                and loop["done"]
                and self._shown.get(loop["key"]) != counts
            ):
                self._shown[loop["key"]] = counts
                say(describe_loop(loop), style="cyan")


def describe_loop(loop: dict[str, Any]) -> str:
    done, total, failed = loop["done"], loop.get("total"), loop["failed"]
    line = (
        f"  ▶ {loop['key']} {done}/{total} items"
        if total is not None
        else (f"  ▶ {loop['key']} {done} iteration{'s' if done != 1 else ''}")
    )
    return line + (f", {failed} failed" if failed else "")


def describe_usage(usage: dict[str, Any]) -> str:
    """``usage: 3 calls, 1,204 tokens (1,100 prompt of which 512 cached, 104 completion of
    which 64 reasoning), $0.0021`` — what the run's AI operations spent."""
    prompt = f"{usage['prompt_tokens']:,} prompt"
    if usage.get("cached_tokens"):
        prompt += f" of which {usage['cached_tokens']:,} cached"
    completion = f"{usage['completion_tokens']:,} completion"
    if usage.get("reasoning_tokens"):
        completion += f" of which {usage['reasoning_tokens']:,} reasoning"
    calls = usage["calls"]
    line = (
        f"usage: {calls} call{'s' if calls != 1 else ''}, {usage['total_tokens']:,} tokens "
        f"({prompt}, {completion})"
    )
    cost = usage.get("cost")
    return line + (f", ${cost:.4f}" if cost is not None else ", cost unknown (no price)")
